"""Every page forbids content from other hosts, and the pages keep to that."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/en/",
    "/uk/",
    "/en/network/",
    "/en/org/num-durham/",
    "/en/accounts/login/",
]

# Sources a directive may allow: this host, nothing, or inline data: images.
ALLOWED_SOURCES = {"'self'", "'none'", "data:"}


def _csp(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


class _AssetCollector(HTMLParser):
    """The URLs a page loads through <script src>, <link href> and <img src>."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "img": "src", "link": "href"}.get(tag)
        if wanted is None:
            return
        for name, value in attrs:
            if name == wanted and value:
                self.urls.append((tag, value))

    handle_startendtag = handle_starttag


def _foreign_assets(html: str) -> list[tuple[str, str]]:
    collector = _AssetCollector()
    collector.feed(html)
    foreign = []
    for tag, url in collector.urls:
        parts = urlsplit(url)
        other_host = parts.netloc not in ("", "testserver")
        other_scheme = parts.scheme not in ("http", "https", "", "data")
        if other_host or other_scheme:
            foreign.append((tag, url))
    return foreign


@pytest.mark.parametrize("url", PAGES)
def test_page_takes_nothing_from_other_hosts(anon, demo, url):
    response = anon.get(url)
    assert response.status_code == 200

    # The policy: this host only.
    directives = _csp(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    for name, sources in directives.items():
        assert set(sources) <= ALLOWED_SOURCES, f"{name} allows {sources}"
    assert "http" not in response.headers["Content-Security-Policy"]
    assert "*" not in response.headers["Content-Security-Policy"]

    # The page itself: no script, stylesheet or image from a CDN.
    html = response.content.decode()
    collector = _AssetCollector()
    collector.feed(html)
    assert any(tag == "script" for tag, _url in collector.urls)  # the parser sees the assets
    assert any(tag == "link" for tag, _url in collector.urls)
    assert _foreign_assets(html) == []


def test_foreign_asset_detection_catches_a_cdn():
    # The checker itself must notice a third-party asset, or the test above proves nothing.
    html = (
        '<link rel="stylesheet" href="https://cdn.example.com/x.css">'
        '<script src="//cdn.example.com/x.js"></script>'
        '<img src="/static/spilka/logo.svg"><img src="data:image/png;base64,AAAA">'
    )
    assert _foreign_assets(html) == [
        ("link", "https://cdn.example.com/x.css"),
        ("script", "//cdn.example.com/x.js"),
    ]


def test_logged_in_pages_carry_the_policy_too(demo, usc_admin, login):
    response = login(usc_admin).get("/en/accounts/")
    assert response.status_code == 200
    assert _csp(response)["default-src"] == ["'self'"]
    assert _foreign_assets(response.content.decode()) == []


def test_error_pages_carry_the_policy(anon, demo):
    response = anon.get("/en/org/no-such-organisation/")
    assert response.status_code == 404
    assert _csp(response)["default-src"] == ["'self'"]


def test_pages_send_the_other_security_headers(anon, demo):
    response = anon.get("/en/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_healthz_answers_ok(anon):
    response = anon.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["status"] == "ok"  # with each check's facts beside


def test_allowed_video_hosts_join_the_frame_policy_and_nothing_else(settings):
    from spilka.lib.middleware import content_security_policy

    settings.SPILKA_EVENTS_EMBED_HOSTS = []
    assert "frame-src 'self';" in content_security_policy()
    settings.SPILKA_EVENTS_EMBED_HOSTS = ["www.youtube-nocookie.com"]
    policy = content_security_policy()
    assert "frame-src 'self' https://www.youtube-nocookie.com;" in policy
    assert "script-src 'self';" in policy
