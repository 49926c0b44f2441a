"""The hub's pages work under its own Content Security Policy: no inline script, no eval.

Other browser tests skip the policy (Playwright's waits evaluate expressions);
this one keeps it on, signs in through a link whose token is in the fragment,
opens every kind of page, and fails on any violation the browser reports.
"""

from __future__ import annotations

from tests.browser.conftest import screenshot


def test_sign_in_by_fragment_link_and_every_page_under_the_content_security_policy(browser, site):
    context = browser.new_context(locale="pl-PL", viewport={"width": 1366, "height": 900}, bypass_csp=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    link = site.link("manager")
    assert "#token=" in link
    page.goto(link)
    assert page.input_value("#token") == link.split("#token=")[1]  # filled by signin.js
    assert "#token" not in page.url  # and taken out of the address bar
    assert not any("token=" in url for url in requested)  # the token never went to the server in a URL
    page.get_by_role("button", name="Zaloguj").click()
    page.wait_for_url(site.base + "/")
    for path in ("/", "/graph", "/map", "/partnerships", "/organisations", "/audit", "/import"):
        page.goto(site.base + path)
        page.wait_for_load_state("networkidle")
    page.goto(site.base + "/graph")
    page.locator("#cy[data-loads='1']").wait_for(state="attached")
    page.wait_for_selector("#status:has-text('węz')")
    screenshot(page, "graph-under-csp")
    page.goto(site.base + "/api/docs")  # Swagger UI, started from a file rather than flask-smorest's inline script
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 40
    assert violations == []
    context.close()
