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


OVERLAPPING_LABELS = """() => {
  const boxes = hubGraph.nodes('.labelled').map((n) => n.renderedBoundingBox({includeNodes: false, includeEdges: false, includeLabels: true}));
  let overlaps = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps++;
  }
  return [boxes.length, overlaps];
}"""


def test_at_1000_partnerships_a_legend_labels_that_never_overlap_a_fixed_layout_and_focus(page, big_site):
    page.set_default_timeout(60_000)
    sign_in(page, big_site, "manager")
    page.goto(big_site.base + "/graph")
    page.wait_for_function("Number(document.getElementById('cy').dataset.loads) > 0")
    legend = page.locator("#legend")
    assert legend.is_visible() and "Legenda" in legend.inner_text() and "podkarpackie" in legend.inner_text()
    shown, overlapping = page.evaluate(OVERLAPPING_LABELS)
    assert shown >= 10 and overlapping == 0
    page.mouse.wheel(0, -400)  # zoom in: more labels, still none overlapping
    page.wait_for_timeout(600)
    shown_closer, overlapping = page.evaluate(OVERLAPPING_LABELS)
    assert overlapping == 0 and shown_closer >= 10
    where = "() => Object.fromEntries(hubGraph.nodes('[type = \"partnership\"]').map((n) => [n.id(), n.position()]))"
    before = page.evaluate(where)
    page.select_option("#region", "18")  # a filter shows fewer nodes; none of them moves
    page.wait_for_function("Number(document.getElementById('cy').dataset.loads) > 1")
    after = page.evaluate(where)
    assert 0 < len(after) < len(before) and all(after[n] == before[n] for n in after)
    page.select_option("#region", "")
    page.wait_for_function("Number(document.getElementById('cy').dataset.loads) > 2")
    # Overview first: only each node's strongest links are drawn; a focused node shows all of its links.
    drawn, total = page.evaluate("""async () => [hubGraph.edges().length,
        (await (await fetch('/api/graph?view=partnerships')).json()).edges.length]""")
    assert 1000 < drawn < total and f"{drawn}" in page.inner_text("#status")
    page.evaluate("hubGraph.nodes('[type = \"partnership\"]')[0].emit('tap')")
    faded = page.evaluate("[hubGraph.nodes('.faded').length, hubGraph.nodes().not('.faded').not('.region-label').length]")
    assert faded[0] > 0 and faded[1] >= 1
    focused, its_links = page.evaluate("""async () => { const n = hubGraph.nodes('.focus')[0];
        const data = await (await fetch('/api/graph?view=partnerships')).json();
        return [n.connectedEdges().length, data.edges.filter((e) => e.source === n.id() || e.target === n.id()).length]; }""")
    assert focused == its_links
    assert "Powiązania" in page.locator("#details").inner_text() or "Dlaczego" in page.locator("#details").inner_text()
    screenshot(page, "graph-1000-focus")
