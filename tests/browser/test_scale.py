"""The graph page with 1,000 (synthetic) partnerships: it renders and stays interactive."""

from __future__ import annotations

import unicodedata

import pytest

from hub.synthetic import generate
from tests.browser.conftest import running_site, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    network = lambda app: generate(app, partnerships=1000, organisations=3000, meetings=1000, exchanges=2000, seed=2)
    with running_site(f"sqlite:///{tmp_path_factory.mktemp('big') / 'hub.sqlite3'}", network) as s:
        yield s


PAINTED_LINK_PIXELS = """() => { const c = hubLinks.canvas, d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let painted = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) painted++;
  return painted; }"""


def open_graph_as_manager(page, site) -> None:
    page.set_default_timeout(60_000)
    sign_in(page, site, "manager")
    page.goto(site.base + "/graph")
    page.wait_for_function("Number(document.getElementById('cy').dataset.loads) > 0")


def test_the_graph_page_renders_1000_partnerships_and_finds_one_by_name(page, big_site):
    open_graph_as_manager(page, big_site)
    assert page.evaluate("hubGraph.nodes('[type = \"partnership\"]').length") == 1001
    # The overview's links are drawn by the page's links layer under Cytoscape's canvas: counted and painted.
    assert page.evaluate("hubLinks.count") > 1000 and page.evaluate(PAINTED_LINK_PIXELS) > 10_000
    search = page.get_by_role("combobox", name="Nazwa (polskie znaki niekonieczne)")
    search.fill("podkarpackie partnerstwo strategiczne")  # no diacritics needed
    page.wait_for_function("hubGraph.nodes('.match').length === 1")
    search.fill("lodzkie 5:")
    page.wait_for_function("hubGraph.nodes('.match').length === 1")
    assert page.evaluate("hubGraph.nodes('.match')[0].data('name')").startswith("Łódzkie 5:")
    # Autocomplete: suggestions by keyboard; the picked one is focused and described.
    search.fill("lodzkie 5")
    options = page.get_by_role("listbox", name="Nazwa (polskie znaki niekonieczne)").get_by_role("option")
    assert options.count() >= 1 and all(o.startswith("Łódzkie 5") for o in options.all_inner_texts())
    options_text = options.all_inner_texts()
    search.press("ArrowDown")
    search.press("Enter")
    assert page.locator("#details h2").inner_text() == options_text[0].split(" · ")[0]
    assert page.evaluate("hubGraph.nodes('.focus').length") == 1
    screenshot(page, "graph-1000")


def unfolded(name: str) -> str:
    """A name as someone types it without Polish letters."""
    return "".join(c for c in unicodedata.normalize("NFD", name.lower().replace("ł", "l")) if not unicodedata.combining(c))


OVERLAPPING_LABELS = """() => {
  const boxes = hubGraph.nodes('.labelled').map((n) => n.renderedBoundingBox({includeNodes: false, includeEdges: false, includeLabels: true}));
  let overlaps = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps++;
  }
  const cut = boxes.filter((b) => b.x1 < 0 || b.y1 < 0 || b.x2 > hubGraph.width() || b.y2 > hubGraph.height()).length;
  return [boxes.length, overlaps, cut];
}"""


def test_at_1000_partnerships_a_legend_labels_that_never_overlap_a_fixed_layout_and_focus(page, big_site):
    open_graph_as_manager(page, big_site)
    legend = page.locator("#legend")
    assert legend.is_visible() and "Legenda" in legend.inner_text() and "podkarpackie" in legend.inner_text()
    shown, overlapping, cut = page.evaluate(OVERLAPPING_LABELS)
    assert shown >= 10 and overlapping == 0 and cut == 0  # none cut by the canvas's edge either
    # The others on hover: a node without a label shows its name while the pointer is on it.
    x, y = page.evaluate("""() => { const box = document.getElementById('cy').getBoundingClientRect();
        const inside = (n) => { const p = n.renderedPosition(); return p.x > 40 && p.y > 40 && p.x < hubGraph.width() - 40 && p.y < hubGraph.height() - 40; };
        const p = hubGraph.nodes('[type = "partnership"]').not('.labelled').filter(inside)[0].renderedPosition();
        return [box.x + p.x, box.y + p.y]; }""")
    page.mouse.move(x, y)
    page.wait_for_function("hubGraph.nodes('.hovered').length === 1")
    hovered = "(() => { const n = hubGraph.nodes('.hovered')[0]; return [n.hasClass('labelled'), n.style('label'), n.data('name')]; })()"
    labelled, label, name = page.evaluate(hovered)
    assert not labelled and label == name != ""
    page.mouse.move(x, y - 600)  # off the graph: the name goes again
    page.wait_for_function("hubGraph.nodes('.hovered').length === 0")
    page.mouse.move(x, y)  # back over the graph, so the wheel below zooms it
    page.mouse.wheel(0, -400)  # zoom in: more labels, still none overlapping
    page.wait_for_timeout(600)
    shown_closer, overlapping, cut = page.evaluate(OVERLAPPING_LABELS)
    assert overlapping == 0 and shown_closer >= 10 and cut == 0
    where = "() => Object.fromEntries(hubGraph.nodes('[type = \"partnership\"]:visible').map((n) => [n.id(), n.position()]))"
    before = page.evaluate(where)
    page.evaluate("hubGraph.nodes().scratch('_drawn', 'before the filter')")
    page.select_option("#region", "18")  # a filter shows fewer nodes; none of them moves
    page.wait_for_function("Number(document.getElementById('cy').dataset.loads) > 1")
    after = page.evaluate(where)
    assert 0 < len(after) < len(before) and all(after[n] == before[n] for n in after)
    page.select_option("#region", "")
    page.wait_for_function("Number(document.getElementById('cy').dataset.loads) > 2")
    # Hidden and shown again, never rebuilt: every node drawn before the filter is the same element.
    kept, visible = page.evaluate("""[hubGraph.nodes(':visible').not('.region-label').filter((n) => n.scratch('_drawn')).length,
        hubGraph.nodes(':visible').not('.region-label').length]""")
    assert kept == visible > 1000
    # Overview first: only each node's strongest links are drawn; a focused node shows all of its links.
    drawn, total = page.evaluate("""async () => [hubLinks.count + hubGraph.edges(':visible').length,
        (await (await fetch('/api/graph?view=partnerships')).json()).edges.length]""")
    assert 1000 < drawn < total and f"{drawn}" in page.inner_text("#status")
    # ... and they are each node's strongest: at least its three with the most reasons (or all it has) are drawn.
    data = page.evaluate("async () => (await fetch('/api/graph?view=partnerships')).json()")
    drawn_pairs = set(page.evaluate("""hubLinks.groups.flatMap((g) => { const out = [];
        for (let i = 0; i < g.at.length; i += 2) out.push(g.at[i] + '|' + g.at[i + 1]); return out; })"""))
    links_of: dict[str, list[tuple[int, bool]]] = {}
    for e in data["edges"]:
        weight, shown = len(e.get("reasons") or []) or 1, f"{e['source']}|{e['target']}" in drawn_pairs
        for end in (e["source"], e["target"]):
            links_of.setdefault(end, []).append((weight, shown))
    for links in links_of.values():
        third = sorted((w for w, _ in links), reverse=True)[:3][-1]
        assert sum(1 for w, shown in links if shown and w >= third) >= min(3, len(links))
    page.evaluate("void hubGraph.nodes('[type = \"partnership\"]')[0].emit('tap')")  # void: not the element, which Playwright would serialise whole
    faded = page.evaluate("[hubGraph.nodes('.faded').length, hubGraph.nodes().not('.faded').not('.region-label').length]")
    assert faded[0] > 0 and faded[1] >= 1 and page.evaluate("hubLinks.faded")  # the layer's links fade too
    _, overlapping, cut = page.evaluate(OVERLAPPING_LABELS)  # its neighbours labelled first, each wholly in view
    assert overlapping == 0 and cut == 0
    focused, its_links = page.evaluate("""async () => { const n = hubGraph.nodes('.focus')[0];
        const data = await (await fetch('/api/graph?view=partnerships')).json();
        return [n.connectedEdges(':visible').length, data.edges.filter((e) => e.source === n.id() || e.target === n.id()).length]; }""")
    assert focused == its_links
    assert "Powiązania" in page.locator("#details").inner_text() or "Dlaczego" in page.locator("#details").inner_text()
    screenshot(page, "graph-1000-focus")


def test_at_1000_partnerships_structure_toggles_a_path_by_autocomplete_and_the_table_alternative(page, big_site):
    open_graph_as_manager(page, big_site)
    metrics = page.evaluate("async () => (await fetch('/api/graph/metrics')).json()")
    # Structure: each toggle marks the graph (by line and border style) and lists what it marks, with links.
    for toggle, cls, key, title in (("#show-isolated", "isolated", "isolated_partnerships", "Partnerstwa izolowane"),
                                    ("#show-articulation", "articulation", "articulation_points", "Punkty artykulacji")):
        loads = int(page.get_attribute("#cy", "data-loads"))
        page.check(toggle)
        page.wait_for_function(f"Number(document.getElementById('cy').dataset.loads) > {loads}")
        assert page.evaluate(f"hubGraph.nodes('.{cls}').length") == len(metrics[key])
        heading = page.locator("#structure h3", has_text=title)
        assert heading.inner_text() == f"{title} ({len(metrics[key])})"
        if metrics[key]:
            href = heading.locator("xpath=following-sibling::ul[1]").locator("a").first.get_attribute("href")
            assert href.startswith("/partnerships/") and href.split("/")[-1] in metrics[key]
    loads = int(page.get_attribute("#cy", "data-loads"))
    page.check("#show-bridges")
    page.wait_for_function(f"Number(document.getElementById('cy').dataset.loads) > {loads}")
    bridged = page.evaluate("hubGraph.edges('.bridge').map((e) => [e.source().id(), e.target().id()].sort().join('|'))")
    assert set(bridged) == {"|".join(sorted(pair)) for pair in metrics["bridges"]}  # held-back links are drawn too
    screenshot(page, "graph-1000-structure")
    # A path between two partnerships picked from suggestions typed without diacritics: drawn and zoomed to.
    data = page.evaluate("async () => (await fetch('/api/graph?view=partnerships')).json()")
    names = {n["id"]: n["name"] for n in data["nodes"]}
    start = next(i for i, n in names.items() if n.startswith("Łódzkie 5:"))
    near = {e["target"] if e["source"] == start else e["source"] for e in data["edges"] if start in (e["source"], e["target"])}
    far = next(e["target"] if e["source"] in near else e["source"] for e in data["edges"]
               if (e["source"] in near) != (e["target"] in near) and start not in (e["source"], e["target"]))
    for field, text in (("Ścieżka od", "lodzkie 5:"), ("do", unfolded(names[far]))):
        box = page.get_by_role("combobox", name=field, exact=True)
        box.fill(text)
        box.press("Enter")
    page.get_by_role("button", name="Pokaż ścieżkę").click()
    page.wait_for_function("hubGraph.nodes('.path').length >= 2")
    ends = page.evaluate("hubGraph.nodes('.path').map((n) => n.data('name'))")
    assert set(ends) >= {names[start], names[far]} and len(ends) == 3  # two hops: start, a neighbour, far
    assert page.evaluate("hubGraph.edges('.path').length") == 2
    # The table alternative: every node, sortable by keyboard.
    page.get_by_text("Graf w tabeli").click()
    page.wait_for_function("document.querySelectorAll('#graph-table tbody tr').length > 0")
    rows = page.locator("#graph-table tbody tr")
    assert rows.count() == page.evaluate("async () => (await (await fetch('/api/graph?view=partnerships')).json()).nodes.length")
    links = [int(t) for t in page.locator("#graph-table tbody tr td:nth-child(4)").all_inner_texts()]
    assert links == sorted(links, reverse=True)
    page.locator("#graph-table th[data-key=name] button").focus()
    page.keyboard.press("Enter")
    assert page.get_attribute("#graph-table th[data-key=name]", "aria-sort") == "ascending"
    assert page.evaluate("""() => { const names = [...document.querySelectorAll('#graph-table tbody td:first-child')]
        .map((td) => td.textContent); return names.every((n, i) => i === 0 || names[i - 1].localeCompare(n, 'pl', { numeric: true }) <= 0); }""")


def test_at_1000_partnerships_a_sparse_answer_and_back_keep_one_style_sheet(page, big_site):
    open_graph_as_manager(page, big_site)
    rules = lambda: page.evaluate("hubGraph.style().json().length")
    before = rules()
    assert page.evaluate("hubLinks.count") > 1000  # dense: the faint links on the links layer
    loads = int(page.get_attribute("#cy", "data-loads"))
    page.evaluate("""() => { const s = document.getElementById('valid-at');
        s.value = String(Math.round((Date.parse('2018-03-01') - Date.parse('2018-01-01')) / 86400000)); }""")
    page.get_by_label("sieć w tym dniu").check()  # early 2018: a few partnerships, links drawn by Cytoscape
    page.wait_for_function(f"Number(document.getElementById('cy').dataset.loads) > {loads}")
    assert page.evaluate("hubLinks.count") == 0
    opacities = page.evaluate("hubGraph.edges(':visible').map((e) => Number(e.style('opacity')))")
    assert all(o == 0.7 for o in opacities)  # links of a sparse answer are drawn plainly
    # A day in 2020: a sparse answer with hundreds of links, all drawn plainly by the links layer (as Cytoscape
    # elements they made a slider change slow to paint); a focus makes the node's links elements to tap.
    loads = int(page.get_attribute("#cy", "data-loads"))
    page.evaluate("""() => { const s = document.getElementById('valid-at');
        s.value = String(Math.round((Date.parse('2020-06-01') - Date.parse('2018-01-01')) / 86400000));
        s.dispatchEvent(new Event('change')); }""")
    page.wait_for_function(f"Number(document.getElementById('cy').dataset.loads) > {loads}")
    answer = page.evaluate("async () => (await fetch('/api/graph?view=partnerships&valid_at=2020-06-01')).json()")
    assert 400 < len(answer["edges"]) <= 4000, len(answer["edges"])  # sparse, yet more than a few
    assert page.evaluate("hubLinks.count") == len(answer["edges"]) and page.evaluate("hubLinks.dense") is False
    assert page.evaluate("hubGraph.edges(':visible').length") == 0 and page.evaluate(PAINTED_LINK_PIXELS) > 1000
    busiest = max(answer["nodes"], key=lambda n: sum(n["id"] in (e["source"], e["target"]) for e in answer["edges"]))
    page.evaluate("(id) => { hubGraph.getElementById(id).emit('tap'); }", busiest["id"])
    mine = sum(busiest["id"] in (e["source"], e["target"]) for e in answer["edges"])
    opacities = page.evaluate("hubGraph.edges(':visible').map((e) => Number(e.style('opacity')))")
    assert len(opacities) == mine and all(o in (0.7, 0.9) for o in opacities)  # plain, or near the focus
    assert rules() == before
    loads = int(page.get_attribute("#cy", "data-loads"))
    page.get_by_label("sieć w tym dniu").uncheck()
    page.wait_for_function(f"Number(document.getElementById('cy').dataset.loads) > {loads}")
    assert page.evaluate("hubLinks.count") > 1000 and page.evaluate("hubLinks.dense") is True and rules() == before


# Where the nodes an answer shows lie on screen: their rendered box, and the canvas's size.
SHOWN_BOX = """() => { const b = hubGraph.nodes(':visible').not('.region-label').renderedBoundingBox({ includeLabels: false });
  return { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, w: hubGraph.width(), h: hubGraph.height() }; }"""


def test_at_1000_partnerships_buttons_zoom_in_and_out_and_fit_the_picture_to_what_is_shown(page, big_site):
    """Zoom by buttons too (a keyboard reaches them), and back to the whole of what is shown: after a zoom, a search
    or a path, nodes lie outside the view."""
    open_graph_as_manager(page, big_site)
    inside = lambda box: box["x1"] >= 0 and box["y1"] >= 0 and box["x2"] <= box["w"] and box["y2"] <= box["h"]
    assert inside(page.evaluate(SHOWN_BOX))
    first = page.evaluate("hubGraph.zoom()")
    page.get_by_role("button", name="Przybliż").click()
    page.wait_for_function("(z) => !hubGraph.animated() && hubGraph.zoom() > z * 1.4", arg=first)
    page.get_by_role("button", name="Przybliż").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(z) => !hubGraph.animated() && hubGraph.zoom() > z * 2.2", arg=first)
    assert not inside(page.evaluate(SHOWN_BOX))
    page.get_by_role("button", name="Oddal").click()
    page.wait_for_function("(z) => !hubGraph.animated() && hubGraph.zoom() < z * 1.6", arg=first)
    zoomed = page.evaluate("hubGraph.zoom()")
    page.get_by_role("button", name="Dopasuj do widocznych").click()
    page.wait_for_function("(z) => !hubGraph.animated() && hubGraph.zoom() < z", arg=zoomed)
    box = page.evaluate(SHOWN_BOX)  # all of it in view, and filling it
    assert inside(box) and (box["x2"] - box["x1"] > 0.8 * box["w"] or box["y2"] - box["y1"] > 0.8 * box["h"])


def test_at_1000_partnerships_a_focus_outlives_an_answer_that_keeps_its_node_and_is_let_go_by_one_that_hides_it(
        page, big_site):
    """The panel kept telling about a node and its links after a filter or a slider had hidden it or changed them."""
    open_graph_as_manager(page, big_site)
    node, name = page.evaluate("""(() => { const n = hubGraph.nodes('[type = "partnership"][region = "18"]')
        .filter((p) => p.data('regions').length === 1)[0]; return [n.id(), n.data('name')]; })()""")
    page.evaluate("(id) => { hubGraph.getElementById(id).emit('tap'); }", node)
    heading = page.locator("#details h2")
    assert heading.inner_text() == name
    for region, kept in (("18", True), ("12", False)):
        loads = int(page.get_attribute("#cy", "data-loads"))
        page.select_option("#region", region)
        page.wait_for_function(f"Number(document.getElementById('cy').dataset.loads) > {loads}")
        focused, faded = page.evaluate("(id) => [hubGraph.getElementById(id).hasClass('focus'), "
                                       "hubGraph.nodes('.faded').length]", node)
        if kept:  # focused again at the new answer: the rest faded, the panel its own
            assert focused and faded > 0 and heading.inner_text() == name
        else:
            assert not focused and faded == 0 and heading.count() == 0
            assert "Wybranego węzła nie ma w grafie" in page.inner_text("#details")


# A link of the links layer whose middle lies clear of every node and of every other link, on screen.
# A click there reaches the graph, not the zoom buttons or the legend drawn over its canvas.
ON_CANVAS = "const onCanvas = (x, y) => document.getElementById('cy').contains(document.elementFromPoint(x, y));"

CLEAR_LINK = """() => {
  """ + ON_CANVAS + """
  const cy = hubGraph, box = document.getElementById('cy').getBoundingClientRect(), z = cy.zoom(), pan = cy.pan();
  const screen = (x, y) => [x * z + pan.x, y * z + pan.y];
  const nodes = cy.nodes(':visible').not('.region-label').map((n) => screen(n.position('x'), n.position('y')));
  const segments = [];
  hubLinks.groups.forEach((g) => g.ids.forEach((id, i) => segments.push(
    [id, ...screen(g.xy[4 * i], g.xy[4 * i + 1]), ...screen(g.xy[4 * i + 2], g.xy[4 * i + 3])])));
  const away = (px, py, [, x1, y1, x2, y2]) => { const dx = x2 - x1, dy = y2 - y1;
    const t = Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy || 1)));
    return Math.hypot(x1 + t * dx - px, y1 + t * dy - py); };
  for (const s of segments) {
    const [id, x1, y1, x2, y2] = s, mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
    if (mx < 20 || my < 20 || mx > box.width - 20 || my > box.height - 20) continue;
    if (nodes.some(([x, y]) => Math.hypot(x - mx, y - my) < 30)) continue;
    if (segments.some((o) => o !== s && away(mx, my, o) < 8)) continue;
    if (!onCanvas(box.left + mx, box.top + my)) continue;
    if (cy.renderer().findNearestElements(mx, my, true, false).length) continue;  // not under a label
    return { id: id, x: box.left + mx, y: box.top + my };
  }
  return null; }"""


# A point of the graph on screen far from every node and every link of the links layer (a click there taps nothing;
# a fixed step beside a link could land on one of its ends or off the graph, as a clean CI run once found).
EMPTY_SPOT = """() => {
  """ + ON_CANVAS + """
  const cy = hubGraph, box = document.getElementById('cy').getBoundingClientRect(), z = cy.zoom(), pan = cy.pan();
  const screen = (x, y) => [x * z + pan.x, y * z + pan.y];
  const nodes = cy.nodes(':visible').map((n) => screen(n.position('x'), n.position('y')));
  const segments = [];
  hubLinks.groups.forEach((g) => { for (let i = 0; i < g.xy.length; i += 4)
    segments.push([...screen(g.xy[i], g.xy[i + 1]), ...screen(g.xy[i + 2], g.xy[i + 3])]); });
  const away = (px, py, [x1, y1, x2, y2]) => { const dx = x2 - x1, dy = y2 - y1;
    const t = Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy || 1)));
    return Math.hypot(x1 + t * dx - px, y1 + t * dy - py); };
  for (let y = 40; y < box.height - 40; y += 10) for (let x = 40; x < box.width - 40; x += 10) {
    if (nodes.some(([nx, ny]) => Math.hypot(nx - x, ny - y) < 40)) continue;
    if (segments.some((s) => away(x, y, s) < 12)) continue;
    if (!onCanvas(box.left + x, box.top + y)) continue;
    return { x: box.left + x, y: box.top + y };
  }
  return null; }"""


def empty_spot(page) -> dict:
    """A spot of the canvas with nothing on it; where the view is full (closer in, around a dense region), the
    picture is first moved aside, out of the view."""
    spot = page.evaluate(EMPTY_SPOT)
    if spot is None:
        page.evaluate("() => { void hubGraph.panBy({ x: 4 * document.getElementById('cy').clientWidth, y: 0 }); }")
        spot = page.evaluate(EMPTY_SPOT)
    assert spot is not None, "no empty spot on the canvas, even with the picture moved aside"
    return dict(spot)


def clear_link(page) -> dict:
    """A link of the links layer clear of others, closer in, where the links around a partnership spread apart (the
    overview draws 2,100 of them)."""
    for n in range(40):
        page.evaluate("(n) => { void hubGraph.zoom(1.5); "
                      "void hubGraph.center(hubGraph.nodes('[type = \"partnership\"]').filter(':visible')[n]); }", n)
        page.wait_for_timeout(300)  # the labels are placed 120 ms after the view moves: a click may land on one
        clear = page.evaluate(CLEAR_LINK)
        if clear is not None:
            return dict(clear)
    raise AssertionError("no link of the links layer lies clear of the others around 40 partnerships")


def test_at_1000_partnerships_a_link_of_the_links_layer_tells_why_it_exists_when_tapped(page, big_site):
    open_graph_as_manager(page, big_site)
    clear = clear_link(page)
    page.mouse.click(clear["x"], clear["y"])
    page.wait_for_function("(id) => hubGraph.getElementById(id).nonempty()", arg=clear["id"])
    reasons = page.evaluate("(id) => hubGraph.getElementById(id).data('reasons').length", clear["id"])
    details = page.locator("#details")
    assert details.locator("h2").inner_text() == "Dlaczego połączone"
    assert details.locator("li").count() == reasons > 0
    # drawn as faint as the layer's links of a dense answer (0.25), not as a sparse answer's (0.7)
    assert page.evaluate("(id) => Number(hubGraph.getElementById(id).style('opacity'))", clear["id"]) == 0.25
    spot = empty_spot(page)  # nothing there: nothing is tapped, the link goes back to the layer
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_function("(id) => hubGraph.getElementById(id).empty()", arg=clear["id"])
    # A day's answer comes without reasons (half the text): the link tapped asks the server for its own.
    loads = int(page.get_attribute("#cy", "data-loads"))
    page.evaluate("""() => { const s = document.getElementById('valid-at');
        s.value = String(Math.round((Date.parse('2020-06-01') - Date.parse('2018-01-01')) / 86400000)); }""")
    page.get_by_label("sieć w tym dniu").check()
    page.wait_for_function(f"Number(document.getElementById('cy').dataset.loads) > {loads}")
    clear = clear_link(page)
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/api/graph/link?" in request.url else None)
    page.mouse.click(clear["x"], clear["y"])
    page.wait_for_function("(id) => hubGraph.getElementById(id).nonempty()", arg=clear["id"])
    assert page.evaluate("(id) => Number(hubGraph.getElementById(id).style('opacity'))", clear["id"]) == 0.7  # sparse
    source, target = page.evaluate("(id) => [hubGraph.getElementById(id).data('source'), "
                                   "hubGraph.getElementById(id).data('target')]", clear["id"])
    link = page.evaluate("async ([s, t]) => (await fetch(`/api/graph/link?source=${s}&target=${t}"
                         "&valid_at=2020-06-01`)).json()", [source, target])
    page.wait_for_function("(n) => document.querySelectorAll('#details li').length === n", arg=len(link["reasons"]))
    assert details.locator("h2").inner_text() == "Dlaczego połączone" and len(link["reasons"]) > 0
    assert [r["label"] in details.inner_text() for r in link["reasons"]] == [True] * len(link["reasons"])
    polish = {"shared_member": "wspólny członek", "co_organised": "wspólnie zorganizowane wydarzenie",
              "attended": "udział w wydarzeniu", "exchange_confirmed": "potwierdzona wymiana",
              "exchange_unconfirmed": "niepotwierdzona wymiana"}
    items = details.locator("li").all_inner_texts()
    assert [item.startswith(polish[r["kind"]] + ":") for item, r in zip(items, link["reasons"], strict=True)] == [
        True] * len(items), items  # each reason's kind in the page's language, never its key
    assert len(asked) == 2 and "valid_at=2020-06-01" in asked[0]  # the page's, then the test's own


def test_at_1000_partnerships_colour_by_community_reaches_organisations_and_meetings(page, big_site):
    """A partnership takes its own community, an organisation its partnerships', a meeting its parties'. The links
    come from the answer: drawn by the links layer, they are not Cytoscape's (reading Cytoscape's left every
    organisation grey)."""
    open_graph_as_manager(page, big_site)
    for change in (lambda: page.check("input[name=view][value=full]"), lambda: page.select_option("#colour", "community")):
        loads = int(page.get_attribute("#cy", "data-loads"))
        change()
        page.wait_for_function(f"Number(document.getElementById('cy').dataset.loads) > {loads}")
    answer = page.evaluate("async () => (await fetch('/api/graph')).json()")
    communities = page.evaluate("async () => (await fetch('/api/graph/metrics?')).json()")["communities"]
    near: dict[str, set[str]] = {}
    for e in answer["edges"]:
        near.setdefault(e["source"], set()).add(e["target"])
        near.setdefault(e["target"], set()).add(e["source"])
    found = {n["id"] for n in answer["nodes"] if n["id"] in communities}
    for _ in range(2):  # organisations through their partnerships, then meetings through both
        found = found | {n["id"] for n in answer["nodes"] if near.get(n["id"], set()) & found}
    grey = set(page.evaluate("hubGraph.nodes(':visible').not('.region-label')"
                             ".filter((n) => n.data('community') === null).map((n) => n.id())"))
    kinds = {n["id"]: n["type"] for n in answer["nodes"]}
    assert grey == set(kinds) - found
    coloured = [kinds[i] for i in found]
    assert coloured.count("organisation") > 1000 and coloured.count("meeting") > 100


def test_at_1000_partnerships_the_page_asks_for_betweenness_only_to_size_nodes_by_it(page, big_site):
    """Betweenness is the slowest measure (seconds at real size after a write that adds a link): colouring by
    community asks the metrics without it; sizing by betweenness asks for it, and the partnerships' sizes follow."""
    open_graph_as_manager(page, big_site)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/api/graph/metrics" in request.url else None)
    sizes = []
    for change in (lambda: page.select_option("#colour", "community"), lambda: page.select_option("#size", "betweenness")):
        loads = int(page.get_attribute("#cy", "data-loads"))
        change()
        page.wait_for_function(f"Number(document.getElementById('cy').dataset.loads) > {loads}")
        sizes.append(page.evaluate("hubGraph.nodes('[type = \"partnership\"]').map((n) => [n.id(), n.data('size')])"))
    assert len(asked) == 2 and "betweenness=false" in asked[0] and "betweenness" not in asked[1]
    by_degree, by_betweenness = dict(sizes[0]), dict(sizes[1])
    assert len(set(by_betweenness.values())) > 5  # sized by their own betweenness, not one size for all
    assert sum(by_degree[n] != by_betweenness[n] for n in by_degree) > 100
