"""How search engines find the public site: sitemap.xml and robots.txt.

The sitemap lists what an anonymous visitor may open, through the same access helpers the
public pages use (so a private organisation, a members-only event or a draft never appears),
each page in every interface language with ``hreflang`` alternates. robots.txt keeps
crawlers out of sign-in, organiser, token and export addresses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from spilka.campaigns.access import campaigns_visible_to
from spilka.campaigns.models import Petition, PetitionStatus, Statement, StatementStatus
from spilka.events.access import events_visible_to
from spilka.network.access import organisations_visible_to
from spilka.publishing.selectors import publications_public

# Crawlers fetch it rarely; a page published a few minutes ago can wait for the next copy.
SITEMAP_CACHE_SECONDS = 600


def _anonymous() -> AnonymousUser:
    return AnonymousUser()


class _I18nSitemap(Sitemap):
    # Every page in each interface language, with the others as hreflang alternates and
    # x-default pointing at the default language's copy.
    i18n = True
    alternates = True
    x_default = True
    # Items per sitemap page, each written in four languages with five alternates: at
    # 2,700 organisations one page of 5,000 took seconds to render (bench/scale.py).
    limit = 500


class StaticSitemap(_I18nSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return [
            "front:index",
            "network:directory",
            "network:network",
            "campaigns:campaigns",
            "events:index",
            "events:archive",
            "publishing:index",
            "aid:index",
            "funds:index",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class OrganisationSitemap(_I18nSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Any]:
        return organisations_visible_to(_anonymous()).order_by("pk")

    def lastmod(self, item: Any) -> Any:
        return item.updated_at


class CampaignSitemap(_I18nSitemap):
    changefreq = "daily"

    def items(self) -> QuerySet[Any]:
        return campaigns_visible_to(_anonymous()).order_by("pk")


class PetitionSitemap(_I18nSitemap):
    changefreq = "daily"

    def items(self) -> QuerySet[Any]:
        # As petition_get_for_user: a visible campaign's petitions, never a draft.
        return (
            Petition.objects.filter(campaign__in=campaigns_visible_to(_anonymous()))
            .exclude(status=PetitionStatus.DRAFT)
            .order_by("pk")
        )


class StatementSitemap(_I18nSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Any]:
        # As statement_get_for_user: no campaign or a visible one, never a draft.
        return (
            Statement.objects.filter(
                Q(campaign__isnull=True) | Q(campaign__in=campaigns_visible_to(_anonymous()))
            )
            .exclude(status=StatementStatus.DRAFT)
            .order_by("pk")
        )


class EventSitemap(_I18nSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Any]:
        return events_visible_to(_anonymous()).order_by("pk")

    def lastmod(self, item: Any) -> Any:
        return item.updated_at


class PublicationSitemap(_I18nSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Any]:
        return publications_public(_anonymous()).prefetch_related(None).order_by("pk")

    def lastmod(self, item: Any) -> Any:
        return item.updated_at


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": StaticSitemap,
    "organisations": OrganisationSitemap,
    "campaigns": CampaignSitemap,
    "petitions": PetitionSitemap,
    "statements": StatementSitemap,
    "events": EventSitemap,
    "publications": PublicationSitemap,
}

# Addresses under each language prefix that only signed-in people, token holders or
# organisers use: nothing there is for a search engine.
PRIVATE_PREFIXES = (
    "accounts/",
    "outbox/",
    "translate/",
    "glossary/",
    "outreach/",
    "my-data/",
    "u/",
    "join/confirm/",
    "events/r/",
    "events/cancel/",
    "events/confirm/",
    "events/offer/",
    "events/checkin/",
    "events/new/",
    "petitions/confirm/",
    "petitions/withdraw/",
    "statements/cosign/",
    "statements/sign/confirm/",
    "campaigns/new/",
    "org/new/",
    "people/",
    "links/",
    "aid/receive/",
)
# Organiser pages and exports anywhere on the site.
PRIVATE_PATTERNS = (
    "/*/edit/",
    "/*/manage/",
    "/*/attendees/",
    "/*/checkin/",
    "/*/people/",
    "/*/roles/",
    "/*/audit/",
    "/*/books/",
    "/*.csv$",
)


def robots_lines(sitemap_url: str) -> list[str]:
    lines = ["User-agent: *", "Allow: /", "Disallow: /admin/", "Disallow: /language/"]
    for code, _name in settings.LANGUAGES:
        lines += [f"Disallow: /{code}/{prefix}" for prefix in PRIVATE_PREFIXES]
    lines += [f"Disallow: {pattern}" for pattern in PRIVATE_PATTERNS]
    lines += ["", f"Sitemap: {sitemap_url}"]
    return lines


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    body = "\n".join(robots_lines(sitemap_url)) + "\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
