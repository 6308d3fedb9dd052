"""Browser tests: Playwright driving Debian's chromium (/usr/bin/chromium).

Outside CI they are skipped, with a message, when chromium is not installed; in CI a
missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SPILKA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _chromium_path() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(
                "CI needs Debian's chromium for the browser tests (apt-get install chromium)."
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


class RequestLog:
    def __init__(self) -> None:
        self.urls: list[str] = []

    def hosts(self) -> set[str]:
        return {
            urlparse(url).netloc
            for url in self.urls
            if urlparse(url).scheme in {"http", "https", "ws", "wss"}
        }


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    log = RequestLog()
    page.on("request", lambda request: log.urls.append(request.url))
    page.request_log = log
    page.set_default_timeout(15000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    context.close()
