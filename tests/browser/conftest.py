"""Browser fixtures: Debian's Chromium driven by Playwright against the live test server."""
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without these flags Chromium tries to reach Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, db_kind):
    """Open fresh browser contexts (separate cookie jars, one per person); closes them after the test."""
    contexts = []
    errors = []

    def _open():
        context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800}, locale="ko-KR")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda err: errors.append(str(err)))
        return page

    yield _open
    for context in contexts:
        context.close()
    assert errors == [], f"JavaScript errors: {errors}"


@pytest.fixture
def screenshot(db_kind):
    """Save a screenshot under test-artifacts/, named by database and step."""
    ARTIFACTS.mkdir(exist_ok=True)

    def _take(page, name: str) -> Path:
        path = ARTIFACTS / f"{db_kind}-{name}.png"
        page.screenshot(path=str(path))
        return path

    return _take
