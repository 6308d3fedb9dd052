"""The organiser's desk: pledges to load, handovers to confirm, and new needs."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from spilka.aid.access import can_manage
from spilka.aid.models import (
    Convoy,
    ConvoyStatus,
    Handover,
    HandoverStatus,
    Pledge,
    PledgeLine,
    PledgeStatus,
)
from spilka.aid.services.handovers import CONFIRMABLE
from spilka.lib.desk import DeskItem, DeskStart, first_and_count
from spilka.network.models import Organisation

# Convoys still taking goods on board.
OPEN_CONVOY_STATUSES = (ConvoyStatus.PLANNED, ConvoyStatus.LOADING)


def desk_items_for(user: Any, organisation: Organisation) -> list[DeskItem]:
    if not can_manage(user, organisation.pk):
        return []
    items: list[DeskItem] = []
    # The organisation's own offers with something not yet dispatched: what the convoy
    # page's loading form offers (``views.manage._loadable_pledge_lines``).
    undispatched = PledgeLine.objects.filter(pledge=OuterRef("pk"), dispatched__lt=F("quantity"))
    n = Pledge.objects.filter(
        Exists(undispatched), status=PledgeStatus.OFFERED, donor_organisation=organisation
    ).count()
    if n:
        convoy = (
            Convoy.objects.filter(organisation=organisation, status__in=OPEN_CONVOY_STATUSES)
            .order_by("planned_departure", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        url = reverse("aid:convoy", kwargs={"pk": convoy}) if convoy else reverse("aid:convoys")
        items.append(
            DeskItem(
                kind="aid.pledges",
                label=ngettext(
                    "%(count)s pledge to load onto a convoy",
                    "%(count)s pledges to load onto a convoy",
                    n,
                )
                % {"count": n},
                count=n,
                url=url,
            )
        )
    # Goods on their way or left with a recipient, not yet confirmed: the convoy's
    # organisers chase it, the recipient confirms it.
    n, first = first_and_count(
        Handover.objects.filter(
            Q(convoy__organisation=organisation) | Q(recipient=organisation),
            status=HandoverStatus.PENDING,
            convoy__status__in=CONFIRMABLE,
        ),
        "pk",
    )
    if n and first:
        url = (
            reverse("aid:handover", kwargs={"pk": first["pk"]})
            if n == 1
            else reverse("aid:convoys")
        )
        items.append(
            DeskItem(
                kind="aid.handovers",
                label=ngettext(
                    "%(count)s handover awaiting confirmation",
                    "%(count)s handovers awaiting confirmation",
                    n,
                )
                % {"count": n},
                count=n,
                url=url,
            )
        )
    return items


def desk_starts_for(user: Any, organisation: Organisation) -> list[DeskStart]:
    if not can_manage(user, organisation.pk):
        return []
    return [DeskStart(kind="aid.need", label=_("New need"), url=reverse("aid:need_create"))]
