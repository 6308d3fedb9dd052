"""Writes for link requests: one organisation asks another to co-organise, to lead, or
to be named as a partner in its public accounts.

Nobody is bound by another organisation's act. Naming an organisation as co-organiser of
a campaign or an event, handing a campaign's lead to it, or naming it publicly as the
partner money went to or came from only asks; the link exists (is shown, receives
registrants, signers' consents and supporters) once the invited organisation's
administrator or organiser accepts. Each step writes an audit row for every organisation
involved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spilka.campaigns.models import Campaign
from spilka.lib.audit import audit_record
from spilka.network.access import LINK_ANSWER_ROLES, WRITE_ROLES, has_role
from spilka.network.models import LinkKind, LinkRequest, LinkRequestStatus, Organisation

PENDING = LinkRequestStatus.PENDING


def _summary(request: LinkRequest) -> dict[str, Any]:
    return {
        "kind": request.kind,
        "organisation": request.organisation_id,
        "proposer": request.proposer_id,
        "campaign": request.campaign_id,
        "event": request.event_id,
        "status": request.status,
    }


@transaction.atomic
def link_request_propose(
    *,
    by: Any,
    kind: str,
    organisation: Organisation,
    proposer: Organisation,
    campaign: Any = None,
    event: Any = None,
    confirmed: bool | None = None,
) -> LinkRequest:
    """Ask ``organisation`` to take the place ``kind`` in ``campaign`` or ``event``.

    Accepted at once only when ``by`` may answer for ``organisation`` itself (its
    administrator or organiser): then both sides have said yes. Callers acting for the
    system (the demo) pass ``confirmed``. An open request for the same place is returned
    as it is.
    """
    if kind not in LinkKind.values:
        raise ValidationError(_("Choose what the organisation is asked to be."))
    if organisation.pk == proposer.pk:
        raise ValidationError(_("An organisation cannot invite itself."))
    same = {"kind": kind, "organisation": organisation, "campaign": campaign, "event": event}
    if kind == LinkKind.FUNDS_PARTNER:
        same["proposer"] = proposer
    existing = LinkRequest.objects.filter(**same, status=PENDING).first()
    if existing is not None:
        return existing
    request = LinkRequest(
        kind=kind,
        organisation=organisation,
        proposer=proposer,
        campaign=campaign,
        event=event,
        proposed_by=by if getattr(by, "is_authenticated", False) else None,
    )
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # Asked at the same moment by someone else: theirs is the request.
        theirs = LinkRequest.objects.filter(**same, status=PENDING).first()
        if theirs is None:  # another organisation was asked to lead at that moment
            raise ValidationError(
                _("Another request was made at the same time. Reload the page and try again.")
            ) from None
        return theirs
    audit_record(
        actor=by,
        action="network.link_request.proposed",
        obj=request,
        organisation=proposer,
        also=[organisation],
        after=_summary(request),
    )
    if confirmed is None:
        confirmed = has_role(by, organisation, LINK_ANSWER_ROLES)
    if confirmed:
        return link_request_accept(request=request, by=by)
    return request


def _decide(request: LinkRequest, *, by: Any, status: Any, action: str) -> LinkRequest:
    before = _summary(request)
    request.status = status
    request.decided_by = by if getattr(by, "is_authenticated", False) else None
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=by,
        action=action,
        obj=request,
        organisation=request.organisation,
        also=[request.proposer],
        before=before,
        after=_summary(request),
    )
    return request


def _locked_pending(request: LinkRequest) -> LinkRequest:
    locked = (
        LinkRequest.objects.select_for_update(of=("self",))
        .select_related(
            "organisation", "proposer", "campaign__lead_organisation", "event__organiser"
        )
        .get(pk=request.pk)
    )
    if locked.status != PENDING:
        raise ValidationError(_("This request has already been answered or withdrawn."))
    return locked


@transaction.atomic
def link_request_accept(*, request: LinkRequest, by: Any) -> LinkRequest:
    """The invited organisation says yes: the link is made."""
    request = _locked_pending(request)
    if request.kind == LinkKind.CAMPAIGN_LEAD:
        _campaign_lead_change(request, by=by)
    elif request.kind != LinkKind.FUNDS_PARTNER:  # a partner is simply named from now on
        _co_organiser_add(request, by=by)
    return _decide(
        request,
        by=by,
        status=LinkRequestStatus.ACCEPTED,
        action="network.link_request.accepted",
    )


@transaction.atomic
def link_request_decline(*, request: LinkRequest, by: Any) -> LinkRequest:
    """The invited organisation says no: nothing is linked."""
    request = _locked_pending(request)
    return _decide(
        request,
        by=by,
        status=LinkRequestStatus.DECLINED,
        action="network.link_request.declined",
    )


@transaction.atomic
def link_request_withdraw(*, request: LinkRequest, by: Any) -> LinkRequest:
    """The proposing side takes its question back before it is answered."""
    request = _locked_pending(request)
    return _decide(
        request,
        by=by,
        status=LinkRequestStatus.WITHDRAWN,
        action="network.link_request.withdrawn",
    )


def _co_organiser_add(request: LinkRequest, *, by: Any) -> None:
    obj: Any = request.campaign if request.campaign_id else request.event
    model = type(obj)
    obj = model.objects.select_for_update(of=("self",)).get(pk=obj.pk)
    lead = obj.lead_organisation if request.campaign_id else obj.organiser
    if (
        request.organisation_id == lead.pk
        or obj.co_organisers.filter(pk=request.organisation_id).exists()
    ):
        return
    obj.co_organisers.add(request.organisation)
    audit_record(
        actor=by,
        action=f"{obj._meta.app_label}.{obj._meta.model_name}.co_organiser_added",
        obj=obj,
        organisation=lead,
        also=[request.organisation],
        after={"co_organiser": request.organisation_id},
    )


def _campaign_lead_change(request: LinkRequest, *, by: Any) -> None:
    if request.campaign_id is None:  # a lead change always names its campaign
        raise Campaign.DoesNotExist
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("lead_organisation")
        .get(pk=request.campaign_id)
    )
    old = campaign.lead_organisation
    if old.pk != request.proposer_id:
        raise ValidationError(
            _("The campaign's lead has changed since this was proposed; it no longer applies.")
        )
    new = request.organisation
    campaign.lead_organisation = new
    campaign.save(update_fields=["lead_organisation"])
    # The old lead handed the campaign over; it stays on as a co-organiser.
    campaign.co_organisers.remove(new)
    campaign.co_organisers.add(old)
    LinkRequest.objects.filter(
        campaign=campaign,
        organisation=new,
        kind=LinkKind.CAMPAIGN_CO_ORGANISER,
        status=PENDING,
    ).update(status=LinkRequestStatus.WITHDRAWN, decided_at=timezone.now())
    audit_record(
        actor=by,
        action="campaigns.campaign.lead_changed",
        obj=campaign,
        organisation=new,
        also=[old],
        before={"lead_organisation": old.pk},
        after={"lead_organisation": new.pk, "co_organiser": old.pk},
    )


@transaction.atomic
def campaign_lead_propose(*, by: Any, campaign: Any, organisation: Organisation) -> LinkRequest:
    """Propose handing ``campaign``'s lead to ``organisation``.

    Only the current lead's administrator may; the new lead accepts. Co-organisers run
    the campaign but cannot take it over or push the lead out.
    """
    lead = campaign.lead_organisation
    if not has_role(by, lead, WRITE_ROLES):
        raise PermissionDenied
    if organisation.pk == lead.pk:
        raise ValidationError({"lead_organisation": _("This organisation already leads it.")})
    pending = LinkRequest.objects.filter(
        campaign=campaign, kind=LinkKind.CAMPAIGN_LEAD, status=PENDING
    ).first()
    if pending is not None and pending.organisation_id != organisation.pk:
        raise ValidationError(
            {
                "lead_organisation": _(
                    "Another organisation has already been asked to lead this campaign. "
                    "Withdraw that request first."
                )
            }
        )
    return link_request_propose(
        by=by,
        kind=LinkKind.CAMPAIGN_LEAD,
        organisation=organisation,
        proposer=lead,
        campaign=campaign,
    )


def co_organisers_request(
    *,
    by: Any,
    desired: Iterable[Organisation],
    campaign: Any = None,
    event: Any = None,
    confirmed: bool | None = None,
) -> dict[str, list[int]]:
    """Bring the co-organisers of ``campaign`` (or ``event``) in line with ``desired``.

    Organisations left out are removed (or their open invitation withdrawn); new ones
    are asked (``link_request_propose``). Returns the ids removed and the ids invited, for
    the caller's audit row. The caller holds the campaign or event locked.
    """
    obj = campaign if campaign is not None else event
    lead = campaign.lead_organisation if campaign is not None else event.organiser
    kind = LinkKind.CAMPAIGN_CO_ORGANISER if campaign is not None else LinkKind.EVENT_CO_ORGANISER
    wanted = {org.pk: org for org in desired if org.pk != lead.pk}
    current = set(obj.co_organisers.values_list("pk", flat=True))
    removed = sorted(current - set(wanted))
    if removed:
        obj.co_organisers.remove(*removed)
    pending = LinkRequest.objects.filter(
        kind=kind, campaign=campaign, event=event, status=PENDING
    ).select_related("organisation", "proposer")
    asked = set()
    for request in pending:
        if request.organisation_id in wanted:
            asked.add(request.organisation_id)
        else:
            link_request_withdraw(request=request, by=by)
    invited = []
    for pk, org in wanted.items():
        if pk in current or pk in asked:
            continue
        link_request_propose(
            by=by,
            kind=kind,
            organisation=org,
            proposer=lead,
            campaign=campaign,
            event=event,
            confirmed=confirmed,
        )
        invited.append(pk)
    return {"removed": removed, "invited": sorted(invited)}


@transaction.atomic
def funds_partner_ask(
    *, by: Any, organisation: Organisation, partner: Organisation, confirmed: bool | None = None
) -> LinkRequest | None:
    """Ask ``partner`` whether ``organisation``'s public accounts may name it.

    Until it accepts, public pages and the public ledger show "a partner organisation".
    Asked once: an answer, yes or no, stands (a new question would only nag).
    """
    if partner.pk == organisation.pk:
        return None
    answered = LinkRequest.objects.filter(
        kind=LinkKind.FUNDS_PARTNER, organisation=partner, proposer=organisation
    ).exclude(status=LinkRequestStatus.WITHDRAWN)
    if answered.exclude(status=PENDING).exists():
        return None
    return link_request_propose(
        by=by,
        kind=LinkKind.FUNDS_PARTNER,
        organisation=partner,
        proposer=organisation,
        confirmed=confirmed,
    )
