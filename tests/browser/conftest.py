"""Browser tests: Playwright driving Debian's chromium.

Debian builds chromium in two forms: the desktop browser (`chromium`) and the headless
shell (`chromium-headless-shell`, the same Blink and V8 without the desktop UI, which is
what Playwright itself runs headless). The tests use the headless shell when it is
installed: the desktop browser in headless mode still runs its UI, and spent three times
the CPU on the same journeys (26.7 against 9.1 CPU-seconds for eight of them).
Otherwise they use `chromium`. `SPILKA_CHROMIUM` names another.

Outside CI they are skipped, with a message, when neither is installed; in CI a missing
browser fails the run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.watch import Watch, WatchedBrowser, new_page

WATCH = pytest.StashKey[Watch]()

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUMS = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _chromium_path() -> str | None:
    if os.environ.get("SPILKA_CHROMIUM"):
        return os.environ["SPILKA_CHROMIUM"]
    for path in CHROMIUMS:
        if Path(path).exists():
            return path
    return shutil.which("chromium-headless-shell") or shutil.which("chromium")


@pytest.fixture(scope="session")
def _chromium():
    path = _chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(
                "CI needs Debian's chromium for the browser tests "
                "(apt-get install chromium-headless-shell chromium)."
            )
        pytest.skip(
            "Debian's chromium is not installed: browser tests skipped (run `make browser` as root)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser(_chromium, request):
    """The session's chromium; every context a test opens through it is watched (see
    ``watch.py``) and the test fails on any console error, CSP violation or error response."""
    watch = Watch()
    for marker in request.node.iter_markers("expect_http_status"):
        watch.allow(
            status=marker.args[0],
            url_part=marker.kwargs["url_part"],
            reason=marker.kwargs["reason"],
        )
    request.node.stash[WATCH] = watch
    yield WatchedBrowser(_chromium, watch)
    watch.close()


@pytest.fixture
def page(browser, live_server):
    page = new_page(browser, locale="en-GB")
    yield page
    ARTIFACTS.mkdir(exist_ok=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    watch = item.stash.get(WATCH, None)
    if watch is not None:
        watch.settle()
        report = watch.report()
        if report:
            pytest.fail(
                "the browser saw problems (fix the page; an expected error response needs "
                "an explicit expect_http_status marker with a reason):\n" + report,
                pytrace=False,
            )
    return result


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "expect_http_status(status, url_part=..., reason=...): this browser test deliberately "
        "opens an error response; the watcher lets exactly that status at URLs containing "
        "url_part through. Rare, and always with a reason.",
    )
