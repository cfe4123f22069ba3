"""Real-browser tests: Playwright drives headless Chromium against a live server.

Every page a test loads must pass axe-core's WCAG 2.1 A and AA rules, in light
and dark and at phone and desktop size, and no page may log a
Content-Security-Policy violation.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.measure import DESKTOP_VIEWPORT, PHONE_VIEWPORT

# Playwright's sync API keeps an event loop in the test thread; the ORM calls
# the tests make there are still ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
axe = Axe()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = {**browser_type_launch_args, "args": CHROMIUM_FLAGS}
    # Debian's Chromium where installed (CI); otherwise Playwright's own build.
    if DEBIAN_CHROMIUM.exists():
        args["executable_path"] = str(DEBIAN_CHROMIUM)
    return args


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "timezone_id": "Europe/Berlin", "locale": "en-GB"}


class AccessibilityCheck:
    """Runs axe-core on the page as it is now, and remembers what was checked."""

    def __init__(self, page):
        self.page = page
        self.loaded: list[str] = []
        self.checked: set[str] = set()
        self.csp_errors: list[str] = []
        page.on("load", lambda p: self.loaded.append(p.url))
        page.on("console", self._watch_console)

    def _watch_console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_errors.append(message.text)

    def __call__(self):
        """Checks the page in both colour schemes at its own size, then at the
        other size (phone or desktop), and puts the page back as it was."""
        self.page.wait_for_load_state("load")
        own_size = self.page.viewport_size
        other_size = DESKTOP_VIEWPORT if own_size["width"] < 700 else PHONE_VIEWPORT
        try:
            for size in (own_size, other_size):
                self.page.set_viewport_size(size)
                for scheme in ("light", "dark"):
                    self.page.emulate_media(color_scheme=scheme)
                    self._settle()
                    self._run_axe(f"{size['width']}x{size['height']}, {scheme}")
        finally:
            self.page.set_viewport_size(own_size)
            self.page.emulate_media(color_scheme="light")
        self.checked.add(self.page.url)

    def _settle(self):
        # Let two frames pass: with reduced motion every property transitions for
        # 0.01 ms (site.css), and colours read before a frame are the old scheme's.
        self.page.evaluate(
            "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
        )

    def _run_axe(self, condition: str):
        results = axe.run(
            self.page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_21_AA},
                "resultTypes": ["violations"],
            },
        )
        report = results.generate_report() if results.violations_count else ""
        assert results.violations_count == 0, (
            f"Accessibility violations on {self.page.url} ({condition}):\n{report}"
        )

    def assert_everything_checked(self):
        unchecked = [url for url in self.loaded if url not in self.checked]
        assert not unchecked, f"pages loaded without an accessibility check: {unchecked}"
        assert not self.csp_errors, f"Content-Security-Policy violations: {self.csp_errors}"


@pytest.fixture
def a11y(page, django_db_serialized_rollback, transactional_db, live_server):
    check = AccessibilityCheck(page)
    yield check
    check.assert_everything_checked()
