"""Link previews for public pages: Open Graph and Twitter card tags and their pictures.

One place decides, for petitions, statements, campaigns and events, whether a page may be
previewed (only what an anonymous visitor may see), what its card says and where its
picture is. The tags are written by ``templates/includes/share_tags.html`` through the
``share_tags`` template tag; the pictures by ``share_image`` below.

Everything here is public already: titles, public text, the publicly named organisation
(a private one only as "a partner organisation (not public)"), a petition's count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import formats
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext, pgettext
from django.views.decorators.http import require_GET

from spilka.campaigns.access import (
    campaign_get_for_user,
    petition_get_for_user,
    statement_get_for_user,
)
from spilka.events.access import event_get_for_user
from spilka.lib.share_images import ShareCard, card_png
from spilka.lib.translated import pick
from spilka.network.display import public_name

KINDS = ("petition", "statement", "campaign", "event")

# Open Graph wants a territory; these are the usual ones for each interface language.
OG_LOCALES = {"en": "en_GB", "uk": "uk_UA", "pl": "pl_PL", "ru": "ru_RU"}

DESCRIPTION_CHARS = 200


@dataclass(frozen=True)
class ShareMeta:
    title: str
    description: str
    url: str
    image: str
    image_alt: str
    og_type: str
    locale: str
    locale_alternates: list[str]


def _text(obj: Any, field: str) -> str:
    return pick(getattr(obj, field), obj.original_language).text


def _short(text: str) -> str:
    flat = " ".join(strip_tags(text).split())
    return Truncator(flat).chars(DESCRIPTION_CHARS)


def _public_name(organisation: Any) -> str:
    return public_name(organisation)


def _campaign_public(campaign: Any) -> bool:
    return campaign is None or bool(campaign.is_visible_publicly)


def is_shareable(kind: str, obj: Any) -> bool:
    """True when an anonymous visitor may see the page: only those get previews."""
    if kind == "campaign":
        return bool(obj.is_visible_publicly)
    if kind == "petition":
        return obj.status != "draft" and _campaign_public(obj.campaign)
    if kind == "statement":
        return obj.status != "draft" and _campaign_public(obj.campaign)
    if kind == "event":
        return bool(obj.is_public)
    return False


def public_object(kind: str, slug: str) -> Any:
    """The object as an anonymous visitor may see it (through each app's access helper)."""
    anonymous = AnonymousUser()
    if kind == "campaign":
        return campaign_get_for_user(user=anonymous, slug=slug)
    if kind == "petition":
        return petition_get_for_user(user=anonymous, slug=slug)
    if kind == "statement":
        return statement_get_for_user(user=anonymous, slug=slug)
    if kind == "event":
        return event_get_for_user(user=anonymous, slug=slug)
    raise Http404


def _event_date(event: Any) -> str:
    try:
        zone = ZoneInfo(event.time_zone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    local = event.starts_at.astimezone(zone)
    return (
        f"{formats.date_format(local, 'DATE_FORMAT')}, {formats.time_format(local, 'TIME_FORMAT')}"
    )


def card_for(kind: str, obj: Any) -> ShareCard:
    """The picture's content for ``obj`` in the active language."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    common: dict[str, Any] = {
        "kind": kind,
        "key": str(obj.pk),
        "language": language,
        "title": _text(obj, "title"),
    }
    if kind == "petition":
        count, goal = obj.confirmed_count, obj.goal
        progress = ngettext(
            "%(count)s of %(goal)s signature",
            "%(count)s of %(goal)s signatures",
            goal,
        ) % {
            "count": formats.number_format(count, force_grouping=True),
            "goal": formats.number_format(goal, force_grouping=True),
        }
        return ShareCard(
            label=pgettext("share picture", "Petition"),
            organisation=_public_name(obj.campaign.lead_organisation),
            count=count,
            goal=goal,
            progress_text=progress,
            **common,
        )
    if kind == "statement":
        lead = obj.campaign.lead_organisation if obj.campaign_id else None
        return ShareCard(
            label=pgettext("share picture", "Joint statement"),
            organisation=_public_name(lead),
            **common,
        )
    if kind == "campaign":
        return ShareCard(
            label=pgettext("share picture", "Campaign"),
            organisation=_public_name(obj.lead_organisation),
            **common,
        )
    if kind == "event":
        return ShareCard(
            label=pgettext("share picture", "Event"),
            organisation=_public_name(obj.organiser),
            detail=_event_date(obj),
            **common,
        )
    raise ValueError(kind)


def _description(kind: str, obj: Any) -> str:
    if kind == "petition":
        return _short(_text(obj, "text"))
    if kind == "statement":
        return _short(_text(obj, "text"))
    if kind == "campaign":
        return _short(_text(obj, "summary"))
    if kind == "event":
        return _short(_text(obj, "description"))
    return ""


def share_meta(request: HttpRequest, kind: str, obj: Any) -> ShareMeta | None:
    """The tags' content for a public page, or None for a page only some people may see."""
    if kind not in KINDS or obj is None or not is_shareable(kind, obj):
        return None
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    card = card_for(kind, obj)
    image_path = reverse("share_image", kwargs={"kind": kind, "slug": obj.slug})
    # The digest in the address makes crawlers fetch a new picture when the card changes.
    image = request.build_absolute_uri(f"{image_path}?v={card.digest()}")
    title = card.title or obj.slug
    return ShareMeta(
        title=title,
        description=_description(kind, obj) or title,
        url=request.build_absolute_uri(obj.get_absolute_url()),
        image=image,
        image_alt=f"{card.label}: {title}",
        og_type="article",
        locale=OG_LOCALES.get(language, language),
        locale_alternates=[
            OG_LOCALES.get(code, code) for code, _name in settings.LANGUAGES if code != language
        ],
    )


@require_GET
def share_image(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """The share picture of a public petition, statement, campaign or event."""
    if kind not in KINDS:
        raise Http404
    obj = public_object(kind, slug)
    if not is_shareable(kind, obj):
        raise Http404
    response = HttpResponse(card_png(card_for(kind, obj)), content_type="image/png")
    # Crawlers and browsers may keep it a while: the page links a new address when it changes.
    response["Cache-Control"] = "public, max-age=3600"
    return response
