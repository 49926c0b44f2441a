"""The graph page with 1,000 (synthetic) partnerships: it renders and stays interactive."""

from __future__ import annotations

import pytest

from hub.synthetic import generate
from tests.browser.conftest import running_site, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    network = lambda app: generate(app, partnerships=1000, organisations=3000, meetings=1000, exchanges=2000, seed=2)
    with running_site(f"sqlite:///{tmp_path_factory.mktemp('big') / 'hub.sqlite3'}", network) as s:
        yield s


def test_the_graph_page_renders_1000_partnerships_and_finds_one_by_name(page, big_site):
    page.set_default_timeout(60_000)
    sign_in(page, big_site, "manager")
    page.goto(big_site.base + "/graph")
    page.wait_for_function("Number(document.getElementById('cy').dataset.loads) > 0")
    assert page.evaluate("hubGraph.nodes('[type = \"partnership\"]').length") == 1001
    assert page.evaluate("hubGraph.edges().length") > 1000
    page.get_by_label("Nazwa partnerstwa").fill("podkarpackie partnerstwo strategiczne")  # no diacritics needed
    page.wait_for_function("hubGraph.nodes('.match').length === 1")
    page.get_by_label("Nazwa partnerstwa").fill("lodzkie 5:")
    page.wait_for_function("hubGraph.nodes('.match').length === 1")
    assert page.evaluate("hubGraph.nodes('.match')[0].data('name')").startswith("Łódzkie 5:")
    screenshot(page, "graph-1000")
