"""Walk the public site from its home page, in each language, as an anonymous visitor.

Every page reached by a link answers without a server error, and no page asks the browser
for anything from another host (scripts, styles, images, frames, fonts).
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest

from spilka.accounts.tests.otp import mark_verified

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a\s[^>]*href="([^"#][^"]*)"', re.IGNORECASE)
RESOURCE = re.compile(
    r'<(?:script|img|iframe|link|source|video|audio|embed)\s[^>]*(?:src|href)="([^"]+)"',
    re.IGNORECASE,
)
SKIP = ("/admin/", "/i18n/", "/static/", "/media/")


def _crawl(client, start: str, limit: int) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        assert response.status_code < 500, url
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        body = response.content.decode()
        for resource in RESOURCE.findall(body):
            host = urlparse(resource).netloc
            assert host in ("", "testserver"), f"{url} loads {resource}"
        for link in LINK.findall(body):
            link = urldefrag(link.replace("&amp;", "&"))[0]
            parsed = urlparse(link)
            if parsed.netloc not in ("", "testserver") or parsed.scheme not in ("", "http"):
                continue
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if path.startswith(f"/{start.strip('/')}/") and not path.startswith(SKIP):
                queue.append(path)
    return seen


@pytest.mark.parametrize(("language", "limit"), [("en", 400), ("uk", 120), ("pl", 120), ("ru", 80)])
def test_the_public_site_answers_every_link_without_a_server_error(client, demo, language, limit):
    seen = _crawl(client, f"/{language}/", limit)
    ok = [url for url, status in seen.items() if status == 200]
    # Every app's public pages are reachable from the home page.
    for area in ("campaigns", "events", "aid", "money", "publications", "org"):
        assert any(url.startswith(f"/{language}/{area}/") for url in ok), area


@pytest.mark.parametrize(
    "email",
    [
        "organiser@usc.example",
        "treasurer@num-durham.example",
        "logistics@npgu.example",
        "translator@ussc.example",
    ],
)
def test_the_site_answers_every_link_a_role_holder_sees(client, demo, email):
    from django.contrib.auth import get_user_model

    # Every demo role holder administers something, so verifies a second factor.
    mark_verified(client, get_user_model().objects.get(email=email))
    seen = _crawl(client, "/en/", 300)
    assert sum(1 for status in seen.values() if status == 200) > 50
