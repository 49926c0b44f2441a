"""Stored events are forever: a log exported by an earlier hub imports and replays into today's records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hub.application import HubApplication
from hub.archive import import_log
from hub.log import record_state
from projections.follower import build_graph
from tests.integration.legacy import history
from tests.projections.helpers import canonical

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXPORTS = sorted(FIXTURES.glob("log-*.ndjson"))


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
    assert [p.name for p in EXPORTS][:1] == ["log-2026-11-24.ndjson"]


@pytest.mark.parametrize("export", EXPORTS, ids=lambda p: p.stem)
def test_an_old_export_imports_into_the_records_and_graph_todays_hub_makes(export, store_url):
    imported = HubApplication(store_url)
    with export.open(encoding="utf-8") as lines:
        trailer = import_log(imported, lines)
    assert imported.log_length() == trailer["events"] and imported.verify_log().ok
    today = HubApplication("memory://")
    ids = history(today)
    for name, record_id in ids.items():
        assert comparable(imported.get(record_id)) == comparable(today.get(record_id)), name
    assert [e.event_type for e in imported.history(ids["p"])] == [e.event_type for e in today.history(ids["p"])]
    assert canonical(build_graph(imported).snapshot()) == canonical(build_graph(today).snapshot())
    imported.close()
