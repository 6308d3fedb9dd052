"""Reads for the network directory, shaped for the pages that show them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries

from spilka.lib.desk import DeskItem
from spilka.lib.models import AuditEntry
from spilka.network.access import (
    LINK_ANSWER_ROLES,
    PEOPLE_READ_ROLES,
    WRITE_ROLES,
    current_memberships_q,
    has_role,
    is_superuser,
    linked_to_q,
    organisation_parent_for_user,
    organisation_visible_q,
    organisations_reading_people,
    organisations_visible_to,
    people_visible_to,
    user_roles,
)
from spilka.network.models import (
    Consent,
    LinkRequest,
    LinkRequestStatus,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    PersonEmail,
    Relationship,
    WorkingGroup,
)
from spilka.network.models.organisations import RELATIONSHIP_INVERSE_LABELS
from spilka.network.normalise import normalise_email


def directory_organisations(
    *, user: Any, country: str = "", kind: str = "", language: str = "", q: str = ""
) -> QuerySet[Organisation]:
    # ``parent_visible``: whether the card may say "Part of …"; a private parent the user
    # cannot see is never named.
    qs = (
        organisations_visible_to(user)
        .select_related("parent")
        .annotate(
            parent_visible=ExpressionWrapper(
                Q(parent__isnull=False) & organisation_visible_q(user, "parent__"),
                output_field=BooleanField(),
            )
        )
    )
    if country:
        qs = qs.filter(country=country)
    if kind:
        qs = qs.filter(kind=kind)
    if language:
        # Codes are validated against a fixed list before they reach here; matching the
        # quoted code in the JSON text works the same on SQLite and PostgreSQL.
        qs = qs.filter(languages__icontains=f'"{language}"')
    if q:
        # search_text is case-folded in Python: matching works for every alphabet on
        # SQLite too, whose LIKE folds only ASCII letters.
        qs = qs.filter(search_text__contains=q.casefold())
    return qs.order_by("slug")


def directory_countries(*, user: Any) -> list[str]:
    return sorted(set(organisations_visible_to(user).values_list("country", flat=True)))


@dataclass
class RelationshipRow:
    relationship: Relationship
    other: Organisation
    outgoing: bool
    # Awaiting the target's word: shown only to the administrators of either side, and
    # the target's may accept it.
    can_accept: bool = False

    @property
    def pending(self) -> bool:
        return not self.relationship.confirmed

    @property
    def label(self) -> str:
        if self.outgoing:
            return str(self.relationship.get_kind_display())
        return str(RELATIONSHIP_INVERSE_LABELS[self.relationship.kind])


@dataclass
class OrganisationPage:
    organisation: Organisation
    parent: Organisation | None
    relationships: list[RelationshipRow]
    branches: list[Organisation]
    working_groups: list[WorkingGroup]
    member_of_groups: list[WorkingGroup]
    network_members: list[Organisation] = field(default_factory=list)
    can_see_private: bool = False
    can_see_people: bool = False
    can_edit: bool = False
    # Open requests to co-organise or lead, for the organisation's admins and organisers:
    # the ones it may accept or decline, and the ones it made and awaits.
    link_requests_received: list[LinkRequest] = field(default_factory=list)
    link_requests_made: list[LinkRequest] = field(default_factory=list)


def organisation_page(*, user: Any, organisation: Organisation) -> OrganisationPage:
    visible_ids = organisations_visible_to(user).values("pk")
    is_admin = has_role(user, organisation, WRITE_ROLES)
    # Everyone sees confirmed relationships; the organisation's administrators also see
    # the ones awaiting confirmation, theirs or the other side's.
    shown = Q() if is_admin else Q(confirmed=True)
    out = Relationship.objects.filter(
        shown, source=organisation, target__in=visible_ids
    ).select_related("target")
    inc = Relationship.objects.filter(
        shown, target=organisation, source__in=visible_ids
    ).select_related("source")
    rows = [RelationshipRow(r, r.target, True) for r in out] + [
        RelationshipRow(r, r.source, False, can_accept=is_admin and not r.confirmed) for r in inc
    ]
    rows.sort(key=lambda row: (row.relationship.kind, row.other.display_name.lower()))
    public_groups = Q(is_public=True)
    if has_role(user, organisation):
        public_groups = Q()
    can_see_people = has_role(user, organisation, PEOPLE_READ_ROLES)
    prefetch: list[Any] = [Prefetch("organisations", queryset=organisations_visible_to(user))]
    if can_see_people:
        prefetch.append("people")
    groups = list(organisation.working_groups.filter(public_groups).prefetch_related(*prefetch))
    member_of_groups = list(
        WorkingGroup.objects.filter(
            organisations=organisation, is_public=True, network__in=visible_ids
        ).select_related("network")
    )
    members: list[Organisation] = []
    if organisation.kind == OrganisationKind.NETWORK:
        members = [
            row.other
            for row in rows
            if not row.outgoing and not row.pending and row.relationship.kind == "member_of"
        ]
    return OrganisationPage(
        organisation=organisation,
        parent=organisation_parent_for_user(user=user, organisation=organisation),
        relationships=rows,
        branches=list(organisations_visible_to(user).filter(parent=organisation).order_by("slug")),
        working_groups=groups,
        member_of_groups=member_of_groups,
        network_members=members,
        can_see_private=has_role(user, organisation),
        can_see_people=can_see_people,
        can_edit=is_admin,
        **_link_requests_of(user=user, organisation=organisation),
    )


def _link_requests_of(*, user: Any, organisation: Organisation) -> dict[str, list[LinkRequest]]:
    if not has_role(user, organisation, LINK_ANSWER_ROLES):
        return {}
    pending = LinkRequest.objects.filter(status=LinkRequestStatus.PENDING).select_related(
        "organisation", "proposer", "campaign", "event"
    )
    return {
        "link_requests_received": list(pending.filter(organisation=organisation)),
        "link_requests_made": list(pending.filter(proposer=organisation)),
    }


def link_requests_pending_about(*, campaign: Any = None, event: Any = None) -> list[LinkRequest]:
    """Open requests about ``campaign`` or ``event``: shown to its organisers as pending."""
    return list(
        LinkRequest.objects.filter(campaign=campaign, event=event, status=LinkRequestStatus.PENDING)
        .select_related("organisation")
        .order_by("kind", "organisation__slug")
    )


def network_graph(
    *, user: Any, around: Organisation | None = None, limit: int | None = None
) -> tuple[list[Organisation], list[Relationship]]:
    """Organisations and relationships for the network picture (only what ``user`` may see).

    ``limit`` keeps the whole-network picture to the most linked organisations: drawing
    thousands of them costs seconds of layout and says nothing a reader can see.
    """
    visible = organisations_visible_to(user)
    rels = Relationship.objects.filter(
        source__in=visible.values("pk"),
        target__in=visible.values("pk"),
        ended_on__isnull=True,
        confirmed=True,
    )
    if around is not None:
        rels = rels.filter(Q(source=around) | Q(target=around))
    elif limit is not None:
        orgs = list(_most_linked(visible, rels, limit))
        shown = [org.pk for org in orgs]
        return orgs, list(
            rels.filter(source__in=shown, target__in=shown).select_related("source", "target")
        )
    rels_list = list(rels.select_related("source", "target"))
    if around is not None:
        ids = {around.pk} | {r.source_id for r in rels_list} | {r.target_id for r in rels_list}
        # Its parent and branches belong in the picture too (drawn as "part of" links).
        orgs = list(visible.filter(Q(pk__in=ids) | Q(pk=around.parent_id) | Q(parent=around)))
    else:
        orgs = list(visible)
    return orgs, rels_list


def _most_linked(visible: QuerySet, rels: QuerySet, limit: int) -> QuerySet:
    """The ``limit`` visible organisations with the most drawn links (ties by slug).

    Both ends counted in one grouped join against the drawn links. (Two correlated counts
    per organisation gave the same answer, but PostgreSQL's planner costed them so high at
    3,000 organisations that it JIT-compiled the query: 100 ms of compiling on every cold
    request of the network page, for 40 ms of work.)
    """
    drawn = rels.values("pk")
    return visible.annotate(
        links=Count("relationships_out", filter=Q(relationships_out__in=drawn), distinct=True)
        + Count("relationships_in", filter=Q(relationships_in__in=drawn), distinct=True)
    ).order_by("-links", "slug")[:limit]


@dataclass(frozen=True)
class NetworkSummary:
    """The public network in numbers, for the front page: how many organisations, in which
    countries (the largest first), and how many confirmed relationships join them."""

    organisations: int
    relationships: int
    by_country: list[tuple[str, int]]
    shown: int = 8

    @property
    def countries(self) -> int:
        return len(self.by_country)

    def top_countries(self) -> list[dict[str, Any]]:
        """The largest countries with their names in the reader's language and their
        the largest one's count (where their bar ends)."""
        top = self.by_country[: self.shown]
        most = top[0][1] if top else 1
        return [
            {
                "code": code,
                "name": countries.name(code) or code,
                "count": n,
                "most": most,
            }
            for code, n in top
        ]


def network_summary() -> NetworkSummary:
    """Two grouped queries, whatever the size of the network; public organisations only."""
    public = Organisation.objects.filter(is_public=True)
    rows = public.values("country").annotate(n=Count("pk")).order_by("-n", "country")
    by_country = [(str(row["country"] or ""), row["n"]) for row in rows]
    relationships = Relationship.objects.filter(
        source__is_public=True, target__is_public=True, ended_on__isnull=True, confirmed=True
    ).count()
    return NetworkSummary(
        organisations=sum(n for _code, n in by_country),
        relationships=relationships,
        by_country=[(code, n) for code, n in by_country if code],
    )


def organisation_people(*, user: Any, organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's current members, for a user who may read its people."""
    return (
        Membership.objects.filter(
            current_memberships_q(),
            organisation=organisation,
            person__in=people_visible_to(user).values("pk"),
        )
        .select_related("person")
        .prefetch_related("person__emails")
        .order_by("person__full_name")
    )


def person_detail(*, person: Person, user: Any) -> dict[str, Any]:
    """The person, with memberships and consents of the organisations whose people ``user``
    may read. Links to other organisations stay hidden: a viewer at one organisation
    must not learn which others someone belongs to."""
    readable = organisations_reading_people(user).values("pk")
    return {
        "person": person,
        "emails": list(person.emails.all()),
        "memberships": list(
            person.memberships.filter(organisation__in=readable).select_related("organisation")
        ),
        "consents": list(
            Consent.objects.filter(person=person, organisation__in=readable).select_related(
                "organisation"
            )
        ),
    }


def person_find_for_organisation(
    *, email: str, organisation: Organisation, current_only: bool = False
) -> Person | None:
    """The person with ``email`` in ``organisation``'s records, or None.

    Contact records are per organisation: only a person linked to ``organisation`` by a
    membership or a consent is found; people known only to other organisations never
    are. Past links count too (someone who left or withdrew and comes back keeps their
    record), unless ``current_only``. Use it to attach consents to the right
    organisation's record.
    """
    try:
        normalised = normalise_email(email)
    except ValidationError:
        return None
    people = Person.objects.filter(
        Exists(PersonEmail.objects.filter(person=OuterRef("pk"), email=normalised))
    )
    if current_only:
        people = people.filter(linked_to_q([organisation.pk]))
    else:
        people = people.filter(
            Q(Exists(Membership.objects.filter(person=OuterRef("pk"), organisation=organisation)))
            | Q(Exists(Consent.objects.filter(person=OuterRef("pk"), organisation=organisation)))
        )
    return people.order_by("-pk").first()


# The parts of Spilka an audit row can come from: the first part of its dotted action.
AUDIT_AREAS = (
    "network",
    "campaigns",
    "aid",
    "funds",
    "events",
    "publishing",
    "outreach",
    "webhooks",
)


def organisation_audit(*, organisation: Organisation, area: str = "") -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(organisation=organisation).select_related("actor")
    if area in AUDIT_AREAS:
        entries = entries.filter(action__startswith=f"{area}.")
    return entries


def organisations_pickable_for(
    *, user: Any, purpose: str = "partner", keep: Any = None
) -> QuerySet[Organisation]:
    """The organisations ``user`` may name in a form field: the one rule for every picker.

    Public organisations, plus the private ones ``user`` holds a role in, plus the private
    ones linked to one of ``user``'s organisations by a relationship that both sides
    confirmed (a clandestine partner that accepted the link has agreed to be known to its
    partner). A private organisation with no such tie is never offered, and the services
    refuse it too (``organisations_check_pickable``), so a crafted request cannot name it.
    A superuser who verified a second factor may pick any. ``purpose`` says what the pick
    is for (co-organiser, counterparty, donor, body, signatory…); every purpose follows
    the same rule today, and naming it keeps the call sites greppable. ``keep`` (a queryset
    of organisations) stay choosable: the ones a record already names, so editing it does
    not fail on a link made earlier.
    """
    del purpose
    if is_superuser(user):
        return Organisation.objects.all()
    mine = list(user_roles(user))
    rule = Q(is_public=True)
    if mine:
        partners = Relationship.objects.filter(confirmed=True).filter(
            Q(source_id__in=mine, target=OuterRef("pk"))
            | Q(target_id__in=mine, source=OuterRef("pk"))
        )
        rule |= Q(pk__in=mine) | Q(Exists(partners))
    if keep is not None:
        rule |= Q(pk__in=keep.values("pk"))
    return Organisation.objects.filter(rule)


def organisations_check_pickable(
    *, user: Any, organisations: Any, field: str, already: Any = (), purpose: str = "partner"
) -> None:
    """Refuse (``ValidationError`` on ``field``) an organisation ``user`` may not pick.

    Services call it with what a form submitted; ``already`` are the ones linked before
    (kept even when no longer pickable, so an edit does not fail on them). ``user`` may be
    a label such as ``"demo"`` for work the platform does itself: nothing to refuse then.
    """
    if not hasattr(user, "is_authenticated"):
        return
    kept = {org.pk for org in already if org is not None}
    wanted = {org.pk for org in organisations if org is not None} - kept
    if not wanted:
        return
    allowed = set(
        organisations_pickable_for(user=user, purpose=purpose)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if wanted - allowed:
        raise ValidationError(
            {field: _("Choose an organisation from the list.")}, code="not_pickable"
        )


# --- The organiser's desk --------------------------------------------------------------
def desk_items_for(user: Any, organisation: Organisation) -> list[Any]:
    """Requests to work together and relationships this organisation's answerers may accept.

    The same rows as the organisation page's "Requests to work together" and pending
    relationships, for the same roles; one COUNT each.
    """

    items: list[DeskItem] = []
    page = reverse("network:organisation", kwargs={"slug": organisation.slug})
    if has_role(user, organisation, LINK_ANSWER_ROLES):
        n = LinkRequest.objects.filter(
            organisation=organisation, status=LinkRequestStatus.PENDING
        ).count()
        if n:
            label = ngettext(
                "%(count)s request to work together to answer",
                "%(count)s requests to work together to answer",
                n,
            ) % {"count": n}
            items.append(
                DeskItem(
                    kind="network.link_requests",
                    label=label,
                    count=n,
                    url=f"{page}#link-requests",
                )
            )
    if has_role(user, organisation, WRITE_ROLES):
        n = Relationship.objects.filter(
            target=organisation,
            confirmed=False,
            source__in=organisations_visible_to(user).values("pk"),
        ).count()
        if n:
            label = ngettext(
                "%(count)s relationship to confirm", "%(count)s relationships to confirm", n
            ) % {"count": n}
            items.append(
                DeskItem(
                    kind="network.relationships",
                    label=label,
                    count=n,
                    url=f"{page}#relationships",
                )
            )
    return items
