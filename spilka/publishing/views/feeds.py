"""RSS and Atom feeds per organisation and language (the language is the URL's prefix)."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from spilka.lib.translated import pick
from spilka.network.access import organisation_get_for_user
from spilka.publishing import selectors
from spilka.publishing.markdown import render_markdown
from spilka.publishing.models import Publication


class OrganisationRssFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request: HttpRequest, slug: str) -> Any:  # type: ignore[override]
        # Anonymous view: feed readers do not sign in, so only public organisations.
        self.language_code = (get_language() or "en").split("-")[0]
        return organisation_get_for_user(user=None, slug=slug)

    def title(self, obj: Any) -> str:
        return _("%(organisation)s: publications") % {"organisation": obj.display_name}

    def link(self, obj: Any) -> str:
        return reverse("publishing:index") + f"?organisation={obj.slug}"

    def description(self, obj: Any) -> str:
        return pick(obj.description, obj.original_language).text

    def items(self, obj: Any) -> Any:
        return selectors.feed_publications(obj, self.language_code)

    def item_title(self, item: Publication) -> str:
        return item.title.get(self.language_code, "")

    def item_description(self, item: Publication) -> str:
        summary = item.summary.get(self.language_code, "")
        if summary:
            return summary
        return render_markdown(item.body.get(self.language_code, ""))

    def item_link(self, item: Publication) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Publication) -> Any:
        if item.published_on is None:
            return None
        return timezone.make_aware(
            timezone.datetime.combine(item.published_on, timezone.datetime.min.time())
        )

    def item_categories(self, item: Publication) -> list[str]:
        return [tag.slug for tag in item.tags.all()]

    def item_guid(self, item: Publication) -> str:
        return f"spilka-publication-{item.pk}-{self.language_code}"

    item_guid_is_permalink = False


class OrganisationAtomFeed(OrganisationRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Any) -> str:
        return self.description(obj)
