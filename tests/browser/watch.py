"""What every browser test watches, and fails on: the page's own errors, seen as a person's
browser sees them.

Each context a test opens (the ``page`` fixture's, and every ``new_page(browser, ...)`` or
``browser.new_context(...)`` a test makes) records:

- console messages of type ``error`` (a failed script, a resource that did not load);
- uncaught errors thrown in the page;
- Content-Security-Policy violations: an init script listens for the
  ``securitypolicyviolation`` event, and chromium's own "Refused to ..." console line is
  counted as one too;
- responses with a status of 400 or more, and requests that failed for any reason but
  being aborted (a navigation away, a download). One 400 is the site working: a form
  posted with errors is re-shown with status 400 (CONTRIBUTING: "render, with status 400
  when the form has errors"), so a 400 answering a form's POST navigation passes.

After the test body the problems are listed, each with its URL, and the test fails. A test
that deliberately opens an error page says so, narrowly and with a reason:
``@pytest.mark.expect_http_status(404, url_part="/no-such-page/", reason="...")`` or
``page.problems.allow(status=404, url_part=..., reason=...)``.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

CSP_MARKER = "spilka-harness-csp-violation "

# Runs in every frame before the page's own scripts; a page's CSP does not apply to it.
CSP_LISTENER = """
(() => {
  const marker = MARKER;
  document.addEventListener("securitypolicyviolation", (event) => {
    console.error(marker + JSON.stringify({
      directive: event.effectiveDirective || event.violatedDirective,
      blocked: event.blockedURI,
      source: event.sourceFile,
      line: event.lineNumber,
      sample: event.sample,
      page: document.location.href,
    }));
  }, true);
})();
""".replace("MARKER", json.dumps(CSP_MARKER))

# Failures that are not faults: the browser dropped the request itself (a navigation went
# on elsewhere, a link turned into a download).
_ABORTED = ("net::ERR_ABORTED",)


@dataclass(frozen=True)
class Problem:
    kind: str  # console, pageerror, csp, http, requestfailed
    url: str
    detail: str
    status: int | None = None

    def __str__(self) -> str:
        return f"[{self.kind}] {self.url or '(no url)'}: {self.detail}"


@dataclass(frozen=True)
class Allowance:
    status: int
    url_part: str
    reason: str

    def covers(self, status: int | None, url: str) -> bool:
        return status == self.status and self.url_part in url


class RequestLog:
    def __init__(self) -> None:
        self.urls: list[str] = []

    def hosts(self) -> set[str]:
        return {
            urlparse(url).netloc
            for url in self.urls
            if urlparse(url).scheme in {"http", "https", "ws", "wss"}
        }


def _failed_load_status(text: str) -> int | None:
    """The status in chromium's "Failed to load resource: ... status of 404 (Not Found)"."""
    prefix = "Failed to load resource: the server responded with a status of "
    if not text.startswith(prefix):
        return None
    number = text[len(prefix) :].split(" ", 1)[0]
    return int(number) if number.isdigit() else None


@dataclass
class Watch:
    """The problems seen in the contexts of one test."""

    problems: list[Problem] = field(default_factory=list)
    allowances: list[Allowance] = field(default_factory=list)
    contexts: list[Any] = field(default_factory=list)

    def allow(self, *, status: int, url_part: str, reason: str) -> None:
        """Let one expected error response through: ``status`` at a URL containing
        ``url_part``. ``reason`` says why the test wants it; keep these rare."""
        if not url_part or not reason:
            raise ValueError("an allowance names the URL it covers and why")
        self.allowances.append(Allowance(status, url_part, reason))

    # -- recording -------------------------------------------------------------------

    def _allowed(self, status: int | None, url: str) -> bool:
        return any(allowance.covers(status, url) for allowance in self.allowances)

    def on_console(self, message: Any) -> None:
        if message.type != "error":
            return
        text = message.text
        url = (message.location or {}).get("url", "") or ""
        if text.startswith(CSP_MARKER):
            try:
                report = json.loads(text[len(CSP_MARKER) :])
            except ValueError:
                report = {"raw": text}
            detail = (
                f"{report.get('directive')} blocked {report.get('blocked') or 'inline'}"
                f" (source {report.get('source') or '-'}:{report.get('line')},"
                f" sample {report.get('sample')!r})"
            )
            self.problems.append(Problem("csp", report.get("page", url), detail))
            return
        if text.startswith("Refused to") and "Content Security Policy" in text:
            self.problems.append(Problem("csp", url, text))
            return
        if _failed_load_status(text) is not None:
            return  # chromium's echo of an error response: on_response judges those
        self.problems.append(Problem("console", url, text))

    def on_pageerror(self, error: Any, url: str = "") -> None:
        detail = getattr(error, "stack", None) or str(error)
        self.problems.append(Problem("pageerror", url, detail))

    def on_response(self, response: Any) -> None:
        if response.status < 400 or self._allowed(response.status, response.url):
            return
        request = response.request
        if response.status == 400 and request.method == "POST" and request.is_navigation_request():
            return  # the project's convention: a form posted with errors is re-shown with 400
        detail = f"{response.status} {response.status_text} for {response.request.method}"
        self.problems.append(Problem("http", response.url, detail, response.status))

    def on_requestfailed(self, request: Any) -> None:
        failure = request.failure or ""
        if failure in _ABORTED:
            return
        self.problems.append(Problem("requestfailed", request.url, failure))

    # -- contexts --------------------------------------------------------------------

    def watch_context(self, context: Any) -> Any:
        context.add_init_script(CSP_LISTENER)
        context.on("console", self.on_console)
        context.on("weberror", self._on_weberror)
        context.on("response", self.on_response)
        context.on("requestfailed", self.on_requestfailed)
        context.on("page", self._prepare_page)
        context.set_default_timeout(15000)
        self.contexts.append(context)
        return context

    def _on_weberror(self, web_error: Any) -> None:
        page = web_error.page
        self.on_pageerror(web_error.error, page.url if page is not None else "")

    def _prepare_page(self, page: Any) -> Any:
        if getattr(page, "problems", None) is self:
            return page
        page.problems = self
        log = page.request_log = RequestLog()
        page.on("request", lambda request: log.urls.append(request.url))
        return page

    def new_context(self, browser: Any, **context_kwargs: Any) -> Any:
        return self.watch_context(browser.new_context(**context_kwargs))

    def new_page(self, browser: Any, **context_kwargs: Any) -> Any:
        return self._prepare_page(self.new_context(browser, **context_kwargs).new_page())

    # -- checking --------------------------------------------------------------------

    def settle(self) -> None:
        """Let events the pages have queued (a late violation, a last response) arrive."""
        for context in self.contexts:
            try:
                pages = list(context.pages)
            except Exception:  # the context is closed: its events are in
                continue
            for page in pages:
                # A page closing or navigating away has nothing more to send.
                with contextlib.suppress(Exception):
                    if not page.is_closed():
                        page.evaluate("() => new Promise((done) => setTimeout(done, 50))")

    def report(self) -> str:
        """The problems, one a line; empty when there are none."""
        seen: list[str] = []
        for problem in self.problems:
            line = str(problem)
            if line not in seen:
                seen.append(line)
        return "\n".join(f"  {line}" for line in seen)

    def close(self) -> None:
        for context in self.contexts:
            with contextlib.suppress(Exception):  # already closed by the test
                context.close()


class WatchedBrowser:
    """The session's chromium, with every context it opens for this test watched."""

    def __init__(self, browser: Any, watch: Watch) -> None:
        self.unwatched = browser
        self.watch = watch

    def new_context(self, **context_kwargs: Any) -> Any:
        return self.watch.new_context(self.unwatched, **context_kwargs)

    def new_page(self, **context_kwargs: Any) -> Any:
        return self.watch.new_page(self.unwatched, **context_kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.unwatched, name)


def new_page(browser: Any, **context_kwargs: Any) -> Any:
    """A page in a fresh, watched context (its own cookies: another person's browser).

    ``browser`` is the test's ``browser`` fixture; ``context_kwargs`` go to
    ``new_context`` (``locale="uk-UA"``, ...). The context closes after the test.
    """
    if not isinstance(browser, WatchedBrowser):
        raise TypeError("new_page needs the test's `browser` fixture, which is watched")
    return browser.new_page(**context_kwargs)
