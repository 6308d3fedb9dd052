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
from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
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
    # Entries per sitemap page: an entry is one page in one language with its five
    # alternates, so 50 objects a page. A page's cost is in building and writing its
    # entries (about 0.2 ms each): at 100x the demo, 5,000 a page took seconds and 500 up to
    # half a second cold (bench/README.md). Crawlers follow the pages from the index.
    limit = 200
    # The public page of each item: a URL name taking the item's slug.
    url_name = ""
    # The column that says when an item last changed, for <lastmod>; "" where none does.
    lastmod_field = ""

    def __init__(self) -> None:
        # Django asks for an item's address in one language six times (its own entry, as an
        # alternate of each of the four entries, and for x-default): reverse it once.
        self._paths: dict[tuple[str, str], str] = {}

    def visible(self) -> QuerySet[Any]:
        """What an anonymous visitor may open, through the pages' own access helpers."""
        raise NotImplementedError

    def items(self) -> QuerySet[Any]:
        # Only the columns the sitemap writes: the whole rows (translated JSON fields and
        # all) of every item were read and built into models on each page.
        fields = ["slug", self.lastmod_field] if self.lastmod_field else ["slug"]
        return self.visible().order_by("pk").values_list(*fields, named=True)

    def location(self, item: Any) -> str:
        return self._path(self.url_name, item.slug)

    def _path(self, url_name: str, slug: str = "") -> str:
        key = (slug or url_name, translation.get_language() or "")
        path = self._paths.get(key)
        if path is None:
            path = reverse(url_name, kwargs={"slug": slug} if slug else None)
            self._paths[key] = path
        return path

    def lastmod(self, item: Any) -> Any:
        return getattr(item, self.lastmod_field) if self.lastmod_field else None

    def get_latest_lastmod(self) -> Any:
        # The index's date for the section, by one aggregate rather than every item's row.
        if not self.lastmod_field:
            return None
        return self.visible().aggregate(latest=Max(self.lastmod_field))["latest"]


class StaticSitemap(_I18nSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:  # type: ignore[override]
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
        return self._path(item)


class OrganisationSitemap(_I18nSitemap):
    changefreq = "weekly"
    url_name = "network:organisation"
    lastmod_field = "updated_at"

    def visible(self) -> QuerySet[Any]:
        return organisations_visible_to(_anonymous())


class CampaignSitemap(_I18nSitemap):
    changefreq = "daily"
    url_name = "campaigns:campaign"

    def visible(self) -> QuerySet[Any]:
        return campaigns_visible_to(_anonymous())


class PetitionSitemap(_I18nSitemap):
    changefreq = "daily"
    url_name = "campaigns:petition"

    def visible(self) -> QuerySet[Any]:
        # As petition_get_for_user: a visible campaign's petitions, never a draft.
        return Petition.objects.filter(campaign__in=campaigns_visible_to(_anonymous())).exclude(
            status=PetitionStatus.DRAFT
        )


class StatementSitemap(_I18nSitemap):
    changefreq = "weekly"
    url_name = "campaigns:statement"

    def visible(self) -> QuerySet[Any]:
        # As statement_get_for_user: no campaign or a visible one, never a draft.
        return Statement.objects.filter(
            Q(campaign__isnull=True) | Q(campaign__in=campaigns_visible_to(_anonymous()))
        ).exclude(status=StatementStatus.DRAFT)


class EventSitemap(_I18nSitemap):
    changefreq = "weekly"
    url_name = "events:event"
    lastmod_field = "updated_at"

    def visible(self) -> QuerySet[Any]:
        return events_visible_to(_anonymous())


class PublicationSitemap(_I18nSitemap):
    changefreq = "weekly"
    url_name = "publishing:publication"
    lastmod_field = "updated_at"

    def visible(self) -> QuerySet[Any]:
        return publications_public(_anonymous()).prefetch_related(None).select_related(None)


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
