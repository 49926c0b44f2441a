"""A real gunicorn server with the sample and accounts, and Debian's chromium driven by Playwright.

Without chromium (or Playwright) the browser tests skip with the reason, unless
HUB_REQUIRE_BROWSER=1 (as in CI), where they fail instead. Screenshots go to
tests/artefacts/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.sample import load_sample

HUB = str(Path(sys.executable).with_name("hub"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTEFACTS = Path(__file__).resolve().parents[1] / "artefacts" / "screenshots"


def _unavailable(reason: str) -> None:
    if os.environ.get("HUB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"HUB_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        _unavailable("Debian's chromium is not installed (make test installs it when run as root)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        # The tests wait on JavaScript expressions (Playwright evaluates them), which the hub's Content Security
        # Policy forbids; contexts skip the policy unless a test asks for it (test_ui_under_csp.py does).
        launched_new_context = browser.new_context

        def new_context(**options):
            options.setdefault("bypass_csp", True)
            return launched_new_context(**options)

        browser.new_context = new_context
        yield browser
        browser.close()


@dataclass
class Site:
    base: str
    url: str
    ids: dict[str, Any]

    def link(self, who: str) -> str:
        """A fresh one-time sign-in link for one of the accounts."""
        app = HubApplication(self.url)
        try:
            return f"{self.base}/signin#token={app.issue_sign_in_link(self.ids[who], by=Principal.operator('test')).token}"
        finally:
            app.close()


def serve(url: str) -> tuple[subprocess.Popen, str]:
    """``hub serve`` with two workers on a free port; returns the process and its base URL."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "HUB_DATABASE_URL": url}
    server = subprocess.Popen([HUB, "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/api/health", timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def accounts(app: HubApplication, ids: dict[str, Any]) -> None:
    ids["manager"] = app.create_account(by=Principal.operator("setup"), name="Anna Menedżerka", role="manager")
    ids["auditor"] = app.create_account(by=Principal.operator("setup"), name="Ewa Audytorka", role="auditor")
    ids["partner_pcm"] = app.create_account(by=Principal.operator("setup"), name="Wiesław Pałka", role="partner", organisation_id=str(ids["pcm"]))
    ids["partner_ko"] = app.create_account(by=Principal.operator("setup"), name="Małgorzata Rauch", role="partner", organisation_id=str(ids["ko"]))


@contextmanager
def running_site(url: str, populate: Callable[[HubApplication], None] | None = None) -> Iterator[Site]:
    """The sample (plus ``populate``) and four accounts in a store, served by ``hub serve``."""
    app = HubApplication(url, env={"AGGREGATE_CACHE_MAXSIZE": "100000", "AGGREGATE_CACHE_FASTFORWARD": "n"})
    ids: dict[str, Any] = dict(load_sample(app))
    ids["ko"] = ids["ko-rzeszow"]
    if populate:
        populate(app)
    accounts(app, ids)
    app.close()
    server, base = serve(url)
    try:
        yield Site(base, url, ids)
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with running_site(f"sqlite:///{tmp_path_factory.mktemp('site') / 'hub.sqlite3'}") as s:
        yield s


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="pl-PL", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, site: Site, who: str) -> None:
    page.goto(site.link(who))
    page.get_by_role("button", name="Zaloguj").click()
    page.wait_for_url(site.base + "/")


def screenshot(page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def pick(page, field_id: str, typed: str, wanted: str) -> None:
    """Type into a picker and choose ``wanted`` from its suggestions with the keyboard."""
    box = page.locator(f"[id='{field_id}']")
    box.fill("")
    box.press_sequentially(typed, delay=20)
    page.locator(f"[id='{field_id}-list'] [role=option]", has_text=wanted).first.wait_for()
    while box.get_attribute("aria-activedescendant") is None or wanted not in page.locator(
            f"[id='{box.get_attribute('aria-activedescendant')}']").inner_text():
        box.press("ArrowDown")
    box.press("Enter")
