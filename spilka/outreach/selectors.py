"""Reads: supporter lists, segment filters (counted in SQL), profiles, reports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from spilka.lib.desk import DeskItem, DeskStart, first_and_count
from spilka.network.access import has_role
from spilka.network.models import Organisation
from spilka.outreach.access import OUTREACH_ROLES
from spilka.outreach.models import (
    ActionObject,
    ImportStatus,
    Mailing,
    MailingRecipient,
    MailingStatus,
    RecipientStatus,
    Segment,
    Supporter,
    SupporterAction,
    SupporterCount,
    SupporterImport,
    SupporterStatus,
    Tag,
)

SEGMENT_KEYS = {
    "tags",
    "lists",
    "languages",
    "countries",
    "statuses",
    "action_kind",
    "object_key",
    "action_after",
    "action_before",
    "joined_after",
    "joined_before",
}


def _day_start(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    day = datetime.date.fromisoformat(value)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def supporters_matching(organisation: Organisation, filters: dict[str, Any]) -> QuerySet[Supporter]:
    """The organisation's supporters matching ``filters`` (see ``Segment``): one SQL query,
    with EXISTS subqueries rather than joins, so nobody is counted twice.

    A filter that cannot be read (a stored date that is no date) matches nobody: dropping
    it would widen the segment, and a mailing to it would reach people it was not meant for.
    """
    try:
        return _supporters_matching(organisation, filters)
    except (TypeError, ValueError, OverflowError):
        return Supporter.objects.none()


def _supporters_matching(
    organisation: Organisation, filters: dict[str, Any]
) -> QuerySet[Supporter]:
    qs = Supporter.objects.filter(organisation=organisation)
    if filters.get("tags"):
        tags_through = Supporter.tags.through
        qs = qs.filter(
            Exists(
                tags_through.objects.filter(supporter_id=OuterRef("pk"), tag_id__in=filters["tags"])
            )
        )
    if filters.get("lists"):
        lists_through = Supporter.lists.through
        qs = qs.filter(
            Exists(
                lists_through.objects.filter(
                    supporter_id=OuterRef("pk"), supporterlist_id__in=filters["lists"]
                )
            )
        )
    if filters.get("languages"):
        qs = qs.filter(language__in=filters["languages"])
    if filters.get("countries"):
        qs = qs.filter(country__in=filters["countries"])
    if filters.get("statuses"):
        qs = qs.filter(status__in=filters["statuses"])
    action_q = Q()
    if filters.get("action_kind"):
        action_q &= Q(kind=filters["action_kind"])
    if filters.get("object_key"):
        action_q &= Q(object_key=filters["object_key"])
    if after := _day_start(filters.get("action_after")):
        action_q &= Q(occurred_at__gte=after)
    if before := _day_start(filters.get("action_before")):
        action_q &= Q(occurred_at__lt=before + datetime.timedelta(days=1))
    if action_q:
        qs = qs.filter(
            Exists(SupporterAction.objects.filter(action_q, supporter_id=OuterRef("pk")))
        )
    if after := _day_start(filters.get("joined_after")):
        qs = qs.filter(created_at__gte=after)
    if before := _day_start(filters.get("joined_before")):
        qs = qs.filter(created_at__lt=before + datetime.timedelta(days=1))
    return qs


def segment_supporters(segment: Segment) -> QuerySet[Supporter]:
    return supporters_matching(segment.organisation, segment.filters or {})


def segment_counts(segment: Segment) -> tuple[int, int]:
    """How many supporters the segment holds, and how many of them are subscribed: one
    query (a filtered count), not two passes over the matches."""
    figures = segment_supporters(segment).aggregate(
        total=Count("pk"), subscribed=Count("pk", filter=Q(status=SupporterStatus.SUBSCRIBED))
    )
    return figures["total"], figures["subscribed"]


def mailing_audience(mailing: Mailing) -> QuerySet[Supporter]:
    """Who a mailing goes to: the segment (or everyone), and only those subscribed, which
    means they consented to this organisation and have not unsubscribed since."""
    if mailing.segment is not None:
        qs = supporters_matching(mailing.organisation, mailing.segment.filters or {})
    else:
        qs = Supporter.objects.filter(organisation_id=mailing.organisation_id)
    return qs.filter(status=SupporterStatus.SUBSCRIBED)


def mailing_recipient_count(mailing: Mailing) -> int:
    """How many people a send would reach now: the count the sender confirms, taken from
    the very query the send freezes into recipients (unsubscribed and bounced left out)."""
    return mailing_audience(mailing).count()


# A search matching at most this many supporters is sorted from its matches; one matching
# more is paged along the newest-first index (see ``supporter_list``).
SEARCH_SORTED_AT_MOST = 2000


def supporter_list(
    organisation: Organisation,
    *,
    q: str = "",
    status: str = "",
    language: str = "",
    tag: Tag | None = None,
) -> QuerySet[Supporter]:
    """The organisation's supporters, newest first, narrowed by the list's filters: a page
    is read off the index ``(organisation, created_at, id)``, or ``(organisation, status |
    language, created_at, id)`` for one status or language.

    A search (``q``, anywhere in the name or address) cannot use those indexes. Walking one
    newest first finds a page at once when many match, but reads all the rows when few or
    none do (seconds for a million), and the planner cannot tell which it is. So the
    matches are looked for first, up to ``SEARCH_SORTED_AT_MOST``: if that is all of them
    they are sorted (cheap); if there are more, the walk is short.
    """
    supporters = Supporter.objects.filter(organisation=organisation)
    if status:
        supporters = supporters.filter(status=status)
    if language:
        supporters = supporters.filter(language=language)
    if tag is not None:
        supporters = supporters.filter(tags=tag)
    if q:
        supporters = supporters.filter(Q(email__icontains=q) | Q(name__icontains=q))
        found = list(
            supporters.order_by().values_list("pk", flat=True)[: SEARCH_SORTED_AT_MOST + 1]
        )
        if len(found) <= SEARCH_SORTED_AT_MOST:
            supporters = Supporter.objects.filter(pk__in=found)
    return supporters.prefetch_related("tags")


def supporter_list_total(
    counts: dict[str, int],
    *,
    q: str = "",
    status: str = "",
    language: str = "",
    tag: Tag | None = None,
) -> int | None:
    """How many supporters ``supporter_list`` holds, when the kept counts
    (``organisation_counts``) say it: all of them, or those of one status. None when a
    search, a language or a tag narrows the list: that would mean counting the rows."""
    if q or language or tag is not None:
        return None
    return counts.get(status, 0) if status else counts["total"]


def supporter_profile(supporter: Supporter) -> dict[str, Any]:
    return {
        "actions": list(supporter.actions.all()[:200]),
        "consents": list(supporter.consents.all()[:50]),
        "receipts": list(
            MailingRecipient.objects.filter(supporter=supporter)
            .select_related("mailing")
            .order_by("-id")[:50]
        ),
    }


def organisation_counts(organisation: Organisation) -> dict[str, int]:
    """The organisation's supporters in all and by status: exact, from the row the services
    keep (``SupporterCount``), so one primary-key read whatever the number of supporters.
    An organisation without that row yet (no supporter so far, or supporters loaded in
    bulk before ``outreach_counts`` ran) is counted on the spot."""
    kept = SupporterCount.objects.filter(organisation=organisation).first()
    if kept is not None:
        by_status = kept.by_status()
    else:
        counted = dict(
            Supporter.objects.filter(organisation=organisation)
            .order_by()
            .values("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        by_status = {status: counted.get(status, 0) for status in SupporterStatus.values}
    return {"total": sum(by_status.values()), **{str(k): v for k, v in by_status.items()}}


def action_keys(organisation: Organisation) -> list[tuple[str, str]]:
    """The things this organisation's supporters did, for the segment form's choices: from
    ``ActionObject`` (one row a thing), not from every supporter's history."""
    rows = (
        ActionObject.objects.filter(organisation=organisation)
        .order_by("object_key")
        .values_list("object_key", "object_label")
    )
    return sorted(((key, label or key) for key, label in rows[:500]), key=lambda kv: kv[1])


def mailing_report(mailing: Mailing) -> dict[str, Any]:
    rows = dict(
        MailingRecipient.objects.filter(mailing=mailing)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    by_language = dict(
        MailingRecipient.objects.filter(mailing=mailing)
        .values("language")
        .annotate(n=Count("id"))
        .values_list("language", "n")
    )
    unsubscribed = MailingRecipient.objects.filter(
        mailing=mailing, unsubscribed_at__isnull=False
    ).count()
    return {
        "total": sum(rows.values()),
        "sent": rows.get(RecipientStatus.SENT, 0)
        + rows.get(RecipientStatus.BOUNCED, 0)
        + rows.get(RecipientStatus.COMPLAINED, 0),
        "queued": rows.get(RecipientStatus.QUEUED, 0),
        "skipped": rows.get(RecipientStatus.SKIPPED, 0),
        "failed": rows.get(RecipientStatus.FAILED, 0),
        "bounced": rows.get(RecipientStatus.BOUNCED, 0),
        "complained": rows.get(RecipientStatus.COMPLAINED, 0),
        "unsubscribed": unsubscribed,
        "by_language": sorted(by_language.items()),
    }


# How many distinct names one page of possible duplicates looks at, at most.
DUPLICATE_NAMES_WALKED = 1000


@dataclass
class Duplicates:
    """One page of possible duplicates; ``more_after`` is where the next page starts: a
    supporter bearing the last name looked at (an id, so no name travels in an address),
    None when every name was looked at."""

    groups: list[list[Supporter]]
    more_after: int | None


def _walk_names(organisation_id: int, after: str, steps: int) -> list[tuple[str, bool]]:
    """Up to ``steps`` distinct lower-cased names after ``after``, in order, each with
    whether at least two supporters share it.

    A skip scan on the ``(organisation, lower(name), …)`` index: two index probes a name,
    so a page costs the same with ten supporters or a million, however the names repeat.
    Empty names sort first and are never reached (``> after`` with ``after`` at least "").
    """
    table = connection.ops.quote_name(Supporter._meta.db_table)
    sql = f"""
        WITH RECURSIVE walk(lname, step) AS (
            SELECT (SELECT LOWER(s.name) FROM {table} s
                    WHERE s.organisation_id = %s AND LOWER(s.name) > %s
                    ORDER BY LOWER(s.name) LIMIT 1), 1
            UNION ALL
            SELECT (SELECT LOWER(s.name) FROM {table} s
                    WHERE s.organisation_id = %s AND LOWER(s.name) > walk.lname
                    ORDER BY LOWER(s.name) LIMIT 1), walk.step + 1
            FROM walk WHERE walk.lname IS NOT NULL AND walk.step < %s
        )
        SELECT lname, (SELECT COUNT(*) FROM (
            SELECT 1 FROM {table} s
            WHERE s.organisation_id = %s AND LOWER(s.name) = walk.lname LIMIT 2) two)
        FROM walk WHERE lname IS NOT NULL ORDER BY step
    """  # noqa: S608 (the table name is ours, every value a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation_id, after, organisation_id, steps, organisation_id])
        return [(name, count > 1) for name, count in cursor.fetchall()]


def _first_of_each(organisation_id: int, names: list[str], per_group: int) -> list[int]:
    """The ids of the ``per_group`` oldest supporters bearing each name: one query."""
    table = connection.ops.quote_name(Supporter._meta.db_table)
    one = (
        f"SELECT id FROM (SELECT s.id FROM {table} s"  # noqa: S608 (our table; values are parameters)
        " WHERE s.organisation_id = %s AND LOWER(s.name) = %s"
        " ORDER BY s.created_at, s.id LIMIT %s) AS first_{n}"
    )
    sql = " UNION ALL ".join(one.format(n=n) for n in range(len(names)))
    params: list[Any] = []
    for name in names:
        params += [organisation_id, name, per_group]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def possible_duplicates(
    organisation: Organisation,
    limit: int = 50,
    per_group: int = 10,
    after: int | None = None,
    walk: int | None = None,
) -> Duplicates:
    """Supporters sharing a name (case-insensitively): candidates for the merge screen.
    (Email and phone are unique per organisation, so those never duplicate.)

    Names are looked at in order from the name of supporter ``after``, at most ``walk`` of them, until ``limit``
    shared names are found; each group shows its first ``per_group`` supporters (oldest
    first). Every group shown is complete in what it claims: a shared name, and its
    oldest supporters. At most five queries whatever the size of the organisation.
    """
    base = Supporter.objects.filter(organisation=organisation).annotate(lname=Lower("name"))
    start = ""
    if after is not None:
        start = base.filter(pk=after).values_list("lname", flat=True).first() or ""
    walk = walk or DUPLICATE_NAMES_WALKED
    walked = _walk_names(organisation.pk, start, walk)
    names: list[str] = []
    last = ""
    for name, shared in walked:
        if shared:
            names.append(name)
        if len(names) == limit:
            last = name
            break
    else:
        if len(walked) == walk:
            last = walked[-1][0]
    # Ordered as the index is, so the first row is read off it (ordering by id alone could
    # walk the primary key through every supporter).
    bearer = base.filter(lname=last).order_by("created_at", "pk").values_list("pk", flat=True)
    first_bearer = list(bearer[:1]) if last else []
    more_after = first_bearer[0] if first_bearer else None
    if not names:
        return Duplicates(groups=[], more_after=more_after)
    # One slice per name, on the index (organisation, lower(name), created_at, id): a
    # name shared by thousands costs its first ``per_group`` rows, not all of them.
    rows = base.filter(pk__in=_first_of_each(organisation.pk, names, per_group))
    groups: dict[str, list[Supporter]] = {name: [] for name in names}
    for supporter in sorted(rows, key=lambda s: (s.lname, s.created_at, s.pk)):  # type: ignore[attr-defined]
        groups[supporter.lname].append(supporter)  # type: ignore[attr-defined]
    return Duplicates(groups=[g for g in groups.values() if len(g) > 1], more_after=more_after)


# --- The organiser's desk --------------------------------------------------------------
# How long a finished import stays on the desk for someone to look at its results.
DESK_IMPORT_DAYS = 7


def desk_items_for(user: Any, organisation: Organisation) -> list[Any]:
    """Scheduled mailings and recently finished imports: organisers and admins only
    (``access.OUTREACH_ROLES``), one query each."""

    if not has_role(user, organisation, OUTREACH_ROLES):
        return []
    slug = organisation.slug
    items: list[DeskItem] = []
    n, first = first_and_count(
        Mailing.objects.filter(organisation=organisation, status=MailingStatus.SCHEDULED), "pk"
    )
    if n and first:
        url = (
            reverse("outreach:mailing", kwargs={"slug": slug, "pk": first["pk"]})
            if n == 1
            else reverse("outreach:mailings", kwargs={"slug": slug})
        )
        label = ngettext("%(count)s mailing scheduled", "%(count)s mailings scheduled", n) % {
            "count": n
        }
        items.append(DeskItem(kind="outreach.mailings", label=label, count=n, url=url))
    since = timezone.now() - datetime.timedelta(days=DESK_IMPORT_DAYS)
    n, first = first_and_count(
        SupporterImport.objects.filter(
            organisation=organisation,
            status__in=[ImportStatus.DONE, ImportStatus.FAILED],
            finished_at__gte=since,
        ),
        "pk",
    )
    if n and first:
        url = (
            reverse("outreach:import", kwargs={"slug": slug, "pk": first["pk"]})
            if n == 1
            else reverse("outreach:organisation", kwargs={"slug": slug})
        )
        label = ngettext(
            "%(count)s supporter import finished this week",
            "%(count)s supporter imports finished this week",
            n,
        ) % {"count": n}
        items.append(DeskItem(kind="outreach.imports", label=label, count=n, url=url))
    return items


def desk_starts_for(user: Any, organisation: Organisation) -> list[Any]:
    if not has_role(user, organisation, OUTREACH_ROLES):
        return []
    url = reverse("outreach:mailing_new", kwargs={"slug": organisation.slug})
    return [DeskStart(kind="outreach.mailing", label=_("New mailing"), url=url)]
