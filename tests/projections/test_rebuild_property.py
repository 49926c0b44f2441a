"""Property: for random command sequences the live graph equals a rebuild, at every position."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings, target
from hypothesis import strategies as st

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.errors import InvalidCommand, StateConflict
from projections import trends
from projections.current import Pairs
from projections.exports import full_view_json, links_json
from projections.follower import Follower, build_graph
from projections.graph import link_between, materialise, partnership_links, partnership_view, visible_edges
from tests.projections.helpers import (
    canonical,
    canonical_node_link,
    rebuilt_node_link,
    reference_partnership_links,
    reference_visible_edges,
)


@pytest.fixture(autouse=True, scope="module")
def pairs_sorted_in_often():
    """The partnership view's pairs are found in a sorted array once thousands are linked: here after two, so the
    small networks below find most of theirs there too (:class:`projections.current.Pairs`)."""
    kept, Pairs.SORT_AFTER = Pairs.SORT_AFTER, 2
    yield
    Pairs.SORT_AFTER = kept


DAY0 = date(2020, 1, 1)
days = st.integers(min_value=0, max_value=1500).map(lambda n: DAY0 + timedelta(days=n))
pick = st.integers(min_value=0, max_value=50)

commands = st.one_of(
    st.tuples(st.just("org"), st.sampled_from(["18", "12", "06", "PL"])),
    st.tuples(st.just("sign"), pick, pick, days, st.integers(min_value=0, max_value=900)),
    st.tuples(st.just("join"), pick, pick, days),
    st.tuples(st.just("role"), pick, pick, days),
    st.tuples(st.just("leave"), pick, pick, days),
    st.tuples(st.just("extend"), pick, days),
    st.tuples(st.just("terminate"), pick, days),
    st.tuples(st.just("rename"), pick, st.text(alphabet="aąbcćęłńóśźż ", min_size=1, max_size=8)),
    st.tuples(st.just("meeting"), pick, pick, days, pick),
    st.tuples(st.just("cancel"), pick),
    st.tuples(st.just("exchange"), pick, pick, days),
    st.tuples(st.just("confirm"), pick),
    st.tuples(st.just("correct"), pick, days),
    st.tuples(st.just("retract"), pick),
    # Meetings of organisations, several days long, held with attendance as known.
    st.tuples(st.just("org_meeting"), pick, pick, days, st.integers(min_value=0, max_value=3)),
    st.tuples(st.just("hold"), pick, st.one_of(st.none(), st.integers(min_value=0, max_value=500))),
    # Framework projects and the partnerships that join them.
    st.tuples(st.just("project"), st.text(alphabet="ZSKąę 4", min_size=1, max_size=6)),
    st.tuples(st.just("in_project"), pick, pick),
    # Dates known only to a year.
    st.tuples(st.just("sign_in_year"), pick, st.integers(min_value=2015, max_value=2023)),
)


def run(app: HubApplication, command: tuple, made: dict[str, list]) -> None:
    o, p, m, x = made["o"], made["p"], made["m"], made["x"]
    at = lambda seq, i: seq[i % len(seq)] if seq else None
    kind = command[0]
    if kind == "org":
        o.append(app.register_organisation(by=Principal.operator("t"), name=f"Org {len(o)}", kind="ngo", region=command[1], city="X"))
    elif kind == "sign" and len(o) >= 2:
        a, b = at(o, command[1]), at(o, command[2])
        valid_until = command[3] + timedelta(days=command[4])
        p.append(app.sign_partnership(by=Principal.operator("t"), name=f"P{len(p)}", regions=["18"], scope="regional", purpose="x",
                                      signed_on=command[3], signed_at="X", valid_until=valid_until,
                                      members=[{"organisation_id": str(a), "role": "leader"},
                                               {"organisation_id": str(b), "role": "partner"}]))
    elif kind == "join" and p and o:
        app.join_partnership(at(p, command[1]), by=Principal.operator("t"), organisation_id=str(at(o, command[2])), role="partner", joined_on=command[3])
    elif kind == "role" and p and o:
        app.change_member_role(at(p, command[1]), by=Principal.operator("t"), organisation_id=str(at(o, command[2])), role="observer", changed_on=command[3])
    elif kind == "leave" and p and o:
        app.leave_partnership(at(p, command[1]), by=Principal.operator("t"), organisation_id=str(at(o, command[2])), left_on=command[3])
    elif kind == "extend" and p:
        app.extend_partnership(at(p, command[1]), by=Principal.operator("t"), valid_until=command[2])
    elif kind == "terminate" and p:
        app.terminate_partnership(at(p, command[1]), by=Principal.operator("t"), terminated_on=command[2], reason="r")
    elif kind == "rename" and o:
        app.rename_organisation(at(o, command[1]), by=Principal.operator("t"), name=command[2])
    elif kind == "meeting" and p:
        organisers = list({str(at(p, command[1])), str(at(p, command[2]))})
        m.append(app.announce_meeting(by=Principal.operator("t"), title="M", format="seminar", held_on=command[3], place="X",
                                      organisers=organisers, participating_organisations=[str(at(o, command[4]))]))
    elif kind == "cancel" and m:
        app.cancel_meeting(at(m, command[1]), by=Principal.operator("t"), reason="r")
    elif kind == "exchange" and len(o) >= 2:
        a, b = at(o, command[1]), at(o, command[2])
        x.append((app.post_exchange(by=Principal.operator("t"), organisation_id=str(a), counterpart_organisations=[str(b)],
                                    exchanged_on=command[3], topic="T"), b))
    elif kind == "confirm" and x:
        xid, b = at(x, command[1])
        app.confirm_exchange(xid, by=Principal.operator("t"), organisation_id=str(b))
    elif kind == "correct" and x:
        app.correct_exchange(at(x, command[1])[0], by=Principal.operator("t"), exchanged_on=command[2])
    elif kind == "retract" and x:
        app.retract_exchange(at(x, command[1])[0], by=Principal.operator("t"), reason="r")
    elif kind == "org_meeting" and o:
        first = command[3]
        m.append(app.announce_meeting(by=Principal.operator("t"), title="Kongres", format="conference", held_on=first,
                                      ends_on=first + timedelta(days=command[4]), place="X",
                                      organisers=[str(at(o, command[1]))],
                                      participating_organisations=[str(at(o, command[2]))]))
    elif kind == "hold" and m:
        app.record_meeting_held(at(m, command[1]), by=Principal.operator("t"), attendance=command[2],
                                attendance_online=None if command[2] is None else command[2] * 2)
    elif kind == "project":
        made.setdefault("f", []).append(app.register_project(by=Principal.operator("t"), name=command[1]))
    elif kind == "in_project" and p and made.get("f"):
        app.amend_partnership(at(p, command[1]), by=Principal.operator("t"), project_id=str(at(made["f"], command[2])))
    elif kind == "sign_in_year" and o:
        p.append(app.sign_partnership(by=Principal.operator("t"), name=f"P{len(p)}", regions=["12"], scope="regional",
                                      purpose="x", signed_on=str(command[2]), valid_until=str(command[2] + 2),
                                      signed_at="X", members=[{"organisation_id": str(at(o, command[1])),
                                                               "role": "coordinator"}]))


# Histories start with a few organisations and partnerships, so that the commands after them have
# something to act on (drawn from nothing, 94% of histories stored at most one event).
founding = st.tuples(st.lists(st.sampled_from(["18", "12", "06", "PL"]), min_size=3, max_size=8),
                     st.lists(st.tuples(st.just("sign"), pick, pick, days, st.integers(0, 900)), min_size=1, max_size=3))


def in_any_order(links: dict) -> dict:
    """Links with their reasons in any order (each fold lists a pair's reasons in an order of its own)."""
    return {pair: {**link, "reasons": sorted(map(repr, link["reasons"]))} if "reasons" in link else link
            for pair, link in links.items()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(founding, st.lists(commands, min_size=10, max_size=60), st.lists(days, min_size=1, max_size=3))
def test_live_graph_equals_a_rebuild_and_as_of_equals_a_prefix_rebuild(start, sequence, probe_days):
    app = HubApplication("memory://")
    made: dict[str, list] = {"o": [], "p": [], "m": [], "x": []}
    follower = Follower(app)
    regions, signings = start
    sequence = [("org", region) for region in regions] + signings + sequence
    accepted = 0
    for command in sequence:
        before = app.log_length()
        try:
            run(app, command, made)
        except (InvalidCommand, StateConflict) as refusal:  # a rule said no (never a 404, 403 or a crash)
            assert app.log_length() == before, f"{command} was refused ({refusal}) but stored something"
        else:
            accepted += app.log_length() > before
        follower.catch_up()  # the live graph follows command by command
        follower.graph.now.full_answer()  # the current answers follow it change by change
        follower.graph.now.partnerships_answer()
    event(f"accepted {'≥ 10' if accepted >= 10 else '< 10'} commands")
    target(float(accepted))  # steer the search towards long histories that the rules accept
    registrations = sum(1 for c in sequence if c[0] == "org")
    assert len(made["o"]) == registrations and accepted >= registrations  # valid commands are never refused
    live = follower.graph
    now = live.snapshot()
    rebuilt = build_graph(app)
    assert canonical(now) == canonical(rebuilt.snapshot())
    # The current answers, kept up to date event by event, equal the same answers computed from scratch.
    assert canonical_node_link(json.loads(live.now.full_answer().text())) == canonical_node_link(
        rebuilt_node_link(materialise(rebuilt.view())))
    assert canonical_node_link(json.loads(live.now.partnerships_answer().text())) == canonical_node_link(
        rebuilt_node_link(partnership_view(rebuilt.view())))
    # An independent oracle: the records' own state.
    for pid in made["p"]:
        record = app.get(pid)
        members = {(str(o), m["role"]) for o, m in record.members.items()}
        edges = {(u if v == str(pid) else v, d["role"]) for u, v, d in now.edges(str(pid), data=True)
                 if d["kind"] == "membership" and d["valid_to"] is None}
        assert edges == members
        assert now.nodes[str(pid)]["valid_to"] == record.ends_on
    for oid in made["o"]:
        assert now.nodes[str(oid)]["name"] == app.get(oid).name
    for mid in made["m"]:
        meeting = app.get(mid)
        if meeting.status == "cancelled":
            assert str(mid) not in now
            continue
        organised = {u if v == str(mid) else v for u, v, d in now.edges(str(mid), data=True) if d["kind"] == "organised"}
        assert organised == {str(o) for o in meeting.organisers}
    for pid in made["p"]:
        project = app.get(pid).project_id
        linked = [u if v == str(pid) else v for u, v, d in now.edges(str(pid), data=True) if d["kind"] == "project"]
        assert linked == ([str(project)] if project else [])
    live_exchanges = {d["record"] for _, _, d in now.edges(data=True) if d["kind"].startswith("exchange")}
    assert live_exchanges == {str(xid) for xid, _ in made["x"] if not app.get(xid).retracted}
    for position in range(0, app.log_length() + 1, max(1, app.log_length() // 6)):
        prefix = build_graph(app, until=position)
        assert canonical(live.snapshot(as_of=position)) == canonical(prefix.snapshot())
        # a filtered view as of a moment is the same filter's view of the moment's network, on any day
        for filters in ({"region": "18"}, {"region": "12"}, {"scope": "regional"}, {"area": "A4"}):
            for day in (None, probe_days[0]):
                assert canonical(live.snapshot(as_of=position, valid_at=day, **filters)) == canonical(
                    prefix.snapshot(valid_at=day, **filters)), (filters, day)
        for day in probe_days:
            assert canonical(live.snapshot(as_of=position, valid_at=day)) == canonical(prefix.snapshot(valid_at=day))
        # The partnership view written straight from its links is the graph's node-link document.
        for day, kinds in ((None, None), (probe_days[0], None), (None, ["shared_member", "attended"])):
            view = live.view(as_of=position, valid_at=day)
            written = json.loads(links_json(view.moment, *partnership_links(view, kinds=kinds)))
            assert canonical_node_link(written) == canonical_node_link(
                rebuilt_node_link(partnership_view(view, kinds=kinds)))
            # The fold in columns equals the fold one edge at a time (the oracle, the code before the columns):
            # the same partnerships in the same order, links with their kinds in the order met, weights, reasons.
            for filters in ({}, {"region": "12"}, {"area": "A4"}, {"scope": "regional"}):
                filtered = live.view(as_of=position, valid_at=day, kinds=kinds, folded=True, **filters)
                # the full view written straight from its rows is the materialised graph's node-link document
                assert canonical_node_link(json.loads(full_view_json(live, position, day, kinds=kinds, **filters))) \
                    == canonical_node_link(rebuilt_node_link(materialise(live.view(position, day, kinds=kinds,
                                                                                  **filters)))), filters
                assert [(u, v, d["link"]) for u, v, d in visible_edges(filtered)] == [
                    (u, v, d["link"]) for u, v, d in reference_visible_edges(filtered)], filters
                for with_reasons in (True, False):
                    found = partnership_links(filtered, kinds=kinds, reasons=with_reasons)
                    expected = reference_partnership_links(filtered, kinds=kinds, reasons=with_reasons)
                    assert list(found[0].items()) == list(expected[0].items()), filters
                    assert in_any_order(found[1]) == in_any_order(expected[1]), filters
            # Without reasons: the same links, kinds and weights. One link, folded from around its two ends only:
            # the same reasons (in an order of their own), for every pair of partnerships, linked or not.
            _, links = partnership_links(view, kinds=kinds)
            _, bare = partnership_links(view, kinds=kinds, reasons=False)
            assert bare == {pair: {k: v for k, v in link.items() if k != "reasons"} for pair, link in links.items()}
            partnerships = sorted(str(pid) for pid in made["p"])
            for i, a in enumerate(partnerships):
                for b in partnerships[i + 1:]:
                    one, whole = link_between(view, b, a, kinds=kinds), links.get((a, b))
                    assert (one is None) == (whole is None), (a, b)
                    if one is not None and whole is not None:
                        assert sorted(map(repr, one["reasons"])) == sorted(map(repr, whole["reasons"]))
                        assert (one["source"], one["target"], one["weight"], sorted(one["kinds"])) == (
                            whole["source"], whole["target"], whole["weight"], sorted(whole["kinds"]))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(founding, st.lists(commands, min_size=10, max_size=60), st.lists(days, min_size=1, max_size=3),
       st.tuples(days, days))
def test_an_answer_kept_for_its_business_days_equals_one_computed_now_after_every_write(start, sequence, probe_days, span):
    """Answers valid on some days are kept while writes change nothing on those days: never a stale one."""
    app = HubApplication("memory://")
    made: dict[str, list] = {"o": [], "p": [], "m": [], "x": []}
    follower = Follower(app)
    regions, signings = start
    first, last = sorted(span)
    graph = follower.graph
    for command in [("org", region) for region in regions] + signings + sequence:
        try:
            run(app, command, made)
        except (InvalidCommand, StateConflict):
            pass
        follower.catch_up()
        for day in probe_days:
            kept = graph.memo(("probe", day), lambda day=day: canonical(graph.snapshot(valid_at=day)), days=(day, day))
            assert kept == canonical(graph.snapshot(valid_at=day))
            folded = graph.memo(("probe-p", day), lambda day=day: canonical_node_link(
                rebuilt_node_link(partnership_view(graph.view(valid_at=day)))), days=(day, day))
            assert folded == canonical_node_link(rebuilt_node_link(partnership_view(graph.view(valid_at=day))))
            # a trend's point reads what the measures read: kept across a change to an organisation's attributes
            point = graph.memo(("probe-t", day), lambda day=day: trends.point(graph, day), days=(day, day),
                               measures=True)
            assert point == trends.point(graph, day)
        both = graph.memo(("span",), lambda: [canonical(graph.snapshot(valid_at=d)) for d in (first, last)],
                          days=(first, last))
        assert both == [canonical(graph.snapshot(valid_at=d)) for d in (first, last)]
