import pytest

from hub.errors import HubError
from hub.storage import DEFAULT_DATABASE_URL, database_url, persistence_env


def test_urls_map_onto_the_librarys_persistence_modules(tmp_path):
    assert persistence_env("memory://") == {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    sqlite = persistence_env(f"sqlite:///{tmp_path}/sub/hub.sqlite3")
    assert sqlite["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert sqlite["SQLITE_DBNAME"] == f"{tmp_path}/sub/hub.sqlite3" and (tmp_path / "sub").is_dir()
    pg = persistence_env("postgresql://hub:s%40cret@db.example:6543/hubdb?schema=audit")
    assert {k: pg[k] for k in ("PERSISTENCE_MODULE", "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER",
                               "POSTGRES_PASSWORD", "POSTGRES_DBNAME", "POSTGRES_SCHEMA")} == {
        "PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_HOST": "db.example", "POSTGRES_PORT": "6543",
        "POSTGRES_USER": "hub", "POSTGRES_PASSWORD": "s@cret", "POSTGRES_DBNAME": "hubdb", "POSTGRES_SCHEMA": "audit"}


@pytest.mark.parametrize("url", ["mysql://x/y", "sqlite://", "postgresql:///nodb", "nonsense"])
def test_a_url_that_cannot_be_understood_is_refused_clearly(url):
    with pytest.raises(HubError, match="HUB_DATABASE_URL"):
        persistence_env(url)


def test_the_default_store_is_an_sqlite_file_under_var():
    assert database_url({}) == DEFAULT_DATABASE_URL == "sqlite:///var/hub.sqlite3"
