"""Walk the public site from its home page, in each language, as an anonymous visitor.

Every kind of page reached by a link answers without a server error, and no page asks the
browser for anything from another host (scripts, styles, images, frames, fonts).

A kind of page is a route with the names of its query parameters: ``/en/org/<slug>/`` and
``/en/org/<slug>/?page=`` are two kinds. The walk follows every link until it has requested
``PER_ROUTE`` pages of each kind, so it reaches every kind of page linked from the site: the
thirtieth organisation's page adds nothing the first three did not check, while a walk cut
off after a number of pages missed whole kinds (in Ukrainian, Polish and Russian). The pages
a walk starts from are requested besides: a role holder's own organisations, the pages about
what the private partner is linked to.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from urllib.parse import parse_qsl, urldefrag, urlparse

import pytest
from django.urls import Resolver404, resolve
from django.utils import translation

from spilka.accounts.tests.otp import mark_verified
from tests.leaks import Secrets

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a\s[^>]*href="([^"#][^"]*)"', re.IGNORECASE)
RESOURCE = re.compile(
    r'<(?:script|img|iframe|link|source|video|audio|embed)\s[^>]*(?:src|href)="([^"]+)"',
    re.IGNORECASE,
)
SKIP = ("/admin/", "/i18n/", "/static/", "/media/")
# Pages of each kind requested (see the module's docstring).
PER_ROUTE = 3


def _kind(path: str) -> tuple[str, ...]:
    """The route of ``path`` (its URL name) and the names of its query parameters."""
    parsed = urlparse(path)
    try:
        with translation.override(translation.get_language_from_path(parsed.path)):
            route = resolve(parsed.path).view_name
    except Resolver404:
        route = parsed.path  # every unknown address is a kind of its own
    return (route, *sorted({name for name, _ in parse_qsl(parsed.query, keep_blank_values=True)}))


def _local_links(links: Iterable[str]) -> Iterable[str]:
    """The paths (with their queries) of the links that stay on this site."""
    for link in links:
        link = urldefrag(link.replace("&amp;", "&"))[0]
        parsed = urlparse(link)
        if parsed.netloc not in ("", "testserver") or parsed.scheme not in ("", "http"):
            continue
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if path.startswith("/") and not path.startswith(SKIP) and "/static/" not in path:
            yield path


def _walk(client, starts: list[str], *, within: str = "/", follow=(LINK,)):
    """Request ``starts`` (every one), then every path under ``within`` that a page's
    ``follow`` patterns find, until ``PER_ROUTE`` pages of each kind are in; yields
    ``(path, response, body)``."""
    seen: set[str] = set()
    per_kind: dict[tuple[str, ...], int] = {}
    queue = deque((start, True) for start in starts)
    while queue:
        url, always = queue.popleft()
        if url in seen:
            continue
        if not always:  # the starts are requested besides the pages of each kind
            kind = _kind(url)
            if per_kind.get(kind, 0) >= PER_ROUTE:
                continue
            per_kind[kind] = per_kind.get(kind, 0) + 1
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        body = b"".join(response) if response.streaming else response.content
        yield url, response, body
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            text = body.decode()
            found = [link for pattern in follow for link in pattern.findall(text)]
            for path in _local_links(found):
                if path.startswith(within) and path not in seen:
                    queue.append((path, False))


def _crawl(client, start: str, *also: str) -> dict[str, int]:
    """Every kind of page under ``start`` (a language's home page), reached from ``also``
    (first: the pages they link come before those of the same kind linked from everywhere)
    and from ``start``: its status."""
    seen: dict[str, int] = {}
    for url, response, body in _walk(client, [*also, start], within=start):
        seen[url] = response.status_code
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            for resource in RESOURCE.findall(body.decode()):
                host = urlparse(resource).netloc
                assert host in ("", "testserver"), f"{url} loads {resource}"
    return seen


@pytest.mark.parametrize("language", ["en", "uk", "pl", "ru"])
def test_the_public_site_answers_every_link_without_a_server_error(client, demo, language):
    seen = _crawl(client, f"/{language}/")
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

    from spilka.network.access import user_roles
    from spilka.network.models import Organisation

    user = get_user_model().objects.get(email=email)
    # Every demo role holder administers something, so verifies a second factor.
    mark_verified(client, user)
    # From the home page and from their own organisations' pages, which link what only
    # they may open (the walk requests a few organisations' pages of its own accord).
    with translation.override("en"):
        own = [
            org.get_absolute_url() for org in Organisation.objects.filter(pk__in=user_roles(user))
        ]
    seen = _crawl(client, "/en/", *own)
    assert sum(1 for status in seen.values() if status == 200) > 50


# Every public answer that is not an HTML page but is reached from one: feeds, calendars,
# exports, charts, widgets.
ALTERNATE = re.compile(
    r'<(?:link|img|iframe|object|embed)\s[^>]*(?:src|href|data)="(/[^"]+)"', re.IGNORECASE
)


def _unfolded(body: bytes) -> bytes:
    """iCalendar as a reader sees it: long lines folded at 75 octets (RFC 5545 3.1) joined
    again, and text escapes undone, so a name split across a fold is still found."""
    body = re.sub(rb"\r?\n[ \t]", b"", body)
    return body.replace(b"\\,", b",").replace(b"\\;", b";")


def _public_answers(client, starts: list[str]) -> dict[str, bytes]:
    """Every public answer reached from ``starts`` (each of them, then every kind of page
    they link or embed): its body, empty for an answer other than 200."""
    seen: dict[str, bytes] = {}
    for url, response, body in _walk(client, starts, follow=(LINK, ALTERNATE)):
        if "text/calendar" in response.get("Content-Type", ""):
            body = _unfolded(body)
        seen[url] = body if response.status_code == 200 else b""
    return seen


def _private_partner_pages(private, language: str) -> list[str]:
    """The public pages of what the private partner is linked to, first in the crawl."""
    from django.urls import reverse

    from spilka.aid.models import Convoy
    from spilka.campaigns.models import Adoption, Campaign, CoSignature, Petition
    from spilka.events.models import Event, Series
    from spilka.funds.models import Transaction
    from spilka.network.models import Organisation, WorkingGroup
    from spilka.publishing.models import Publication

    urls: list[str] = []
    with translation.override(language):
        campaigns = Campaign.objects.filter(
            is_public=True, co_organisers=private
        ) | Campaign.objects.filter(lead_organisation=private)
        for campaign in campaigns:
            urls += [
                campaign.get_absolute_url(),
                reverse("aid:report_campaign", kwargs={"slug": campaign.slug}),
                reverse("funds:campaign", kwargs={"slug": campaign.slug}),
                reverse("funds:campaign_csv", kwargs={"slug": campaign.slug}),
            ]
            for petition in Petition.objects.filter(campaign=campaign):
                urls += [
                    reverse("campaigns:petition", kwargs={"slug": petition.slug}),
                    reverse("campaigns:petition_widget", kwargs={"slug": petition.slug}),
                ]
        for event in Event.objects.filter(co_organisers=private) | Event.objects.filter(
            organiser=private
        ):
            urls.append(reverse("events:event", kwargs={"slug": event.slug}))
        for series in Series.objects.filter(organiser=private):
            urls += [
                reverse("events:series", kwargs={"slug": series.slug}),
                reverse("events:feed_series", kwargs={"slug": series.slug}),
            ]
        for entry in Transaction.objects.filter(counterparty=private).select_related(
            "fund__organisation"
        ):
            slug = entry.fund.organisation.slug
            urls += [
                reverse("funds:organisation", kwargs={"org": slug}),
                reverse("funds:ledger_csv", kwargs={"org": slug}),
            ]
        for convoy in Convoy.objects.all().select_related("organisation"):
            urls.append(
                reverse("aid:report_organisation", kwargs={"slug": convoy.organisation.slug})
            )
        for adoption in Adoption.objects.filter(body=private).select_related("resolution"):
            slug = adoption.resolution.slug
            urls += [
                reverse("campaigns:resolution", kwargs={"slug": slug}),
                reverse("campaigns:resolution_timeline_svg", kwargs={"slug": slug}),
                reverse("campaigns:resolution_countries_svg", kwargs={"slug": slug}),
            ]
        for cosignature in CoSignature.objects.filter(organisation=private).select_related(
            "statement"
        ):
            slug = cosignature.statement.slug
            urls += [
                reverse("campaigns:statement", kwargs={"slug": slug}),
                reverse("campaigns:statement_print", kwargs={"slug": slug}),
            ]
        neighbours = Organisation.objects.filter(is_public=True).filter(
            pk__in=[
                *private.relationships_out.values_list("target", flat=True),
                *private.relationships_in.values_list("source", flat=True),
                *private.children.values_list("pk", flat=True),
                *WorkingGroup.objects.filter(organisations=private).values_list(
                    "network", flat=True
                ),
            ]
        )
        for org in [*neighbours, private]:
            urls += [
                reverse("network:organisation", kwargs={"slug": org.slug}),
                reverse("network:organisation_graph", kwargs={"slug": org.slug}),
                reverse("events:feed_organisation", kwargs={"slug": org.slug}),
                reverse("publishing:feed_rss", kwargs={"slug": org.slug}),
                reverse("publishing:feed_atom", kwargs={"slug": org.slug}),
                reverse("publishing:resources", kwargs={"slug": org.slug}),
                reverse("outreach:join", kwargs={"slug": org.slug}),
                reverse("outreach:join_embed", kwargs={"slug": org.slug}),
            ]
        for publication in Publication.objects.filter(organisation=private):
            urls.append(reverse("publishing:publication", kwargs={"slug": publication.slug}))
        for name in ("aid:export_needs", "aid:export_deliveries"):
            urls += [reverse(name), f"{reverse(name)}?hxl=1"]
        urls += [
            reverse("aid:index"),
            reverse("aid:needs"),
            reverse("events:feed"),
            reverse("network:directory"),
            f"/{language}/",
        ]
    return urls


@pytest.mark.parametrize("language", ["en", "uk", "pl", "ru"])
def test_no_public_answer_names_a_private_organisation(client, demo, language):

    from spilka.network.display import PRIVATE_ORGANISATION_NAME
    from tests.private_partner import (
        NAMES,
        SHORT_NAME,
        SLUG,
        link_private_partner,
        unlinked_relations,
    )

    private = link_private_partner()
    # Every relation to an organisation that the models allow is exercised: a new one
    # must be linked in tests/private_partner.py before this test passes.
    assert unlinked_relations(private) == []
    answers = _public_answers(client, _private_partner_pages(private, language))
    secrets = Secrets([*NAMES.values(), SHORT_NAME, SLUG])
    found = {
        url: secrets.first_in(body.decode("utf-8", "replace")) for url, body in answers.items()
    }
    leaks = sorted(f"{url} shows {secret!r}" for url, secret in found.items() if secret)
    assert not leaks, "\n".join(leaks)
    assert sum(1 for body in answers.values() if body) > 40
    # The links are there, only unnamed: in the visitor's language.
    with translation.override(language):
        placeholder = str(PRIVATE_ORGANISATION_NAME).encode()
    unnamed = sorted(url for url, body in answers.items() if placeholder in body)
    for page in ("/campaigns/", "/events/", "/money/org/", "ledger.csv", "feed.ics"):
        assert any(page in url for url in unnamed), page
