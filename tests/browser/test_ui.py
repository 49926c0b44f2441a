"""The UI in a real browser against a real server: roles, the exchange's life on the graph, time, audit."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from hub.authorisation import Principal
from tests.browser.conftest import pick, screenshot, sign_in
from tests.browser.test_accessibility import pages_of

pytestmark = pytest.mark.browser


def wait_for_graph(page, loads_before: int) -> None:
    page.wait_for_function(f"Number(document.getElementById('cy').dataset.loads) > {loads_before}")


def graph_loads(page) -> int:
    return int(page.get_attribute("#cy", "data-loads"))


DRAWN = """() => ({ status: document.getElementById('status').textContent, loads: document.getElementById('cy').dataset.loads,
  onThisDay: document.getElementById('use-valid-at').checked, day: document.getElementById('valid-at-label').textContent,
  asked: performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.includes('/api/graph')),
  partnerships: hubGraph.nodes('[type = "partnership"]').map((n) => [n.id(), n.classes(), n.style('visibility')]) })"""


def open_graph(page, site) -> None:
    """The graph page as the network manager sees it first."""
    sign_in(page, site, "manager")
    page.goto(site.base + "/graph")
    wait_for_graph(page, 0)


def open_full_graph(page, site) -> None:
    page.goto(site.base + "/graph")
    wait_for_graph(page, 0)
    before = graph_loads(page)
    page.get_by_label("także organizacje").check()
    wait_for_graph(page, before)


def exchange_edges(page, kind: str) -> int:
    return page.evaluate(f"hubGraph.edges('.{kind}:visible').length")


@pytest.mark.parametrize("who, audit, desk", [("manager", True, False), ("auditor", True, False),
                                               ("partner_pcm", False, True)])
def test_each_role_signs_in_and_sees_its_own_menu(page, site, who, audit, desk):
    sign_in(page, site, who)
    nav = page.get_by_role("navigation", name="Menu główne")
    assert nav.get_by_role("link", name="Pulpit").is_visible()
    assert nav.get_by_role("link", name="Audyt").count() == (1 if audit else 0)
    assert nav.get_by_role("link", name="Moje biurko").count() == (1 if desk else 0)
    page.goto(site.base + "/audit")
    assert ("Przegląd audytowy" in page.content()) == audit
    screenshot(page, f"signed-in-{who}")
    page.get_by_role("button", name="Wyloguj").click()
    page.wait_for_url(re.compile(r".*/signin.*"))


def test_a_sign_in_link_works_once(page, site):
    link = site.link("auditor")
    page.goto(link)
    page.get_by_role("button", name="Zaloguj").click()
    page.wait_for_url(site.base + "/")
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_role("button", name="Zaloguj").click()
    assert "nieważny, wygasł albo został już użyty" in page.content()


def test_dashboard_and_partnership_page_show_the_sample_in_polish_and_english(page, site):
    sign_in(page, site, "manager")
    # A first run: the sample partnership expired in 2022, yet the first view shows it with its members.
    active = page.locator(".active-partnerships")
    assert "Podkarpackie partnerstwo strategiczne" in active.inner_text()
    assert active.locator("ul.members li").count() == 3
    assert "nie obowiązuje żadne partnerstwo" in page.get_by_role("status").first.inner_text()
    # The trend: a chart per measure and the same figures as a table, equal to the API's.
    page.wait_for_selector("#trend-charts[data-loaded='1']")
    assert page.locator("#trend-charts figure").count() == 6
    api = page.evaluate("async () => (await (await fetch('/api/trends')).json()).quarters")
    page.get_by_text("Trend w tabeli").click()
    rows = page.locator("#trend-table tbody tr")
    assert rows.count() == len(api)
    in_force = [r for r in api if r["active_partnerships"] == 1]
    assert [r["quarter"] for r in in_force] == ["2020-Q4", "2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4", "2022-Q1", "2022-Q2"]
    row = rows.filter(has_text="2021-Q1").first.locator("td").all_inner_texts()
    assert row[:3] == ["2021-Q1", "2021-03-31", "1"]
    screenshot(page, "dashboard")
    page.get_by_role("link", name="Partnerstwa", exact=True).first.click()
    page.get_by_role("link", name=re.compile("Podkarpackie partnerstwo strategiczne")).click()
    content = page.content()
    for text in ("Instytut Badań Edukacyjnych", "Lider Partnerstwa", "Partner Wiodący", "Partner Biznesowy",
                 "Małgorzata Rauch", "Podkarpacka Kurator Oświaty", "8 grudnia 2020", "30 czerwca 2022",
                 "Prowadzenie mediacji w oświacie", "sieciowanie z innymi partnerstwami"):
        assert text in content, text
    screenshot(page, "partnership")
    page.get_by_role("link", name="EN", exact=True).click()
    content = page.content()
    assert "leading partner" in content and "8 December 2020" in content and "Members" in content


def test_an_exchange_appears_turns_confirmed_and_disappears_on_the_graph(browser, site):
    pcm = browser.new_context(locale="pl-PL", viewport={"width": 1366, "height": 900}).new_page()
    ko = browser.new_context(locale="pl-PL", viewport={"width": 1366, "height": 900}).new_page()
    sign_in(pcm, site, "partner_pcm")
    sign_in(ko, site, "partner_ko")

    pcm.goto(site.base + "/desk")
    pcm.get_by_label("Temat", exact=True).fill("Mediacje rówieśnicze w szkołach")
    pcm.get_by_label("Data", exact=True).fill("2021-03-01")
    pick(pcm, "f-counterpart_organisations.0", "kuratorium oswiaty w rz", "Kuratorium Oświaty w Rzeszowie")
    pcm.get_by_role("button", name="Dodaj", exact=True).click()
    row = pcm.locator("tr.exchange", has_text="Mediacje rówieśnicze w szkołach")
    assert "niepotwierdzona" in row.inner_text()
    screenshot(pcm, "desk-posted")

    open_full_graph(ko, site)
    assert exchange_edges(ko, "exchange_unconfirmed") == 1 and exchange_edges(ko, "exchange_confirmed") == 0

    ko.goto(site.base + "/desk")
    ko.locator("article.exchange", has_text="Mediacje rówieśnicze").get_by_role("button", name="Potwierdź").click()
    assert "potwierdzona przez nas" in ko.locator("tr.exchange", has_text="Mediacje rówieśnicze").inner_text()
    open_full_graph(ko, site)
    assert exchange_edges(ko, "exchange_confirmed") == 1 and exchange_edges(ko, "exchange_unconfirmed") == 0
    screenshot(ko, "graph-confirmed")

    pcm.goto(site.base + "/desk")
    row = pcm.locator("tr.exchange", has_text="Mediacje rówieśnicze")
    row.get_by_placeholder("powód").fill("wpis zdublowany")
    row.get_by_role("button", name="Wycofaj").click()
    assert "wycofana" in pcm.locator("tr.exchange", has_text="Mediacje rówieśnicze").inner_text()
    open_full_graph(ko, site)
    assert exchange_edges(ko, "exchange_confirmed") == 0 and exchange_edges(ko, "exchange_unconfirmed") == 0
    pcm.context.close()
    ko.context.close()


def test_the_desk_shows_errors_next_to_fields_and_keeps_what_was_typed(page, site):
    sign_in(page, site, "partner_pcm")
    page.goto(site.base + "/desk")
    page.get_by_label("Temat", exact=True).fill("Temat bez daty i partnera")
    page.get_by_role("button", name="Dodaj", exact=True).click()
    assert page.get_by_label("Temat", exact=True).input_value() == "Temat bez daty i partnera"
    errors = page.locator(".field-error")
    assert errors.count() == 1  # the date is the first thing the rules refuse
    assert page.locator("[id='f-exchanged_on-error']").inner_text().strip() == "To pole jest wymagane."
    screenshot(page, "desk-errors")


def test_the_time_sliders_change_the_graph(page, site):
    open_graph(page, site)
    partnerships = lambda: page.evaluate("hubGraph.nodes('[type = \"partnership\"]:visible').length")
    assert partnerships() == 1  # the sample's one partnership, valid on the page's business date
    counts = page.inner_text("#status")
    nodes = int(counts.split()[0])
    form = "węzeł" if nodes == 1 else "węzły" if nodes % 10 in (2, 3, 4) and nodes % 100 not in (12, 13, 14) else "węzłów"
    assert counts.startswith(f"{nodes} {form}, "), counts  # Polish plural forms, never "1 węzłów"
    loads = graph_loads(page)
    page.get_by_label("sieć w tym dniu").check()  # today: the sample agreement expired in 2022
    wait_for_graph(page, loads)
    # Waited for, not read at once: in two clean CI runs (of about thirty) the partnership was still visible
    # when the answer had been drawn, and neither a loop of this module nor one under load reproduced it.
    # Should it stay, the message says what the page had drawn.
    try:
        page.wait_for_function("hubGraph.nodes('[type = \"partnership\"]:visible').length === 0", timeout=10_000)
    except PlaywrightTimeoutError:
        raise AssertionError(page.evaluate(DRAWN)) from None
    loads = graph_loads(page)
    page.evaluate("""() => { const s = document.getElementById('valid-at');
        s.value = String(Math.round((Date.parse('2021-06-01') - Date.parse('2018-01-01')) / 86400000));
        s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); }""")
    wait_for_graph(page, loads)
    assert page.inner_text("#valid-at-label") == "2021-06-01" and partnerships() == 1
    screenshot(page, "graph")
    loads = graph_loads(page)
    page.get_by_label("sieć w tym dniu").uncheck()
    wait_for_graph(page, loads)
    assert partnerships() == 1
    loads = graph_loads(page)
    # The record-time slider stops at moments of the log and says when each was recorded, not a position.
    assert page.inner_text("#as-of-label") == "teraz"
    page.evaluate("""() => { const s = document.getElementById('as-of'); s.value = '0';
        s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); }""")
    wait_for_graph(page, loads)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", page.inner_text("#as-of-label"))
    assert partnerships() == 0  # the log's first event: an organisation, no partnership yet


def test_the_record_time_slider_looks_ahead_at_the_moments_next_to_the_one_shown(page, site):
    """After a move of the record-time slider the page asks for the moments on either side, so the next step
    is drawn from what it holds: the server is asked at most whether that answer is still the same (304)."""
    open_graph(page, site)
    last = int(page.get_attribute("#as-of", "max"))
    step = """(value) => { const s = document.getElementById('as-of'); s.value = String(value);
        s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); }"""
    asked = """(url) => performance.getEntriesByType('resource').filter((r) => r.name.endsWith(url))
        .map((r) => r.responseStatus)"""
    ticks = page.evaluate("JSON.parse(document.getElementById('graph-config').textContent).ticks")
    moment = lambda tick: f"/api/graph?view=partnerships&as_of={ticks[tick][0]}&reasons=false&format=columns"
    loads = graph_loads(page)
    page.evaluate(step, last // 2)
    wait_for_graph(page, loads)
    before, after = moment(last // 2 - 1), moment(last // 2 + 1)
    page.wait_for_function(f"({asked})('{before}').length === 1 && ({asked})('{after}').length === 1")
    assert page.evaluate(asked, moment(last // 2 + 2)) == []  # only the next ones
    loads = graph_loads(page)
    page.evaluate(step, last // 2 - 1)
    wait_for_graph(page, loads)
    # Looked ahead, then only revalidated (304) — or, when the step came while the look-ahead's answer was still
    # being read, drawn from that same request: never a second transfer (one clean CI run saw only the first request).
    page.wait_for_timeout(300)  # a request's timing entry may be listed a moment after its answer is drawn
    statuses = page.evaluate(asked, before)
    assert statuses[0] == 200 and statuses[1:] in ([], [304]), statuses
    shown = page.evaluate("hubGraph.nodes(':visible').not('.region-label').map((n) => n.id())")
    expected = page.evaluate(f"async () => (await (await fetch('{before}')).json()).nodes.map((n) => n.id)")
    assert sorted(shown) == sorted(expected)


def test_an_answer_that_arrives_after_a_newer_one_was_asked_for_is_not_drawn(page, site):
    """Someone changes a filter faster than the server answers: the picture matches the last change."""
    open_graph(page, site)
    shown = lambda: page.evaluate("hubGraph.nodes(':visible').not('.region-label').length")
    everything = shown()
    assert everything > 0
    # The answer for Lower Silesia (where the sample has nothing) is held back 1.5 s in the page.
    page.evaluate("""() => { const asked = window.fetch;
        window.fetch = (url, options) => String(url).includes('region=02')
          ? new Promise((resolve) => setTimeout(resolve, 1500)).then(() => asked(url, options)) : asked(url, options); }""")
    loads = graph_loads(page)
    page.select_option("#region", "02")
    page.select_option("#region", "")
    wait_for_graph(page, loads)
    page.wait_for_timeout(2500)  # the held-back answer has arrived by now
    assert graph_loads(page) == loads + 1 and shown() == everything


def test_moving_the_view_and_filtering_do_not_grow_the_style_sheet(page, site):
    """Every restyle reads the whole style sheet: what the page sets per view goes on elements, never as new rules."""
    open_graph(page, site)
    rules = lambda: page.evaluate("hubGraph.style().json().length")
    before = rules()
    for factor in (1.5, 1.5, 0.5, 2.0):
        # void: the setter returns Cytoscape itself, which Playwright would serialise whole (and crash the page)
        page.evaluate(f"""void hubGraph.zoom({{ level: hubGraph.zoom() * {factor},
            renderedPosition: hubGraph.nodes().not('.region-label')[0].renderedPosition() }})""")  # around the sample
        page.wait_for_timeout(250)  # the labels are placed again 120 ms after the view stops
    for region in ("18", ""):
        loads = graph_loads(page)
        page.select_option("#region", region)
        wait_for_graph(page, loads)
    assert rules() == before
    zoom = page.evaluate("hubGraph.zoom()")  # labels still keep their size on screen
    sizes = page.evaluate("hubGraph.nodes('.labelled').map((n) => parseFloat(n.style('font-size')))")
    assert sizes and all(abs(size * zoom - 12) < 0.01 for size in sizes)


def test_the_audit_explorer_shows_every_event_of_an_exchange_with_actors(browser, site):
    from hub.application import HubApplication

    app = HubApplication(site.url)
    x = app.post_exchange(by=Principal.operator("setup"), organisation_id=str(site.ids["pcm"]),
                          counterpart_organisations=[str(site.ids["ko"])], exchanged_on="2021-04-01", topic="Audyt wymiany")
    pcm = app.principal(site.ids["partner_pcm"])
    ko = app.principal(site.ids["partner_ko"])
    app.confirm_exchange(x, by=ko, organisation_id=str(site.ids["ko"]))
    app.retract_exchange(x, by=pcm, reason="test audytu")
    app.close()
    page = browser.new_context(locale="pl-PL").new_page()
    sign_in(page, site, "auditor")
    page.goto(f"{site.base}/audit/{x}")
    versions = page.locator("section.version")
    assert versions.count() == 3
    text = [versions.nth(i).inner_text() for i in range(3)][::-1]  # newest first on the page
    assert "dodano wymianę doświadczeń" in text[0] and "setup" in text[0] and "Centrum Mediacji" in text[0]
    assert "Posted" in text[0]  # the log's own name stays, small, for those who read the API
    assert "potwierdzono wymianę" in text[1] and "Małgorzata Rauch" in text[1]  # people by name, not by id
    assert "wycofano wymianę" in text[2] and "Wiesław Pałka" in text[2]
    assert str(site.ids["partner_pcm"]) not in "".join(text)
    assert "test audytu" in text[2]
    screenshot(page, "audit-record")
    page.goto(f"{site.base}/audit?type=Retracted")
    assert "Audyt wymiany" in page.content() or str(x) in page.content()
    screenshot(page, "audit-log")
    page.context.close()


def test_a_script_in_an_organisation_name_is_shown_as_text_not_run(page, site):
    from hub.application import HubApplication

    hostile = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
    app = HubApplication(site.url)
    app.register_organisation(by=Principal.operator("setup"), name=hostile, kind="other", region="18", city="Rzeszów")
    app.close()
    sign_in(page, site, "manager")
    for path in ("/organisations", "/"):
        page.goto(site.base + path)
        assert page.evaluate("window.__xss") is None
    page.goto(site.base + "/organisations")
    assert page.get_by_text(hostile).count() == 1


@pytest.mark.parametrize("who", ["partner_pcm", "manager", "auditor"])
def test_every_page_fits_a_phone_screen(browser, site, who):
    page = browser.new_context(locale="pl-PL", viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    sign_in(page, site, who)
    wide = {}
    for path in pages_of(site, who):
        page.goto(site.base + path.removesuffix("?refused"))
        if path.endswith("?refused"):
            page.locator("form.record-form button[type=submit]").click()
            page.wait_for_selector("#error-summary")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            wide[path] = overflow
    if who == "partner_pcm":
        page.goto(site.base + "/desk")
        screenshot(page, "phone-desk")
    page.context.close()
    assert wide == {}, f"pages wider than a 390 px phone (by px): {wide}"


def test_the_map_shows_the_sixteen_regions_and_the_same_numbers_as_its_table(page, site):
    sign_in(page, site, "manager")
    page.get_by_role("link", name="Mapa", exact=True).click()
    tiles = page.locator("#regions-map g.tile")
    assert tiles.count() == 16
    # A first run shows the sample's date (nothing is in force today): Podkarpackie has the partnership.
    assert tiles.locator("xpath=self::*[@data-region='18']").get_attribute("data-partnerships") == "1"
    table = {row.get_attribute("data-region"): row.locator("td").nth(1).inner_text()
             for row in page.locator("table.sortable tbody tr").all()}
    assert table == {t.get_attribute("data-region"): t.get_attribute("data-partnerships") for t in tiles.all()}
    assert page.locator("#regions-map").get_attribute("role") == "img" and page.locator("#map-desc").count() == 1
    # every word inside its tile's white box: "brak aktywnego partnerstwa" on one line ran past the tile's edge
    overflowing = page.evaluate("""[...document.querySelectorAll('#regions-map g.tile')].flatMap((g) => {
      const box = g.querySelector('rect').getBBox();
      return [...g.querySelectorAll('text')].filter((t) => t.getBBox().x + t.getBBox().width > box.x + box.width)
        .map((t) => `${g.dataset.region}: ${t.textContent}`); })""")
    assert overflowing == []
    screenshot(page, "map")


def test_play_advances_business_time_with_the_layout_fixed(page, site):
    sign_in(page, site, "manager")
    page.goto(site.base + "/graph")
    page.wait_for_function("Number(document.getElementById('cy').dataset.loads) > 0")
    partnership = str(site.ids["podkarpackie-lll-2020"])
    page.evaluate("hubPlay.interval = 0")
    page.get_by_role("button", name="Odtwórz").click()
    page.wait_for_function("hubPlay.shown > 3")
    where = page.evaluate(f"hubGraph.getElementById('{partnership}').position()")
    page.wait_for_function("hubPlay.timer === null && hubPlay.shown === hubPlay.data.frames.length")
    days = page.evaluate("hubPlay.data.frames.map((f) => f.day)")
    present = page.evaluate(f"hubPlay.data.frames.map((f) => f.nodes.some((i) => hubPlay.data.nodes[i].id === '{partnership}'))")
    assert days[0] == "2018-01-01" and days == sorted(days) and len(days) > 30
    in_force = [d for d, p in zip(days, present, strict=True) if p]
    assert in_force[0] == "2021-01-01" and in_force[-1] == "2022-04-01"  # signed 2020-12-08, ended 2022-06-30
    # The last step is today: the partnership is hidden, in the same place; the date shown is today's.
    assert page.evaluate(f"!hubGraph.getElementById('{partnership}').visible()")
    assert page.evaluate(f"hubGraph.getElementById('{partnership}').position()") == where
    assert page.inner_text("#valid-at-label") == days[-1]
    assert "krok" in page.inner_text("#status")


def test_the_png_export_carries_title_dates_and_legend(page, site, tmp_path):
    import struct

    sign_in(page, site, "manager")
    page.goto(site.base + "/graph")
    page.wait_for_function("Number(document.getElementById('cy').dataset.loads) > 0")
    with page.expect_download() as download:
        page.get_by_role("link", name="PNG z legendą i datami").click()
    path = tmp_path / "graph.png"
    download.value.save_as(path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and download.value.suggested_filename == "partner-graph.png"
    width, height = struct.unpack(">II", data[16:24])
    shown = page.evaluate("[hubGraph.width(), hubGraph.height()]")
    assert (width, height) == (2 * shown[0] + 420, 2 * shown[1] + 100)  # the view at 2×, a heading, a legend
    page.set_content(f'<img id="png" src="data:image/png;base64,{__import__("base64").b64encode(data).decode()}">')
    screenshot(page, "graph-export")


def test_the_svg_export_draws_what_is_seen_with_title_dates_and_legend(page, site, tmp_path):
    from xml.etree import ElementTree

    sign_in(page, site, "manager")
    page.goto(site.base + "/graph")
    page.wait_for_function("Number(document.getElementById('cy').dataset.loads) > 0")
    with page.expect_download() as download:
        page.get_by_role("link", name="SVG z legendą i datami").click()
    assert download.value.suggested_filename == "partner-graph.svg"
    path = tmp_path / "graph.svg"
    download.value.save_as(path)
    svg = ElementTree.parse(path).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    texts = {t.get("class"): t.text for t in svg.findall("s:text", ns) if t.get("class") in ("title", "dates")}
    assert texts["title"] == "Graf partnerów" and "jak hub wiedział" in texts["dates"]
    nodes = svg.findall("*[@class='node']", ns)
    shown = page.evaluate("hubGraph.nodes(':visible').filter((n) => !n.hasClass('region-label')).length")
    assert len(nodes) == shown >= 1
    legend = [t.text for t in svg.findall("s:text[@class='legend']", ns)]
    assert "podkarpackie" in legend and len(legend) == page.locator("#legend li").count()


def test_comparing_two_dates_marks_links_added_removed_and_changed_with_a_legend(page, site):
    from hub.application import HubApplication

    app = HubApplication(site.url)
    partnership = site.ids["podkarpackie-lll-2020"]
    member = next(oid for oid, m in app.get(partnership).members.items() if m["role"] == "business_partner")
    app.change_member_role(partnership, by=Principal.operator("setup"), organisation_id=str(member),
                           role="partner", changed_on="2021-06-01")
    app.close()
    sign_in(page, site, "manager")
    page.goto(site.base + "/graph")
    page.wait_for_function("Number(document.getElementById('cy').dataset.loads) > 0")
    before = int(page.get_attribute("#cy", "data-loads"))
    page.get_by_label("także organizacje").check()
    page.wait_for_function(f"Number(document.getElementById('cy').dataset.loads) > {before}")
    page.fill("#compare-from", "2021-01-01")
    page.fill("#compare-to", "2021-12-01")
    before = int(page.get_attribute("#cy", "data-loads"))
    page.click("#compare")
    page.wait_for_function(f"Number(document.getElementById('cy').dataset.loads) > {before}")
    changed = page.evaluate("hubGraph.edges('.changed').map((e) => e.data('role'))")
    assert changed == ["partner"]  # the member's link: there at both dates, now with another role
    legend = page.locator("#legend").inner_text()
    assert "Między dwiema datami" in legend and "zmienione" in legend and "dodane" in legend
    assert "1 zmienione" in page.inner_text("#status")
    screenshot(page, "graph-compare")
    page.click("#compare-off")
    page.wait_for_function("!document.getElementById('legend').innerText.includes('Między dwiema datami')")


def test_an_auditor_reads_the_log_in_sentences_newest_first_and_filters_it_by_name_and_date(browser, site):
    from hub.application import HubApplication

    app = HubApplication(site.url)
    partnership = site.ids["podkarpackie-lll-2020"]
    manager = app.principal(site.ids["manager"])
    now = app.get(partnership).members[site.ids["pcm"]]["role"]  # other tests of this module may change it
    role, label = ("coordinator", "Koordynator") if now != "coordinator" else ("observer", "Obserwator")
    today = date.today().isoformat()
    app.change_member_role(partnership, by=manager, organisation_id=str(site.ids["pcm"]), role=role, changed_on=today)
    changed_at = app.log_length()
    app.close()
    page = browser.new_context(locale="pl-PL", viewport={"width": 1366, "height": 900}).new_page()
    sign_in(page, site, "auditor")
    page.goto(f"{site.base}/audit")
    rows = page.locator("table.log-table tbody tr")
    newest = rows.first.inner_text()
    assert newest.startswith(str(changed_at))  # newest first: the change just made, not the sample's first event
    assert "Anna Menedżerka" in newest  # who, by name
    assert "Podkarpackie Centrum Mediacji" in newest and label in newest and today in newest
    assert str(site.ids["pcm"]) not in newest and "{" not in newest  # no ids, no Python reprs
    screenshot(page, "audit-log-sentences")
    shown = page.content()
    assert "Zalogowano" not in shown and "secret_hash" not in shown  # sign-ins live on their own tab

    page.get_by_role("link", name="Logowania i tokeny").click()
    assert rows.count() > 0 and "secret_hash" not in page.content()
    assert all("Zalogowano" in text or "token" in text.lower() or "link" in text.lower()
               for text in rows.all_inner_texts())

    page.get_by_role("link", name="Zapis sieci").click()
    page.locator("#actor").fill("menedzerka")  # part of a name, without its diacritics
    page.get_by_role("button", name="Filtruj").click()
    assert {text.split("\t")[2] for text in rows.all_inner_texts()} == {"Anna Menedżerka"}

    page.locator("#actor").fill("")
    page.locator("#until").fill("2000-01-01T00:00")  # jump to a date before anything was recorded
    page.get_by_role("button", name="Filtruj").click()
    assert rows.count() == 1 and "Brak pasujących zdarzeń" in rows.first.inner_text()

    page.goto(f"{site.base}/audit?since=wczoraj")  # a filter it cannot read is said, not dropped
    assert page.locator("#since").get_attribute("aria-invalid") == "true"
    assert page.locator("#since-error").is_visible() and "Brak pasujących zdarzeń" in rows.first.inner_text()
    page.context.close()
