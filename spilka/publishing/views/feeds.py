"""RSS and Atom feeds per organisation and language (the language is the URL's prefix)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed, get_tag_uri
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from spilka.lib.translated import pick
from spilka.network.access import organisation_get_for_user
from spilka.publishing import selectors
from spilka.publishing.markdown import render_markdown
from spilka.publishing.models import Publication


class OrganisationRssFeed(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

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
            datetime.datetime.combine(item.published_on, datetime.datetime.min.time())
        )

    def item_categories(self, item: Publication) -> list[str]:
        return [tag.slug for tag in item.tags.all()]

    def item_guid(self, item: Publication) -> str:
        return f"spilka-publication-{item.pk}-{self.language_code}"

    item_guid_is_permalink = False


class _Atom1Feed(Atom1Feed):
    """Django's Atom, with an entry id that is an IRI and does not change.

    The id is a ``tag:`` URI (RFC 4151) of the entry's address and the day the publication
    was created, so it stays the same when the publication is edited or re-dated.
    """

    def add_item(self, *args: Any, created: Any = None, **kwargs: Any) -> None:
        if kwargs.get("unique_id") is None and created is not None:
            kwargs["unique_id"] = get_tag_uri(kwargs["link"], created)
        super().add_item(*args, **kwargs)


class OrganisationAtomFeed(OrganisationRssFeed):
    """Atom (RFC 4287): every entry has an IRI id and an ``updated`` date; the author is the
    organisation (never the person who wrote it: that can put them at risk)."""

    feed_type = _Atom1Feed

    def subtitle(self, obj: Any) -> str:
        return self.description(obj)

    def author_name(self, obj: Any) -> str:
        return obj.display_name

    def item_guid(self, item: Publication) -> None:  # type: ignore[override]
        return None  # the generator makes a tag: IRI from the entry's address

    def item_updateddate(self, item: Publication) -> Any:
        return item.updated_at

    def item_extra_kwargs(self, item: Publication) -> dict[str, Any]:
        return {"created": item.created_at}


class SiteRssFeed(OrganisationRssFeed):
    """Every public organisation's publications in the URL's language: the feed the
    publications list advertises."""

    def get_object(self, request: HttpRequest) -> Any:  # type: ignore[override]
        self.language_code = (get_language() or "en").split("-")[0]
        return None

    def title(self, obj: Any) -> str:
        return _("Spilka: publications")

    def link(self, obj: Any) -> str:
        return reverse("publishing:index")

    def description(self, obj: Any) -> str:
        return _("Publications of the organisations of the network.")

    def items(self, obj: Any) -> Any:
        # The same public selector as the list page, for an anonymous reader.
        return (
            selectors.publications_public(AnonymousUser())
            .filter(title__has_key=self.language_code, body__has_key=self.language_code)
            .order_by("-published_on", "-created_at")[:30]
        )


class SiteAtomFeed(SiteRssFeed):
    feed_type = _Atom1Feed

    def subtitle(self, obj: Any) -> str:
        return self.description(obj)

    def author_name(self, obj: Any) -> str:
        return "Spilka"

    def item_guid(self, item: Publication) -> None:  # type: ignore[override]
        return None

    def item_updateddate(self, item: Publication) -> Any:
        return item.updated_at

    def item_extra_kwargs(self, item: Publication) -> dict[str, Any]:
        return {"created": item.created_at}
