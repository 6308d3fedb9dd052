"""Markdown to safe HTML: markdown-it-py renders, nh3 sanitises.

Authors may write some raw HTML; whatever is not on the list below is dropped, and
``<script>``/``<style>`` with their content. Links keep only http(s), mailto and relative
addresses (no ``javascript:`` or ``data:``). Pictures must come from this site's own
uploaded media: a picture from another host would make every reader's browser ask that
host for it, telling it who reads what.
"""

from __future__ import annotations

import hashlib
import posixpath
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings
from django.core.cache import cache
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "figcaption", "figure",
        "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong",
        "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Bump when the rules change, so cached HTML made under the old rules is not served.
RULES_VERSION = "2"


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    # Headings in a body start at level 2: the page's own title is the h1.
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def own_media_prefix() -> str:
    return f"{settings.MEDIA_URL.rstrip('/')}/publishing/"


def _is_own_media(src: str) -> bool:
    prefix = own_media_prefix()
    # A path on this site only: "//host/..." and "https://..." are other hosts.
    if not prefix.startswith("/") or prefix.startswith("//") or not src.startswith(prefix):
        return False
    # Read the path as a browser, a proxy and a file server might, each decoding once
    # more ("%252e" -> "%2e" -> "."): no reading may leave the media folder.
    path = src
    for _ in range(MAX_DECODINGS):
        if not _stays_in(path, prefix):
            return False
        decoded = unquote(path)
        if decoded == path:
            return True
        path = decoded
    return False  # still encoded after that many rounds: no picture of ours looks like that


# Uploaded pictures' addresses are quoted once; anything deeper is someone's trick.
MAX_DECODINGS = 4


def _stays_in(path: str, prefix: str) -> bool:
    """``path`` is under ``prefix`` with no way out: no dot segments (which the browser
    resolves, even encoded), no backslashes (which some read as slashes), no controls."""
    if "\\" in path or any(ord(char) < 0x20 or ord(char) == 0x7F for char in path):
        return False
    path = urlsplit(path).path
    if any(segment in {".", ".."} for segment in path.split("/")):
        return False
    return path.startswith(prefix) and posixpath.normpath(path).startswith(prefix)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _is_own_media(value.strip()) else None
    if attribute == "href":
        stripped = value.strip()
        # Protocol-relative links leave the site without a scheme to check.
        if stripped.startswith("//"):
            return None
    return value


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Sanitised HTML for ``text``; cached by the text's hash (rendering a long report costs)."""
    if not text:
        return ""
    digest = hashlib.sha256(text.encode()).hexdigest()
    key = f"publishing:md:{RULES_VERSION}:{digest}"
    html = cache.get(key)
    if html is None:
        html = sanitise_html(_renderer().render(text))
        cache.set(key, html, 60 * 60 * 24)
    return html
