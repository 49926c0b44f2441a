"""WCAG 2.1 AA on every page, checked by axe-core (vendored in tests/browser/vendor, MPL-2.0) in chromium.

Each page is opened as the person who uses it, after its scripts have drawn what they draw
(the graph, the map), and axe-core runs the WCAG 2.0/2.1 A and AA rules. The test lists every
violation with the rule, its help text and the first elements it found, so a failure says
what to mend.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[str]:
    page.add_script_tag(content=AXE)
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                          ".then(r => r.violations.map(v => [v.id, v.help, v.nodes.slice(0, 3).map(n => n.target.join(' '))]))",
                          TAGS)
    return [f"{rule}: {text} — {', '.join(targets)}" for rule, text, targets in found]


def pages_of(site, who: str) -> list[str]:
    ids = site.ids
    common = ["/", "/graph", "/map", "/partnerships", f"/partnerships/{ids['podkarpackie-lll-2020']}", "/organisations",
              f"/organisations/{ids['pcm']}", "/meetings", "/exchanges", "/projects?sort=-name",
              "/partnerships?status=active&region=18", "/meetings?year=21"]
    partnership = ids['podkarpackie-lll-2020']
    audit = ["/audit", "/audit?tab=security", f"/audit/{partnership}", "/audit?since=yesterday"]
    if who == "manager":
        return common + audit + [
            "/partnerships/new", "/organisations/new", "/meetings/new", "/projects/new", "/initiatives/new",
            f"/partnerships/{partnership}/change_member_role", f"/partnerships/{partnership}/amend_partnership",
            f"/organisations/{ids['pcm']}/move_organisation", f"/projects/{ids['zsk4']}/amend_project",
            f"/initiatives/{ids['prowadzenie-mediacji-w-oswiacie']}/record_initiative_details",
            f"/projects/{ids['zsk4']}", f"/initiatives/{ids['prowadzenie-mediacji-w-oswiacie']}",
            "/partnerships/new?refused", "/import", "/accounts", "/accounts/new", f"/accounts/{ids['auditor']}",
            f"/accounts/{ids['auditor']}/grant_role"]
    if who == "auditor":
        return common + audit
    return common + ["/desk"]


@pytest.mark.parametrize("who", ["anonymous", "manager", "partner_pcm"])
@pytest.mark.parametrize("lang", ["pl", "en"])
def test_no_page_has_an_accessibility_violation(browser, site, who, lang):
    context = browser.new_context(locale="pl-PL" if lang == "pl" else "en-GB", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(site.base + f"/lang/{lang}")
        if who == "anonymous":
            paths = ["/signin"]
        else:
            sign_in(page, site, who) if lang == "pl" else _sign_in_en(page, site, who)
            paths = pages_of(site, who)
        report: dict[str, list[str]] = {}
        for path in paths:
            page.goto(site.base + path.removesuffix("?refused"))
            if path.endswith("?refused"):  # a form sent empty: the error summary and messages by the fields
                page.locator("form.record-form button[type=submit]").click()
                page.wait_for_selector("#error-summary")
            if path == "/graph":
                page.wait_for_function("Number(document.getElementById('cy').dataset.loads) > 0")
            if path == "/":
                page.wait_for_selector("#trend-charts[data-loaded='1']", state="attached")
            found = violations(page)
            if found:
                report[path] = found
        assert report == {}, "\n".join(f"{path}: {v}" for path, found in report.items() for v in found)
    finally:
        context.close()


def _sign_in_en(page, site, who: str) -> None:
    page.goto(site.link(who))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.base + "/")
