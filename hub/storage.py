"""``HUB_DATABASE_URL`` → the eventsourcing library's own persistence settings.

- ``sqlite:///var/hub.sqlite3`` (relative) or ``sqlite:////abs/path.sqlite3``
- ``postgresql://user[:password]@host[:port]/dbname[?schema=name]``
- ``memory://`` — in-process only, for unit tests (never with several processes)

The default is ``sqlite:///var/hub.sqlite3``: a file under the working directory
(the project folder when started with ``make run``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from hub.errors import HubError

DEFAULT_DATABASE_URL = "sqlite:///var/hub.sqlite3"


class StorageConfigError(HubError):
    """HUB_DATABASE_URL cannot be understood."""


def database_url(environ: Mapping[str, str] | None = None) -> str:
    source: Mapping[str, str] = os.environ if environ is None else environ
    return source.get("HUB_DATABASE_URL") or DEFAULT_DATABASE_URL


def store_identity(url: str) -> str:
    """The store a URL names, without credentials (what the signer keys its record of checkpoints by).

    >>> store_identity("postgresql://hub:secret@db.example.org:5432/hub?schema=prod")
    'postgresql://db.example.org:5432/hub?schema=prod'
    """
    parts = urlsplit(url)
    if parts.scheme.lower() == "sqlite":
        return "sqlite:" + str(Path(unquote(parts.path[1:])).resolve())
    host = parts.hostname or ""
    return parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host).geturl()


def persistence_env(url: str) -> dict[str, str]:
    """The library's settings for ``url``.

    >>> persistence_env("sqlite:////tmp/hub.db")["SQLITE_DBNAME"]
    '/tmp/hub.db'
    >>> persistence_env("postgresql://postgres@127.0.0.1:5432/test")["POSTGRES_DBNAME"]
    'test'
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "memory":
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if scheme == "sqlite":
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if parts.netloc or not path:
            raise StorageConfigError(
                f"cannot read HUB_DATABASE_URL {url!r}: write sqlite:///relative/path or sqlite:////absolute/path"
            )
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": "30",
            "APPLICATION_RECORDER_TOPIC": "hub.ledger:SQLiteLedgerRecorder",
        }
    if scheme in ("postgres", "postgresql"):
        dbname = unquote(parts.path.lstrip("/"))
        if not dbname or not parts.hostname:
            raise StorageConfigError(
                f"cannot read HUB_DATABASE_URL {url!r}: write postgresql://user@host:port/dbname"
            )
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": dbname,
            "POSTGRES_HOST": parts.hostname,
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "APPLICATION_RECORDER_TOPIC": "hub.ledger_postgres:PostgresLedgerRecorder",
        }
        schema = parse_qs(parts.query).get("schema")
        if schema:
            env["POSTGRES_SCHEMA"] = schema[0]
        return env
    raise StorageConfigError(
        f"unsupported HUB_DATABASE_URL {url!r}: use sqlite:///…, postgresql://… or memory://"
    )


def describe(url: str) -> str:
    """The store's kind without credentials, for health checks and logs."""
    scheme = urlsplit(url).scheme.lower()
    return {"postgres": "postgresql"}.get(scheme, scheme)
