"""The audit's log search looks at stored rows before decoding them — and finds exactly what decoding all finds."""

from __future__ import annotations

import pytest

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.sample import load_sample
from hub.synthetic import generate
from projections.history import LogQuery, search_log, search_log_newest_first


@pytest.fixture(scope="module")
def app():
    application = HubApplication("memory://")
    load_sample(application)
    generate(application, partnerships=20, organisations=60, meetings=30, exchanges=60, seed=5)
    manager = application.create_account(by=Principal.operator("ąę \"cytat\""), name="Ewa", role="manager")
    application.issue_token(manager, by=Principal.operator("m"))  # a security event
    application.register_organisation(by=Principal.of_account(manager, "Ewa", ["manager"], None), name="Jej",
                                      kind="ngo", region="06", city="Lublin")
    yield application
    application.close()


def queries(app):
    last = app.read_log(after=app.log_length() - 1, limit=1)[0]
    first_org = app.read_log(limit=1)[0].aggregate_id
    return [LogQuery(actors=frozenset({last.actor}), security=None), LogQuery(actors=frozenset({"sample-loader"})),
            LogQuery(actors=frozenset({'ąę "cytat"'}), security=None), LogQuery(event_type="Posted"),
            LogQuery(event_type="Account.Created", security=None), LogQuery(aggregate_id=first_org),
            LogQuery(security=True), LogQuery(security=False), LogQuery()]


def test_looking_at_rows_first_finds_exactly_what_decoding_every_row_finds(app, monkeypatch):
    for query in queries(app):
        quick = (search_log_newest_first(app, query, limit=500), search_log(
            app, limit=500, event_type=query.event_type, actor=next(iter(query.actors)) if query.actors else None,
            aggregate_id=query.aggregate_id))
        with monkeypatch.context() as m:
            m.setattr(LogQuery, "might_match", lambda self, n: True)
            slow = (search_log_newest_first(app, query, limit=500), search_log(
                app, limit=500, event_type=query.event_type,
                actor=next(iter(query.actors)) if query.actors else None, aggregate_id=query.aggregate_id))
        positions = lambda result: ([e.position for e in result[0][0]], result[0][1],
                                    [e.position for e in result[1][0]], result[1][1])
        assert positions(quick) == positions(slow), query
        assert quick[0][0], query  # every query here finds something: the comparison is not of two empties


def test_a_page_of_a_rare_actors_events_continues_where_it_stopped(app):
    query = LogQuery(actors=frozenset({"sample-loader"}))
    first, cont = search_log_newest_first(app, query, limit=3)
    rest, _ = search_log_newest_first(app, query, before=cont, limit=10)
    assert [e.position for e in first + rest] == sorted({e.position for e in first + rest}, reverse=True)
    assert len(first) == 3 and all(e.actor == "sample-loader" for e in first + rest)
