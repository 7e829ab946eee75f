"""Browser tests: Debian's Chromium, driven by Playwright, against Django's live server.

Playwright's own browser download is never used: the browser is CHROMIUM_PATH or
/usr/bin/chromium, and without either every browser test is skipped with a message
(a skip fails the run under CI=true, see tests/conftest.py). pytest-playwright's
fixtures are not used (its plugin is disabled in pyproject's addopts): one Chromium is
launched for the whole package and each test gets a fresh context.

Playwright's sync API keeps an asyncio event loop running in the main thread for as
long as it is started, and Django refuses database calls from a thread with a running
loop. Main-thread database work in these tests (loading the content, creating users,
the transactional_db flush) therefore needs DJANGO_ALLOW_ASYNC_UNSAFE=true. It is set
here, before Playwright starts, and only for as long as Playwright runs: the tests
outside this package keep Django's safety check.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from checklist.loader import load_initial_content
from tests.browser.helpers import DESKTOP

LAUNCH_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = "Chromium not found: set CHROMIUM_PATH or install Debian's chromium; see README"
# Only test_screenshots.py writes files; it runs only with --screenshots.
SCREENSHOT_TESTS = "test_screenshots.py"


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        action="store_true",
        default=False,
        help="also write the README's screenshots to docs/screenshots/ (needs Chromium)",
    )


def pytest_collection_modifyitems(config, items):
    """Without --screenshots the screenshot test is deselected (never skipped)."""
    if config.getoption("--screenshots", default=False):
        return
    deselected = [item for item in items if item.path.name == SCREENSHOT_TESTS]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item.path.name != SCREENSHOT_TESTS]


def chromium_path():
    """CHROMIUM_PATH, else Debian's /usr/bin/chromium; None when neither exists."""
    configured = os.environ.get("CHROMIUM_PATH", "").strip()
    if configured:
        found = shutil.which(configured)
        return found if found and Path(found).is_file() else None
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for every browser test, closed after the last one."""
    executable = chromium_path()
    if executable is None:
        pytest.skip(MISSING_CHROMIUM)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(browser, transactional_db, live_server):
    """The live server's base URL, with the shipped content loaded.

    transactional_db empties every table after each test, so the content (loaded once
    per session by tests/conftest.py) is loaded again here, for each test.
    """
    load_initial_content()
    return live_server.url


@pytest.fixture
def site_host(site):
    return urlsplit(site).netloc


@pytest.fixture
def new_context(browser, site):
    """Open browser contexts (closed after the test): new_context(viewport=..., ...)."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "en-GB")
        options.setdefault("base_url", site)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page at 1280 x 900 in a fresh context (no cookies, English)."""
    return new_context().new_page()
