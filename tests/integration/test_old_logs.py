"""Stored events are forever: a log exported by an earlier hub imports and replays into today's records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hub.application import HubApplication
from hub.archive import import_log
from hub.log import record_state
from hub.signing import read_public_key
from hub.verifier.note import NoteKey
from projections.follower import build_graph
from tests.integration.legacy import history
from tests.projections.helpers import canonical

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXPORTS = sorted(FIXTURES.glob("log-*.ndjson"))


def public_key_of(export: Path, app: HubApplication) -> NoteKey | None:
    """The key that signed an export (kept beside it); exports of the first format have lost theirs."""
    pem = export.with_suffix(".pub.pem")
    return read_public_key(pem, app.ledger.origin) if pem.exists() else None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'imported.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def comparable(record: Any) -> dict[str, Any]:
    """A record's state without what differs between two runs of one history: times and token secrets."""
    state = record_state(record)
    for volatile in ("created_on", "modified_on", "tokens"):
        state.pop(volatile, None)
    return state


def test_there_is_an_export_of_every_format_we_have_stored():
    assert [p.name for p in EXPORTS][:2] == ["log-2026-11-24.ndjson", "log-2026-11-25.ndjson"]


@pytest.mark.parametrize("export", EXPORTS, ids=lambda p: p.stem)
def test_an_old_export_imports_into_the_records_and_graph_todays_hub_makes(export, store_url):
    imported = HubApplication(store_url)
    key = public_key_of(export, imported)
    with export.open(encoding="utf-8") as lines:
        trailer = import_log(imported, lines, key=key, unsigned=key is None)
    if key is None:
        imported.ledger.sign_head()  # the hub signs what it imported (the first format carried no chain)
    else:
        imported.ledger.check_with(key)  # the chain came with the file, signed by the key beside it
    assert imported.log_length() == trailer["events"] and imported.verify_log().ok
    today = HubApplication("memory://")
    ids = history(today)
    for name, record_id in ids.items():
        assert comparable(imported.get(record_id)) == comparable(today.get(record_id)), name
    assert [e.event_type for e in imported.history(ids["p"])] == [e.event_type for e in today.history(ids["p"])]
    assert canonical(build_graph(imported).snapshot()) == canonical(build_graph(today).snapshot())
    imported.close()


def test_an_export_of_the_first_format_is_refused_when_the_key_at_hand_did_not_sign_it(sqlite_url):
    from hub.archive import ArchiveError

    imported = HubApplication(sqlite_url)
    with EXPORTS[0].open(encoding="utf-8") as lines, pytest.raises(ArchiveError, match="does not verify"):
        import_log(imported, lines)  # checked with this hub's own key, which did not sign it
    assert imported.log_length() == 0
    imported.close()
