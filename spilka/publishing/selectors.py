"""Reads for publishing: lists without N+1, the translator's queue, progress per language."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from spilka.lib.desk import DeskItem, DeskStart, first_and_count
from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.lib.paging import Excerpt, excerpt
from spilka.network.access import has_role
from spilka.network.models import Organisation
from spilka.publishing import access
from spilka.publishing.models import (
    HELD_STATES,
    GlossaryTerm,
    Publication,
    PublicationStatus,
    ResourceLink,
    TaskState,
    TranslationTask,
    TranslatorProfile,
)


def publications_public(
    user: Any, *, kind: str = "", tag: str = "", organisation: str = ""
) -> QuerySet[Publication]:
    qs = (
        access.publications_visible_to(user)
        .filter(status=PublicationStatus.PUBLISHED)
        .select_related("organisation")
        .prefetch_related("tags")
        .order_by("-published_on", "-created_at")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if tag:
        qs = qs.filter(tags__slug=tag)
    if organisation:
        qs = qs.filter(organisation__slug=organisation)
    return qs


def publications_latest(
    *, organisation: Organisation | None = None, limit: int = 5
) -> Excerpt[Publication]:
    """The latest published publications of public organisations, newest first, for a
    front page: at most two queries. With ``organisation``: only its own. Same for
    everyone, so it may be cached."""
    qs = Publication.objects.filter(
        status=PublicationStatus.PUBLISHED, organisation__is_public=True
    )
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return excerpt(
        qs.select_related("organisation")
        .defer("body")
        .order_by(F("published_on").desc(nulls_last=True), "-created_at", "-pk"),
        limit,
    )


def publication_drafts(user: Any) -> QuerySet[Publication]:
    """Drafts of the organisations ``user`` publishes for."""
    if not getattr(user, "is_authenticated", False):
        return Publication.objects.none()
    return (
        Publication.objects.filter(
            status=PublicationStatus.DRAFT, organisation__in=access.organisations_publishing(user)
        )
        .select_related("organisation")
        .order_by("-updated_at", "-pk")
    )


def publication_languages(publication: Publication) -> list[str]:
    return publication.languages


def translator_languages(user: Any) -> list[str]:
    profile = TranslatorProfile.objects.filter(user=user).first() if user.is_authenticated else None
    return list(profile.languages) if profile else []


def _tasks_base(user: Any) -> QuerySet[TranslationTask]:
    return (
        access.tasks_visible_to(user)
        .select_related("organisation", "content_type", "claimed_by", "translator")
        .prefetch_related("item")
    )


def translation_queue(user: Any, *, languages: list[str] | None = None) -> dict[str, Any]:
    """The tasks a volunteer may pick up, hold, review or publish."""
    now = timezone.now()
    base = _tasks_base(user)
    available = base.filter(
        Q(state__in=[TaskState.UNTRANSLATED, TaskState.NEEDS_EDITING])
        | Q(state__in=HELD_STATES, claimed_until__lte=now)
    )
    if languages:
        available = available.filter(target_language__in=languages)
    mine = base.filter(state__in=HELD_STATES, claimed_by=user, claimed_until__gt=now)
    review = base.filter(state=TaskState.WAITING_REVIEW).exclude(translator=user)
    approved = base.filter(state=TaskState.APPROVED).exclude(translator=user)
    return {
        "available": available.order_by("-state", "organisation_id", "-object_id")[:100],
        "mine": mine.order_by("claimed_until")[:100],
        "review": review.order_by("updated_at")[:100],
        "approved": approved.order_by("updated_at")[:100],
    }


def translation_progress(organisation: Organisation) -> dict[str, Any]:
    """Per target language: how many tasks are in each state."""
    rows = (
        TranslationTask.objects.filter(organisation=organisation)
        .values("target_language", "state")
        .annotate(n=Count("id"))
    )
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        table[row["target_language"]][row["state"]] += row["n"]
    result = []
    for code in CONTENT_LANGUAGES:
        counts = table.get(code, {})
        total = sum(counts.values())
        published = counts.get(str(TaskState.PUBLISHED), 0)
        result.append(
            {
                "language": code,
                "counts": [(state, counts.get(state, 0)) for state in TaskState.values],
                "total": total,
                "published": published,
                "percent": round(100 * published / total) if total else 0,
            }
        )
    return {"languages": result, "states": TaskState.choices}


def organisation_tasks(
    organisation: Organisation, *, state: str = "", language: str = ""
) -> QuerySet[TranslationTask]:
    qs = (
        TranslationTask.objects.filter(organisation=organisation)
        .select_related("content_type", "claimed_by", "translator")
        .prefetch_related("item")
        .order_by("content_type_id", "-object_id", "target_language")
    )
    if state:
        qs = qs.filter(state=state)
    if language:
        qs = qs.filter(target_language=language)
    return qs


def glossary_terms() -> QuerySet[GlossaryTerm]:
    return GlossaryTerm.objects.all()


def glossary_matches(texts: list[str]) -> list[GlossaryTerm]:
    """Terms whose rendering in any language appears in ``texts`` (case-insensitive)."""
    haystack = "\n".join(texts).casefold()
    if not haystack:
        return []
    return [
        term
        for term in GlossaryTerm.objects.all()
        if any(value and value.casefold() in haystack for value in term.renderings.values())
    ]


def resource_links(organisation: Organisation) -> QuerySet[ResourceLink]:
    return ResourceLink.objects.filter(organisation=organisation).order_by("position", "id")


def feed_publications(
    organisation: Organisation, language: str, limit: int = 30
) -> QuerySet[Publication]:
    """Published items of ``organisation`` available in ``language`` (newest first)."""
    return (
        Publication.objects.filter(
            organisation=organisation,
            status=PublicationStatus.PUBLISHED,
            title__has_key=language,
            body__has_key=language,
        )
        .select_related("organisation")
        .prefetch_related(Prefetch("tags"))
        .order_by("-published_on", "-created_at")[:limit]
    )


def translation_organisations(user: Any) -> QuerySet[Any]:
    """Organisations whose translation progress ``user`` may see."""
    org_ids = access.translation_organisation_ids(user)
    if org_ids is None:
        return Organisation.objects.filter(translation_tasks__isnull=False).distinct()
    return Organisation.objects.filter(pk__in=org_ids)


# --- The organiser's desk --------------------------------------------------------------
def desk_items_for(user: Any, organisation: Organisation) -> list[Any]:
    """Translations waiting for review that this user may review: the queue's "review"
    list for one organisation (never their own translation). One query."""

    if not has_role(user, organisation, access.TRANSLATE_ROLES):
        return []
    n, first = first_and_count(
        TranslationTask.objects.filter(
            organisation=organisation, state=TaskState.WAITING_REVIEW
        ).exclude(translator=user),
        "pk",
    )
    if not n or not first:
        return []
    label = ngettext("%(count)s translation to review", "%(count)s translations to review", n) % {
        "count": n
    }
    url = (
        reverse("publishing:task", kwargs={"pk": first["pk"]})
        if n == 1
        else reverse("publishing:queue") + "#review"
    )
    return [DeskItem(kind="publishing.review", label=label, count=n, url=url)]


def desk_starts_for(user: Any, organisation: Organisation) -> list[Any]:
    if not has_role(user, organisation, access.WRITE_ROLES):
        return []
    return [
        DeskStart(
            kind="publishing.publication",
            label=_("New publication"),
            url=reverse("publishing:publication_create"),
        )
    ]
