"""Fixtures for every store the hub runs on: memory, a real SQLite file, a real PostgreSQL.

PostgreSQL tests use a fresh schema each and drop it afterwards. Without a
reachable server they are skipped with the reason, unless HUB_REQUIRE_POSTGRES=1
(as in CI), where they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from hub.application import HubApplication

POSTGRES_URL = os.environ.get("HUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_problem() -> str | None:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return None
    except Exception as error:  # not installed, not running, refused…
        return f"no PostgreSQL at {POSTGRES_URL}: {str(error).strip().splitlines()[0] if str(error) else type(error).__name__}"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    problem = _postgres_problem()
    if problem:
        if os.environ.get("HUB_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"HUB_REQUIRE_POSTGRES=1 but {problem}")
        pytest.skip(problem)
    return POSTGRES_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A database URL whose tables live in a schema of their own, dropped after the test."""
    import psycopg

    schema = f"hub_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{postgres_server}?schema={schema}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request) -> str:
    if request.param == "memory":
        return "memory://"
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def app(store_url: str) -> Iterator[HubApplication]:
    application = HubApplication(store_url)
    yield application
    application.close()


@pytest.fixture(autouse=True, scope="session")
def _signing_key(tmp_path_factory):
    """Tests sign tree heads with a key of their own, never the project's var/ key."""
    os.environ.setdefault("HUB_SIGNING_KEY", str(tmp_path_factory.mktemp("keys") / "hub-signing-key.pem"))
