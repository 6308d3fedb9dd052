"""The watcher every browser test runs under (``watch.py``) catches what it is there for.

Each check opens a page in a context of its own, watched by a separate ``Watch`` (so the
test's own watch stays clean and the test can pass), makes the fault happen under the live
server's origin and with the site's own Content-Security-Policy, and asserts the watcher
reported it with its URL. Synthetic pages are served with ``page.route``: the app itself
has no page that breaks on purpose.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from spilka.lib.middleware import content_security_policy
from tests.browser.watch import Watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _probe(browser):
    watch = Watch()
    page = watch.new_page(browser.unwatched, locale="en-GB")
    return watch, page


def _serve(page, url: str, body: str, *, status: int = 200, content_type: str = "text/html"):
    headers = {
        "Content-Type": f"{content_type}; charset=utf-8",
        "Content-Security-Policy": content_security_policy(),
    }
    page.route(url, lambda route: route.fulfill(status=status, headers=headers, body=body))


def _kinds(watch: Watch) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in watch.problems:
        found.setdefault(problem.kind, []).append(str(problem))
    return found


def test_a_console_error_and_an_uncaught_exception_are_reported(browser, live_server):
    watch, page = _probe(browser)
    base = live_server.url
    _serve(page, f"{base}/harness/errors/", '<!doctype html><script src="/harness/e.js"></script>')
    _serve(
        page,
        f"{base}/harness/e.js",
        'console.error("harness: a deliberate error"); throw new Error("harness: thrown");',
        content_type="text/javascript",
    )
    page.goto(f"{base}/harness/errors/")
    watch.settle()
    found = _kinds(watch)
    assert any("harness: a deliberate error" in p for p in found["console"])
    assert any("harness: thrown" in p and "/harness/errors/" in p for p in found["pageerror"])
    assert "harness: thrown" in watch.report()
    watch.close()


def test_a_content_security_policy_violation_is_reported(browser, live_server):
    watch, page = _probe(browser)
    base = live_server.url
    _serve(
        page,
        f"{base}/harness/csp/",
        "<!doctype html><title>before</title><script>document.title = 'ran'</script>"
        '<p style="color: red">inline style</p>',
    )
    page.goto(f"{base}/harness/csp/")
    watch.settle()
    assert page.title() == "before"  # the policy held: the inline script never ran
    csp = _kinds(watch)["csp"]
    # Chromium logs its own "Refused to ..." outside the console API Playwright hears, so
    # the page's securitypolicyviolation event, heard by the init script, is what counts.
    assert any("script-src" in p and "/harness/csp/" in p and "inline" in p for p in csp)
    assert any("style-src" in p for p in csp)
    watch.close()


def test_error_responses_and_failed_requests_are_reported(browser, live_server):
    watch, page = _probe(browser)
    base = live_server.url
    _serve(
        page,
        f"{base}/harness/broken/",
        '<!doctype html><link rel="stylesheet" href="/harness/broken.css">'
        '<script src="/harness/refused.js"></script>',
    )
    _serve(page, f"{base}/harness/broken.css", "oops", status=500, content_type="text/css")
    page.route(f"{base}/harness/refused.js", lambda route: route.abort("connectionrefused"))
    page.goto(f"{base}/harness/broken/")
    page.goto(f"{base}/en/harness-no-such-page/")  # a real 404 from the app
    watch.settle()
    found = _kinds(watch)
    assert any("500" in p and "/harness/broken.css" in p for p in found["http"])
    assert any("404" in p and "/en/harness-no-such-page/" in p for p in found["http"])
    assert any(
        "/harness/refused.js" in p and "ERR_CONNECTION_REFUSED" in p for p in found["requestfailed"]
    )
    # Chromium's "Failed to load resource: ... status of 500" echo is not counted twice.
    assert not any("status of" in p for p in found.get("console", []))
    watch.close()


def test_an_allowance_lets_through_exactly_the_status_and_address_it_names(browser, live_server):
    watch, page = _probe(browser)
    base = live_server.url
    watch.allow(status=404, url_part="/en/harness-gone/", reason="the test opens a 404 on purpose")
    page.goto(f"{base}/en/harness-gone/")
    page.goto(f"{base}/en/harness-other/")
    watch.settle()
    assert [p.url for p in watch.problems] == [f"{base}/en/harness-other/"]
    with pytest.raises(ValueError):
        watch.allow(status=404, url_part="/x/", reason="")
    watch.close()


def test_the_page_fixture_and_extra_contexts_are_watched_by_the_test(page, browser, live_server):
    page.goto(f"{live_server.url}/en/harness-missing/")
    assert page.problems is browser.watch
    other = browser.new_context(locale="uk-UA").new_page()  # even without new_page()
    other.goto(f"{live_server.url}/uk/harness-missing/")
    browser.watch.settle()
    urls = {p.url for p in browser.watch.problems if p.kind == "http"}
    assert urls == {
        f"{live_server.url}/en/harness-missing/",
        f"{live_server.url}/uk/harness-missing/",
    }
    browser.watch.problems.clear()  # seen; the test itself may pass


# Deliberate: this test exists to show the marker lets its one 404 through.
@pytest.mark.expect_http_status(404, url_part="/en/harness-marked/", reason="the marker's own test")
def test_the_marker_allows_one_expected_error_page(page, live_server):
    response = page.goto(f"{live_server.url}/en/harness-marked/")
    assert response.status == 404
    assert page.problems.allowances[0].reason == "the marker's own test"


def test_a_form_re_shown_with_400_passes_but_other_400s_do_not():
    def response(method: str, navigation: bool):
        request = SimpleNamespace(method=method, is_navigation_request=lambda: navigation)
        return SimpleNamespace(
            status=400, status_text="Bad Request", url="http://x/f/", request=request
        )

    watch = Watch()
    watch.on_response(response("POST", True))  # the convention: the form, with its errors
    assert watch.problems == []
    watch.on_response(response("GET", True))
    watch.on_response(response("POST", False))  # a script's fetch
    assert [p.detail for p in watch.problems] == [
        "400 Bad Request for GET",
        "400 Bad Request for POST",
    ]
