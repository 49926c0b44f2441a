"""A shorter soak in make test: concurrent posts and confirmations, SIGKILL midway, nothing lost or doubled."""

from __future__ import annotations

import pytest

from tests.soak import Server, soak


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def soak_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


def test_nothing_acknowledged_is_lost_or_stored_twice_across_a_sigkill(soak_url):
    report = soak(soak_url, clients=8, rounds=5, kill=True)
    assert report["posts_acknowledged"] + report["gave_up"] >= 40
    assert report["gave_up"] == 0
    assert (report["lost"], report["duplicated"], report["graph_differs"], report["log_verifies"]) == (0, 0, 0, 1)


def test_a_server_that_cannot_start_is_reported_with_what_it_printed():
    server = Server("mysql://nowhere/none")
    with pytest.raises(RuntimeError) as failed:
        server.start(deadline=60)
    assert "exit code 1" in str(failed.value) and "unsupported HUB_DATABASE_URL" in str(failed.value)
