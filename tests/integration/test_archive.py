"""Export and import: the same records, projections and root come back; bad files store nothing."""

from __future__ import annotations

import base64
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.application import HubApplication
from hub.archive import ArchiveError, export_log, import_log
from hub.authorisation import Principal
from hub.log import record_state
from hub.sample import load_sample
from hub.synthetic import generate
from projections.follower import build_graph
from tests.integration.test_application import scenario
from tests.projections.helpers import canonical


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'imported.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def exported(app: HubApplication) -> str:
    out = io.StringIO()
    export_log(app, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    app = HubApplication(f"sqlite:///{tmp_path_factory.mktemp('src') / 'hub.sqlite3'}")
    load_sample(app)
    scenario(app)
    generate(app, partnerships=10, organisations=30, meetings=10, exchanges=20, seed=4)
    yield app, exported(app)
    app.close()


def test_an_import_reproduces_records_projections_and_root(source, target_url):
    app, text = source
    target = HubApplication(target_url)
    trailer = import_log(target, iter(text.splitlines()))
    assert trailer["events"] == app.log_length() == target.log_length()
    assert target.ledger.sign_head().root == app.ledger.sign_head().root == trailer["root"]
    assert target.verify_log().ok
    for n in app.notifications():
        assert record_state(target.get(n.originator_id)) == record_state(app.get(n.originator_id))
    assert canonical(build_graph(target).snapshot()) == canonical(build_graph(app).snapshot())
    lines = text.splitlines()
    first = json.loads(lines[1])  # the stored bytes travel as base64: exact, whatever they hold
    assert "Instytut Badań Edukacyjnych" in base64.b64decode(first["state"]).decode("utf-8")
    assert target.get(first["originator_id"]).name == "Instytut Badań Edukacyjnych"
    target.register_organisation(by=Principal.operator("m"), name="Nowa po imporcie", kind="ngo", region="02", city="Wrocław")
    assert target.log_length() == app.log_length() + 1 and target.verify_log().ok  # the log goes on
    target.close()


def test_an_import_into_a_store_that_is_not_empty_is_refused(source, target_url):
    _, text = source
    target = HubApplication(target_url)
    load_sample(target)
    with pytest.raises(ArchiveError, match="not empty"):
        import_log(target, iter(text.splitlines()))
    assert target.log_length() == 7
    target.close()


@pytest.mark.parametrize("damage, message", [
    (lambda lines: lines[:-5], "truncated"),
    (lambda lines: lines[:40] + [lines[40][:-30]], "not JSON"),
    (lambda lines: [lines[0]] + [lines[1].replace('"version": 1', '"version": 2')] + lines[2:], "does not match its leaf"),
    (lambda lines: [lines[0], lines[2], lines[1]] + lines[3:], "out of order"),
    (lambda lines: [lines[0]] + lines[2:], "events but holds"),
    (lambda lines: ["{}"] + lines[1:], "not a partnership-hub-log/1 export"),
], ids=["truncated", "cut line", "edited event", "reordered", "missing event", "no header"])
def test_a_damaged_file_is_refused_and_nothing_is_stored(source, target_url, damage, message):
    _, text = source
    target = HubApplication(target_url)
    with pytest.raises(ArchiveError, match=message):
        import_log(target, iter(damage(text.splitlines())))
    assert target.log_length() == 0
    target.close()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_mangled_export_is_either_refused_whole_or_imported_exactly(source, tmp_path_factory, data):
    _, text = source
    lines = text.splitlines()
    i = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    j = data.draw(st.integers(min_value=0, max_value=max(0, len(lines[i]) - 1)))
    mangled = lines[:i] + [lines[i][:j] + data.draw(st.sampled_from(["", "x", "0", '"', "}", " "])) + lines[i][j + 1:]] + lines[i + 1:]
    target = HubApplication(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'hub.sqlite3'}")
    try:
        trailer = import_log(target, iter(mangled))
    except ArchiveError:
        assert target.log_length() == 0
    else:
        assert target.ledger.sign_head().root == trailer["root"] and target.verify_log().ok
    target.close()
