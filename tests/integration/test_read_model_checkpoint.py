"""A saved read model: loaded when it is this code's model of this log, rebuilt otherwise — never trusted blindly."""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import sqlite3
import subprocess
import sys
from array import array
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.exchange import ExperienceExchange
from hub.meeting import Meeting
from hub.organisation import Organisation
from hub.partnership import Partnership
from hub.sample import load_sample
from hub.synthetic import generate
from projections import checkpoint, shared_names
from projections.follower import Follower, LiveGraph, build_graph
from projections.graph import NOTHING
from tests.projections.helpers import canonical, canonical_node_link


def answers(graph) -> tuple:
    middle = max(1, graph.position // 2)
    return (canonical_node_link(json.loads(graph.current_answer("full").text())),
            canonical_node_link(json.loads(graph.current_answer("partnerships").text())),
            canonical(graph.snapshot(as_of=middle, valid_at=date(2022, 1, 1))),
            graph.ticks())


def same_as_a_rebuild(app: HubApplication, graph) -> bool:
    return answers(graph) == answers(build_graph(app))


@pytest.fixture
def network(sqlite_url):
    app = HubApplication(sqlite_url)
    load_sample(app)
    generate(app, partnerships=12, organisations=36, meetings=20, exchanges=40, seed=3)
    yield app
    app.close()


def saved(app: HubApplication) -> Path:
    path = checkpoint.path_for(app.database_url, {})
    assert path is not None
    return path


def test_a_saved_read_model_is_loaded_then_brought_up_to_date_and_answers_as_a_rebuild(network):
    said: list[str] = []
    first = checkpoint.start(network, saved(network), log=said.append)
    assert said == [f"read model saved to {saved(network)} at position {network.log_length():,} "
                    f"({saved(network).stat().st_size / 1e6:.0f} MB)"]
    assert saved(network).stat().st_mode & 0o777 == 0o600
    network.register_organisation(by=Principal.operator("t"), name="Nowa po zapisie", kind="ngo", region="18",
                                  city="Krosno")
    said.clear()
    loaded = checkpoint.start(network, saved(network), log=said.append)
    assert said[0].startswith(f"read model loaded from {saved(network)} at position {first.position:,}")
    assert len(said) == 1  # one event on top: not worth saving again
    assert loaded.position == network.log_length() == first.position + 1
    assert same_as_a_rebuild(network, loaded)


def _mac_of(path: Path, payload: bytes) -> str:
    """The MAC this hub's key gives ``payload`` (as someone holding the key could forge a file)."""
    app = HubApplication(f"sqlite:///{str(path).removesuffix('.read-model')}")
    try:
        return checkpoint.mac(app, payload)
    finally:
        app.close()


def _rewrite(path: Path, change) -> None:
    header_line, payload = path.read_bytes().split(b"\n", 1)
    header = json.loads(header_line)
    header, payload = change(header, payload)
    path.write_bytes(json.dumps(header).encode() + b"\n" + payload)


@pytest.mark.parametrize("damage, reason", [
    (lambda p: p.write_bytes(p.read_bytes()[:-1000]), "damaged"),
    (lambda p: p.write_bytes(p.read_bytes()[:-10] + b"0123456789"), "damaged"),
    (lambda p: p.write_bytes(b"not a read model"), "not one"),
    (lambda p: p.write_bytes(b""), "not one"),
    # a header alone whose checksum is that of nothing (a payload read through a memory map: nothing to map)
    (lambda p: _rewrite(p, lambda h, b: ({**h, "payload_mac": _mac_of(p, b"")}, b"")), "cannot be read"),
    (lambda p: _rewrite(p, lambda h, b: ({**h, "format": "partnership-hub read model 0"}, b)), "another format"),
    (lambda p: _rewrite(p, lambda h, b: ({**h, "code": "0" * 64}, b)), "other code"),
    (lambda p: _rewrite(p, lambda h, b: ({**h, "position": h["position"] + 5}, b)), "shorter"),
])
def test_a_damaged_or_foreign_file_is_refused_and_the_model_rebuilt(network, damage, reason):
    checkpoint.start(network, saved(network), log=lambda line: None)
    damage(saved(network))
    with pytest.raises(checkpoint.Refused, match=reason):
        checkpoint.load(network, saved(network))
    said: list[str] = []
    graph = checkpoint.start(network, saved(network), log=said.append)
    assert said[0].startswith("read model not loaded: ") and reason in said[0]
    assert said[1].startswith("read model saved to")
    assert same_as_a_rebuild(network, graph)
    assert checkpoint.load(network, saved(network)).position == network.log_length()


def test_a_model_of_another_log_of_the_same_length_is_refused(network, tmp_path):
    checkpoint.start(network, saved(network), log=lambda line: None)
    other = HubApplication(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    load_sample(other)
    generate(other, partnerships=12, organisations=36, meetings=20, exchanges=40, seed=4)
    while other.log_length() < network.log_length():
        other.register_organisation(by=Principal.operator("t"), name=f"Wypełniacz {other.log_length()}", kind="ngo",
                                    region="18", city="Krosno")
    (tmp_path / "other.sqlite3.read-model").write_bytes(saved(network).read_bytes())
    with pytest.raises(checkpoint.Refused, match="is not the one the read model was made from"):
        checkpoint.load(other, tmp_path / "other.sqlite3.read-model")
    other.close()


def test_a_history_rewritten_behind_the_hubs_back_is_not_served_from_the_old_model(network, sqlite_url):
    checkpoint.start(network, saved(network), log=lambda line: None)
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as db:  # an event and its leaf, both rewritten
        db.execute("UPDATE hub_leaves SET leaf = zeroblob(32) WHERE position = 5")
    restarted = HubApplication(sqlite_url)
    with pytest.raises(checkpoint.Refused, match=f"the log up to position {network.log_length()} is not the one"):
        checkpoint.load(restarted, saved(network))
    restarted.close()


def test_a_forged_file_cannot_run_code_even_with_a_valid_mac_and_root(network, tmp_path):
    checkpoint.start(network, saved(network), log=lambda line: None)
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            import os
            return (os.system, (f"touch {marker}",))

    def forge(header, payload):
        evil = pickle.dumps({"position": header["position"], "G": Exploit()})
        return {**header, "payload_mac": checkpoint.mac(network, evil)}, evil  # as if the key had leaked too

    _rewrite(saved(network), forge)
    with pytest.raises(checkpoint.Refused, match="names posix.system, which a read model never holds"):
        checkpoint.load(network, saved(network))
    assert not marker.exists()


@pytest.mark.parametrize("state", [{"position": 1}, {"position": 1, "records": 7, "G": None}, [1, 2]])
def test_a_file_with_a_valid_mac_that_holds_no_read_model_is_refused_and_the_model_rebuilt(network, state):
    checkpoint.start(network, saved(network), log=lambda line: None)

    def forge(header, payload):
        forged = pickle.dumps(state)
        return {**header, "payload_mac": checkpoint.mac(network, forged)}, forged

    _rewrite(saved(network), forge)
    with pytest.raises(checkpoint.Refused, match="cannot be read"):
        checkpoint.load(network, saved(network))
    said: list[str] = []
    graph = checkpoint.start(network, saved(network), log=said.append)
    assert said[0].startswith("read model not loaded: the saved read model cannot be read")
    assert same_as_a_rebuild(network, graph)


def test_a_file_sealed_without_this_hubs_key_is_refused_however_well_made(network, tmp_path, monkeypatch):
    """Whoever can write the file but not read the hub's key cannot make one it loads: a payload changed with a
    checksum made again (all a plain checksum asked for), or a model another hub made of this very log."""
    checkpoint.start(network, saved(network), log=lambda line: None)
    original = saved(network).read_bytes()

    def renamed(header, payload):  # a name changed in the payload (as long: still a model), re-hashed
        changed = payload.replace(b"Podkarpackie", b"Podkarpackia")
        assert changed != payload
        return {**header, "payload_mac": hashlib.sha256(changed).hexdigest()}, changed

    _rewrite(saved(network), renamed)
    with pytest.raises(checkpoint.Refused, match="not made with this hub's key"):
        checkpoint.load(network, saved(network))
    # sealed with the key, the very same payload loads, names changed: the MAC alone tells it apart
    _rewrite(saved(network), lambda header, payload: ({**header, "payload_mac": checkpoint.mac(network, payload)},
                                                      payload))
    assert any("Podkarpackia" in p.name for p in checkpoint.load(network, saved(network)).records(Partnership))

    from hub.signing import Signer
    other_key = tmp_path / "another-hub.pem"
    Signer.create(other_key)
    monkeypatch.setenv("HUB_SIGNING_KEY", str(other_key))
    other_hub = HubApplication(network.database_url)  # the same log, read by a hub with another key
    saved(network).write_bytes(original)
    with pytest.raises(checkpoint.Refused, match="not made with this hub's key"):
        checkpoint.load(other_hub, saved(network))
    other_hub.close()
    monkeypatch.undo()
    assert checkpoint.load(network, saved(network)).position == network.log_length()  # this hub's key: loaded


def test_without_the_hubs_key_the_model_is_replayed_and_not_saved(network, tmp_path, monkeypatch):
    checkpoint.start(network, saved(network), log=lambda line: None)
    network.ledger.sign_head()  # a signed log: a hub that lost its key must not make another one
    monkeypatch.setenv("HUB_SIGNING_KEY", str(tmp_path / "lost.pem"))
    keyless = HubApplication(network.database_url)
    said: list[str] = []
    graph = checkpoint.start(keyless, saved(network), log=said.append)
    assert said[0].startswith("read model not loaded: the hub's signing key cannot be read")
    assert said[1].startswith("read model not saved: the hub's signing key cannot be read")
    assert same_as_a_rebuild(keyless, graph)
    keyless.close()


def test_after_an_erasure_the_saved_model_is_deleted_not_loaded(sqlite_url):
    app = HubApplication(sqlite_url)
    load_sample(app)
    path = saved(app)
    checkpoint.start(app, path, log=lambda line: None)
    assert b"Wies\xc5\x82aw Pa\xc5\x82ka" in path.read_bytes()  # the saved model holds names...
    app.erase_person("Wiesław Pałka")
    with pytest.raises(checkpoint.Refused, match="erased"):
        checkpoint.load(app, path)
    assert not path.exists()  # ...so it does not outlive the erasure
    graph = checkpoint.start(app, path, log=lambda line: None)
    assert b"Wies\xc5\x82aw Pa\xc5\x82ka" not in path.read_bytes()
    assert same_as_a_rebuild(app, graph)
    app.close()


def test_a_server_that_notices_an_erasure_deletes_the_saved_model(sqlite_url):
    app = HubApplication(sqlite_url)
    load_sample(app)
    path = saved(app)
    graph = checkpoint.start(app, path, log=lambda line: None)
    live = LiveGraph(app, graph=graph, saved=path)
    other = HubApplication(sqlite_url)  # another process erases
    other.erase_person("Wiesław Pałka")
    assert path.exists()
    live.refresh()
    assert not path.exists()
    assert live.graph is not graph and live.graph.epoch == 1
    other.close()
    app.close()


def test_where_the_read_model_is_saved(tmp_path):
    assert checkpoint.path_for("sqlite:///var/hub.sqlite3", {}) == Path("var/hub.sqlite3.read-model")
    assert checkpoint.path_for("sqlite:///x.sqlite3", {"HUB_READ_MODEL_FILE": str(tmp_path / "m")}) == tmp_path / "m"
    pg = checkpoint.path_for("postgresql://hub:secret@db:5432/hub", {})
    assert pg is not None and pg.parent == Path("var") and "secret" not in str(pg)
    assert pg == checkpoint.path_for("postgresql://hub:other@db:5432/hub", {})  # one store, one file


@pytest.mark.postgres
def test_on_postgresql_the_saved_model_is_loaded_and_followed(postgres_url, tmp_path):
    app = HubApplication(postgres_url)
    load_sample(app)
    path = tmp_path / "pg.read-model"
    checkpoint.start(app, path, log=lambda line: None)
    app.register_organisation(by=Principal.operator("t"), name="Po zapisie", kind="ngo", region="18", city="Krosno")
    loaded = checkpoint.load(app, path)
    live = LiveGraph(app, graph=loaded)
    try:
        assert live.refresh().position == app.log_length()
        assert same_as_a_rebuild(app, live.graph)
    finally:
        live.close()
        app.close()


def test_a_place_that_cannot_be_written_is_said_and_the_model_still_served(network, tmp_path):
    said: list[str] = []
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    graph = checkpoint.start(network, blocked / "model", log=said.append)
    assert len(said) == 1 and said[0].startswith(f"read model not saved to {blocked / 'model'}: ")
    assert same_as_a_rebuild(network, graph)


def test_a_save_that_fails_midway_leaves_no_file_and_the_model_still_served(network, tmp_path, monkeypatch):
    checkpoint.start(network, tmp_path / "model", log=lambda line: None)
    before = (tmp_path / "model").read_bytes()
    written = 0

    class FullDisk:  # the disk fills up after the first kilobyte of the payload
        def __init__(self, out, digest):
            self.out = out

        def write(self, data):
            nonlocal written
            written += len(data)
            if written > 1024:
                raise OSError(28, "No space left on device")
            return self.out.write(data)

    monkeypatch.setattr(checkpoint, "_Hashed", FullDisk)
    monkeypatch.setattr(checkpoint, "SAVE_AFTER", 0)  # save again on top of the saved model
    said: list[str] = []
    graph = checkpoint.start(network, tmp_path / "model", log=said.append)
    assert said[-1] == f"read model not saved to {tmp_path / 'model'}: No space left on device"
    assert [p.name for p in tmp_path.iterdir() if "model" in p.name] == ["model"]  # no partial file left
    assert (tmp_path / "model").read_bytes() == before
    assert same_as_a_rebuild(network, graph)


def test_a_loaded_models_records_share_no_list_that_an_event_changes(network):
    """A saved model keeps one empty list for all its records (and each equal text once); an event that adds to a
    record's list — read by nobody yet, or handed out to a reader — gives that record lists of its own."""
    checkpoint.start(network, saved(network))  # replayed and saved
    loaded = checkpoint.start(network, saved(network))
    rebuilt = build_graph(network)
    ids = [p.id for p in rebuilt.records(Partnership) if len(p.members) >= 3 and not p.former_members]
    operator, today = Principal.operator("t"), date.today().isoformat()

    def lists(graph) -> list:
        return [(p.id, p.former_members, p.role_history, sorted(p.members)) for p in graph.records(Partnership)]

    def leave(partnership_id) -> None:
        members = rebuilt.record(partnership_id).members
        member = min(m for m in members if members[m]["role"] != "leader")
        network.leave_partnership(partnership_id, by=operator, organisation_id=str(member), left_on=today)
        Follower(network, graph=loaded).catch_up()

    def with_former_members() -> int:
        return sum(1 for _, former, _, _ in lists(loaded) if former)

    before = with_former_members()
    leave(ids[0])  # a record nobody read: changed in place, its empty lists replaced first
    assert lists(loaded) == lists(build_graph(network)) and with_former_members() == before + 1
    leave(ids[1])  # records handed out (just above): the change applies to a copy
    assert lists(loaded) == lists(build_graph(network)) and with_former_members() == before + 2
    changed = loaded.record(ids[1])
    assert changed.former_members and not changed.role_history


def test_a_loaded_models_records_hold_each_id_and_each_text_once(network):
    """Who organised or attended a meeting, who confirmed an exchange, a partnership's members and areas: the ids and
    texts in the records' lists and dicts are the records' own ids and one text each, not a copy per event."""
    checkpoint.start(network, saved(network))  # replayed and saved
    loaded = checkpoint.start(network, saved(network))
    records = [r for cls in (Organisation, Partnership, Meeting, ExperienceExchange) for r in loaded.records(cls)]
    own = {r.id: r.id for r in records}
    ids: list = []
    texts: dict[str, set[int]] = {}

    def walk(value) -> None:
        if isinstance(value, UUID):
            ids.append(value)
        elif isinstance(value, str):
            texts.setdefault(value, set()).add(id(value))
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)

    for record in records:
        for name, value in vars(record).items():
            if name != "_id":
                walk(value)
    nested = [i for i in ids if i in own]
    assert len(nested) > 100  # participants, organisers, confirmations, members, counterparts
    assert [i for i in nested if i is not own[i]] == []
    assert {text: len(copies) for text, copies in texts.items() if len(copies) > 1} == {}
    assert same_as_a_rebuild(network, loaded)
    rebuilt = build_graph(network)  # the records' times too
    times = [(r.id, r.created_on, r.modified_on) for cls in (Organisation, Partnership, Meeting, ExperienceExchange)
             for r in rebuilt.records(cls)]
    assert [(r.id, r.created_on, r.modified_on) for r in records] == times


def test_a_loaded_models_nodes_hold_one_empty_dict_that_cannot_be_written(network):
    """The graph's nodes hold no attributes and no links of their own (the columns do): a loaded model's nodes all
    hold the one read-only empty dict, a node added after holds its own, and the model answers as a rebuild."""
    checkpoint.start(network, saved(network))  # replayed and saved
    loaded = checkpoint.start(network, saved(network))
    held = {id(d) for d in [*loaded.G._node.values(), *loaded.G._adj.values()]}
    assert held == {id(NOTHING)} and loaded.G.number_of_nodes() > 50
    with pytest.raises(TypeError, match="holds nothing"):
        loaded.G.nodes[next(iter(loaded.G))]["name"] = "Nowa nazwa"
    network.register_organisation(by=Principal.operator("t"), name="Stowarzyszenie Nowe", kind="ngo", region="18",
                                  city="Krosno")
    Follower(network, graph=loaded).catch_up()
    assert same_as_a_rebuild(network, loaded)


def test_a_loaded_models_dicts_share_the_table_of_their_names(sqlite_url):
    """Each node version's attributes and the dicts in the records (an exchange's confirmations, a partnership's
    members and areas) come back from a saved model as dicts without a table of names of their own — half the room
    or less — and the model answers as a rebuild, also after events that change them."""
    app = HubApplication(sqlite_url)
    generate(app, partnerships=40, organisations=120, meetings=100, exchanges=200, seed=5)
    checkpoint.start(app, saved(app))  # replayed and saved
    loaded = checkpoint.start(app, saved(app))

    def room(dicts) -> tuple[int, int]:
        dicts = list(dicts)
        assert len(dicts) > 100
        return sum(map(sys.getsizeof, dicts)), sum(sys.getsizeof({**d}) for d in dicts)

    node_versions = room(loaded.cols.nv_attrs)
    in_records = room([c for x in loaded.records(ExperienceExchange) for c in x.confirmations]
                      + [m for p in loaded.records(Partnership) for m in [*p.members.values(), *p.areas.values()]])
    assert node_versions[0] < 0.6 * node_versions[1] and in_records[0] < 0.7 * in_records[1]
    lists = [attrs[name] for attrs in loaded.cols.nv_attrs for name in ("regions", "areas") if name in attrs]
    assert len({id(x) for x in lists}) == len({tuple(x) for x in lists}) < len(lists) / 4  # equal lists: one list
    assert same_as_a_rebuild(app, loaded)
    partnership = next(p for p in loaded.records(Partnership) if len(p.members) >= 3 and p.areas and not p.terminated_on)
    member = next(m for m, held in partnership.members.items() if held["role"] != "leader")
    operator = Principal.operator("t")
    app.leave_partnership(partnership.id, by=operator, organisation_id=str(member), left_on=date.today().isoformat())
    app.withdraw_area(partnership.id, by=operator, code=next(iter(partnership.areas)))
    Follower(app, graph=loaded).catch_up()
    assert same_as_a_rebuild(app, loaded)
    app.close()


class _NotARecord:
    def __reduce__(self):
        return checkpoint._records_from, ([(date, ("year",))], array("I", [0]).tobytes(), [2020])


class _NotATable:
    def __reduce__(self):
        return checkpoint._records_from, ([(Partnership, ("name",))], array("I", [0, 1]).tobytes(), ["P"])


class _NotAUuidsValue:
    def __reduce__(self):
        from uuid import UUID
        return checkpoint._give_uuid, (UUID(int=1), "os.system")


class _NotNames:
    def __reduce__(self):
        return shared_names.shaped, (("name", 1),)


class _Named:
    """Pickled as a persistent id of the reader's choice."""

    def __init__(self, pid) -> None:
        self.pid = pid


def _array_id(number: int, code: str, length: int = 0) -> int:
    return (((length << checkpoint._NUMBER_BITS) + number) * len(checkpoint.ARRAY_TYPES)
            + checkpoint.ARRAY_TYPES.index(code)) * checkpoint._KINDS


def _forged(objects) -> bytes:
    out = io.BytesIO()

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            return obj.pid if isinstance(obj, _Named) else None

    Pickler(out, protocol=5).dump(objects)
    return out.getvalue()


@pytest.mark.parametrize("payload, reason", [
    # attributes given to what is not a record
    (lambda: _forged({"position": 1, "G": _NotARecord()}) + pickle.dumps((b"", {})), "not a record"),
    # records that are not a table of their values
    (lambda: _forged({"position": 1, "G": _NotATable()}) + pickle.dumps((b"", {})), "cannot be read"),
    # a UUID given what is not a UUID's value
    (lambda: _forged({"position": 1, "G": _NotAUuidsValue()}) + pickle.dumps((b"", {})), "not one's value"),
    # a dict to share names that are not texts
    (lambda: _forged({"position": 1, "G": _NotNames()}) + pickle.dumps((b"", {})), "cannot be read"),
    # a time no calendar holds
    (lambda: _forged({"position": 1, "G": _Named(10**30 * checkpoint._KINDS + checkpoint._TIME)})
     + pickle.dumps((b"", {})), "cannot be read"),
    # a persistent id that is not a number
    (lambda: _forged({"position": 1, "G": _Named("os.system")}) + pickle.dumps((b"", {})), "something unknown"),
    # an array named before those ahead of it, or with a negative number
    (lambda: _forged({"position": 1, "G": _Named(_array_id(5, "q"))}) + pickle.dumps((b"", {})), "out of its order"),
    (lambda: _forged({"position": 1, "G": _Named(_array_id(-1, "q"))}) + pickle.dumps((b"", {})), "out of its order"),
    # arrays longer than their contents, or no arrays part at all
    (lambda: _forged({"position": 1, "G": [_Named(_array_id(0, "q", length=3)), _Named(_array_id(1, "q", length=70))]})
     + pickle.dumps((array("q", [3, 70]).tobytes(), {("q", True): bytes(8), ("q", False): bytes(8 * 70)})),
     "arrays do not match"),
    (lambda: _forged({"position": 1, "G": [_Named(_array_id(0, "q", length=3)), _Named(_array_id(1, "q", length=70))]})
     + pickle.dumps((array("q", [3, 70]).tobytes(), {("q", True): bytes(24), ("q", False): bytes(8 * 69)})),
     "arrays do not match"),
    (lambda: _forged({"position": 1, "G": _Named(_array_id(0, "q"))}), "cannot be read"),
    # an array longer than the whole file could hold (made before its contents are read: never allocated)
    (lambda: _forged({"position": 1, "G": _Named(_array_id(0, "q", length=10**12))}), "arrays do not match"),
    # contents of no type code, or not a whole number of items
    (lambda: _forged({"position": 1, "G": _Named(_array_id(0, "q"))}) + pickle.dumps((array("q", [0]).tobytes(),
                                                                                      {("qq", True): b"", 7: b""})),
     "arrays do not match"),
    (lambda: _forged({"position": 1, "G": _Named(_array_id(0, "q"))}) + pickle.dumps((array("q", [0]).tobytes(),
                                                                                      {("q", True): b"1234567"})),
     "arrays do not match"),
])
def test_a_forged_payload_naming_arrays_times_or_records_wrongly_is_refused(network, payload, reason):
    """The saved model's own ways of naming arrays, UUIDs, times and records' attributes, forged with the key:
    each is refused with a reason, never a crash, and the server rebuilds."""
    checkpoint.start(network, saved(network), log=lambda line: None)
    forged = payload()
    _rewrite(saved(network), lambda header, _: ({**header, "payload_mac": checkpoint.mac(network, forged)}, forged))
    with pytest.raises(checkpoint.Refused, match=reason):
        checkpoint.load(network, saved(network))
    said: list[str] = []
    graph = checkpoint.start(network, saved(network), log=said.append)
    assert said[0].startswith("read model not loaded")
    assert same_as_a_rebuild(network, graph)


_FREE_AFTER_LOAD = """
import sys
from hub.application import HubApplication
from projections import checkpoint, collector
app = HubApplication(sys.argv[1])
def free():
    return sum(int(row[2]) * int(row[1]) for row in map(collector._STATS_ROW.match,
               collector._allocator_statistics().splitlines()) if row)
before = free()
graph = checkpoint.load(app, checkpoint.path_for(app.database_url, {}))
print(free() - before, len(graph.records(object)))
"""


def test_loading_a_saved_model_leaves_no_throwaway_objects_among_those_it_keeps(sqlite_url):
    """What the unpickler needs only to make the model (an array's argument tuple and bytes, a time's, a UUID's
    and a record's state) is freed at the end of a load, between the objects kept: free memory every worker shares
    without use. Measured in a fresh process: the free small-object memory a load leaves, per record."""
    app = HubApplication(sqlite_url)
    generate(app, partnerships=150, organisations=450, meetings=600, exchanges=1500, seed=5)
    checkpoint.start(app, saved(app), log=lambda line: None)
    app.close()
    done = subprocess.run([sys.executable, "-c", _FREE_AFTER_LOAD, sqlite_url], capture_output=True, text=True,
                          check=True, env={**os.environ, "HUB_READ_MODEL_FILE": ""})
    free_bytes, records = map(int, done.stdout.split())
    assert records > 2000
    assert free_bytes / records < 40  # the unpickler's throwaways left 683 bytes a record


def test_a_servers_workers_start_from_the_log_tree_its_first_process_built(network, monkeypatch):
    """Before forking, the server builds the log's Merkle tree to check its saved model; a worker's ledger starts
    from that tree (shared memory) instead of reading every leaf into one of its own, reads only what was written
    since, and proves exactly what a ledger built from nothing proves."""
    from hub import ledger
    from projections import collector
    from web.serve import prepare_read_model

    monkeypatch.setattr(collector, "freeze", lambda: None)  # (this test's process is not a server about to fork)
    monkeypatch.setattr(ledger, "_handed_down", {})
    monkeypatch.setattr(checkpoint, "_handed_down", {})
    prepare_read_model(network.database_url)
    (handed,) = ledger._handed_down.values()
    assert handed[0].size == network.log_length()

    worker = HubApplication(network.database_url)
    assert worker.ledger.tree is handed[0]  # the first ledger of this store takes it, once
    network.register_organisation(by=Principal.operator("t"), name="Nowa", kind="ngo", region="18", city="Rzeszów")
    worker.ledger.catch_up()
    fresh = HubApplication(network.database_url)
    assert fresh.ledger.tree is not handed[0]
    fresh.ledger.catch_up()
    assert worker.ledger.tree.levels == fresh.ledger.tree.levels and worker.ledger.tree.size == network.log_length()
    last = network.log_length()
    assert worker.ledger.inclusion(last, last) == fresh.ledger.inclusion(last, last)
    worker.close()
    fresh.close()


def test_arrays_of_every_type_code_short_and_long_come_back_equal_of_exactly_their_length():
    """What the saved model's arrays are made of: each type code, empty, short (filled from a slice) and long
    (copied into place), named twice (one object again), and made of exactly their length."""
    made = [array(code) for code in checkpoint.ARRAY_TYPES]
    made += [array(code, (i % 100 for i in range(n))) if code not in "fd" else array(code, [n / 3] * n)
             for code in checkpoint.ARRAY_TYPES for n in (1, 3, 63, 64, 1000)]
    state = {"arrays": made + made[:5], "records": {}}
    out = io.BytesIO()
    checkpoint._dump(state, out)
    payload = out.getvalue()
    loaded = checkpoint._load_state(io.BytesIO(payload), len(payload))["arrays"]
    assert loaded[:len(made)] == made and [a.typecode for a in loaded] == [a.typecode for a in made + made[:5]]
    assert all(loaded[len(made) + i] is loaded[i] for i in range(5))
    assert all(sys.getsizeof(a) == sys.getsizeof(a * 1) for a in loaded)  # (a copy has exactly its length)
