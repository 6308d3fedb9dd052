"""A private organisation linked to the demo network through every relation the models allow.

``link_private_partner()`` creates "Zorya", a private (clandestine) partner with a name in
every content language, and ties it to public campaigns, events, funds, aid, resolutions,
statements, publications and the network, the way the services would. ``relations_to``
lists every foreign key and many-to-many field to ``Organisation`` across all apps, found
from the models themselves: the public-crawl test fails on any relation that no row links
to the private organisation, so a new relation has to be linked here (and so checked).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from spilka.network import services as network_services
from spilka.network.models import Organisation

BY = "test setup"

NAMES = {
    "en": "Zorya Clandestine Partner",
    "uk": "Зоря Підпільний Партнер",
    "pl": "Zorza Tajny Partner",
    "ru": "Заря Подпольный Партнёр",
}
SHORT_NAME = "ZORYAX"
SLUG = "zorya-hidden-partner"

# Relations that no public page, feed or export reads: linked by repointing one existing
# row (the private organisation's own bookkeeping, personal data and the audit log).
INTERNAL = {
    "lib.AuditEntry.organisation",
    "network.Membership.organisation",
    "network.Consent.organisation",
    "network.OrganisationRole.organisation",
    "campaigns.SignatureConsent.organisation",
    "events.RegistrationConsent.organisation",
    "funds.TreasurySettings.organisation",
    "funds.ExchangeRate.organisation",
    "publishing.TranslationTask.organisation",
    "outreach.Supporter.organisation",
    "outreach.Tag.organisation",
    "outreach.SupporterList.organisation",
    "outreach.Segment.organisation",
    "outreach.SupporterImport.organisation",
    "outreach.Mailing.organisation",
    "outreach.PendingSignup.organisation",
    # Counts and the list of things supporters acted on: read only by the organisation's
    # own outreach pages.
    "outreach.SupporterCount.organisation",
    "outreach.ActionObject.organisation",
    # Requests and invitations are shown only to the organisations they concern.
    "network.LinkRequest.organisation",
    "network.LinkRequest.proposer",
    "network.RoleInvitation.organisation",
    # Webhook endpoints are seen only by the organisation's own admins.
    "webhooks.WebhookEndpoint.organisation",
    # API keys are seen only by the organisation's own admins (the API never lists them).
    "api.ApiKey.organisation",
    # Export files are seen and downloaded only by the person who asked for them.
    "exports.ExportFile.organisation",
}


def relations_to() -> list[tuple[type, object]]:
    """(model, field) for every foreign key, one-to-one and many-to-many to Organisation."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and not field.auto_created and field.related_model is Organisation:
                found.append((model, field))
    return found


def relation_label(model: type, field: object) -> str:
    return f"{model._meta.label}.{field.name}"


def unlinked_relations(private: Organisation) -> list[str]:
    missing = []
    for model, field in relations_to():
        if not model.objects.filter(**{field.name: private}).exists():
            missing.append(relation_label(model, field))
    return missing


def _repoint_internal(private: Organisation) -> None:
    for model, field in relations_to():
        label = relation_label(model, field)
        if label not in INTERNAL or model.objects.filter(**{field.name: private}).exists():
            continue
        # A row that already names an organisation (one without may be of another kind:
        # an official exchange rate has none).
        rows = model.objects.exclude(**{field.name: private})
        if not field.many_to_many:
            rows = rows.filter(**{f"{field.name}__isnull": False})
        row = rows.order_by("pk").first()
        if row is None:
            continue
        if field.one_to_one:
            # A second settings row of its own rather than taking another organisation's.
            model.objects.create(**{field.name: private})
        else:
            model.objects.filter(pk=row.pk).update(**{field.name: private})


def _accept(**request: object) -> None:
    """The private partner says yes to the request it was sent (co-organiser, named partner)."""
    from spilka.network.link_requests import link_request_accept
    from spilka.network.models import LinkRequest, LinkRequestStatus

    link_request_accept(
        request=LinkRequest.objects.get(status=LinkRequestStatus.PENDING, **request), by=BY
    )


def link_private_partner() -> Organisation:
    from spilka.aid.models import Item, Need
    from spilka.aid.services import convoys as convoy_services
    from spilka.aid.services import needs as need_services
    from spilka.aid.services.handovers import ReceivedLine, handover_confirm
    from spilka.campaigns.models import Campaign, Resolution, Statement
    from spilka.campaigns.services import campaigns as campaign_services
    from spilka.campaigns.services import cosignatures
    from spilka.campaigns.services import resolutions as resolution_services
    from spilka.events.models import Event
    from spilka.events.services import events as event_services
    from spilka.funds.models import Fund
    from spilka.funds.services import donations as donation_services
    from spilka.funds.services import funds as fund_services
    from spilka.funds.services import ledger as ledger_services
    from spilka.network.models import WorkingGroup
    from spilka.publishing.services import publications as publication_services
    from spilka.publishing.services import resources as resource_services

    orgs = {org.slug: org for org in Organisation.objects.all()}
    usc = orgs["ukraine-solidarity-campaign"]
    private = network_services.organisation_create(
        by=BY,
        slug=SLUG,
        name=NAMES,
        short_name=SHORT_NAME,
        kind="campaign",
        country="UA",
        city="Zoryansk",
        is_public=False,
        original_language="uk",
        languages=["uk"],
    )
    user = get_user_model().objects.create_user("zorya@example.test", "x" * 24)
    network_services.role_grant(by=BY, user=user, organisation=private, role="admin")
    network_services.role_grant(by=BY, user=user, organisation=usc, role="admin")

    # The network: a public branch, relationships both ways, working groups.
    network_services.organisation_create(
        by=BY,
        slug="zorya-public-branch",
        name={"en": "Open branch"},
        kind="other",
        country="UA",
        parent=private,
        is_public=True,
    )
    for source, target, kind in ((private, usc, "partner_of"), (usc, private, "supports")):
        relationship = network_services.relationship_create(
            by=BY, source=source, target=target, kind=kind
        )
        network_services.relationship_confirm(relationship=relationship, by=BY)
    network_services.working_group_create(
        by=BY, network=private, slug="zorya-group", name={"en": "Hidden group"}
    )
    group = WorkingGroup.objects.filter(is_public=True).order_by("pk").first()
    if group is None:
        group = network_services.working_group_create(
            by=BY, network=orgs["ussc"], slug="open-group", name={"en": "Open group"}
        )
    network_services.working_group_add_organisation(by=BY, group=group, organisation=private)

    # Campaigns: co-organiser of a public campaign, lead of another; an adoption; a
    # co-signature.
    campaign = (
        Campaign.objects.filter(lead_organisation=usc, is_public=True)
        .exclude(status="draft")
        .order_by("pk")
        .first()
    )
    campaign_services.campaign_update(
        campaign=campaign, by=BY, co_organisers=[*campaign.co_organisers.all(), private]
    )
    _accept(campaign=campaign, organisation=private)
    campaign_services.campaign_create(
        by=BY,
        slug="zorya-campaign",
        title={"en": "Open campaign of a hidden group"},
        lead_organisation=private,
        is_public=True,
        status="active",
    )
    # Only a public body may report an adoption: this one adopted the resolution while it
    # was public, then went private.
    private = network_services.organisation_update(organisation=private, by=BY, is_public=True)
    resolution = Resolution.objects.filter(is_public=True).order_by("pk").first()
    resolution_services.adoption_report(
        by=BY, resolution=resolution, body=private, status="adopted"
    )
    private = network_services.organisation_update(organisation=private, by=BY, is_public=False)
    statement = Statement.objects.filter(status="open").order_by("pk").first()
    cosignatures.cosign_by_role_holder(statement=statement, organisation=private, user=user)

    # Aid: a need of the private partner, a pledge it gives, a convoy it runs, a delivery
    # to it confirmed.
    item = Item.objects.filter(is_active=True, tracks_lot_expiry=False).order_by("pk").first()
    need_services.need_create(
        by=BY,
        organisation=private,
        title={"en": "Hidden need"},
        oblast="dnipropetrovsk",
        lines=[(item, Decimal(3))],
        campaign=campaign,
    )
    usc_need = Need.objects.filter(organisation__is_public=True, status="open").order_by("pk")
    need = usc_need.first()
    need_line = need.lines.order_by("pk").first()
    need_services.pledge_create(
        by=BY,
        need=need,
        donor_organisation=private,
        lines=[{"need_line": need_line, "item": need_line.item, "quantity": Decimal(1)}],
    )
    hidden_convoy = convoy_services.convoy_create(
        by=BY, organisation=private, title="Hidden convoy", campaign=campaign
    )
    open_convoy = convoy_services.convoy_create(
        by=BY, organisation=usc, title="Open convoy to a hidden partner", campaign=campaign
    )
    for convoy, recipient, donor in (
        (hidden_convoy, orgs["kvpu"], usc),
        (open_convoy, private, private),
        (open_convoy, orgs["kvpu"], private),
    ):
        convoy_services.manifest_line_add(
            by=BY,
            convoy=convoy,
            item=item,
            quantity=Decimal(2),
            recipient=recipient,
            donor_organisation=donor,
        )
    for convoy in (hidden_convoy, open_convoy):
        for to in ("loading", "departed", "arrived"):
            convoy_services.convoy_transition(by=BY, convoy=convoy, to=to)
        for handover in convoy.handovers.all():
            handover_confirm(
                handover=handover,
                lines=[ReceivedLine(line.pk, line.quantity) for line in handover.lines.all()],
                signer_name="Signer",
                by=BY,
            )

    # Money: a transfer from a public fund to the private partner, a fund and a donor of its own.
    fund = Fund.objects.filter(organisation=usc, is_public=True).order_by("pk").first()
    ledger_services.transaction_post(
        fund=fund,
        kind="transfer_out",
        amount=Decimal("10.00"),
        currency=fund.currency,
        occurred_on=timezone.localdate() - datetime.timedelta(days=1),
        by=BY,
        counterparty=private,
        description="Transfer",
    )
    # It agreed to be named in the accounts: being private still keeps its name off them.
    _accept(kind="funds_partner", proposer=usc, organisation=private)
    fund_services.fund_create(
        by=BY, organisation=private, slug="zorya-fund", name={"en": "Hidden fund"}, currency="UAH"
    )
    donation_services.donor_find_or_create(
        organisation=private, name="Hidden donor", email="donor@zorya.example"
    )

    # Events: a co-organised public event, a public event and a series of its own.
    event = (
        Event.objects.filter(organiser__is_public=True, is_public=True)
        .order_by("-starts_at")
        .first()
    )
    event_services.event_update(
        event=event, by=BY, co_organisers=[*event.co_organisers.all(), private]
    )
    _accept(event=event, organisation=private)
    series = event_services.series_create(
        by=BY,
        organiser=private,
        slug="zorya-series",
        title={"en": "Hidden series"},
        is_public=True,
    )
    starts = timezone.now() + datetime.timedelta(days=10)
    own_event = event_services.event_create(
        by=BY,
        organiser=private,
        slug="zorya-event",
        kind=event.kind,
        title={"en": "Open event of a hidden group"},
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        is_online=True,
        join_url="https://meet.example/zorya",
        is_public=True,
        series=series,
        campaign=campaign,
        registration_enabled=True,
    )
    from spilka.events.services.registrations import ConsentChoice, event_register

    event_register(
        event=own_event,
        full_name="Hidden Registrant",
        email="registrant@zorya.example",
        consents=[ConsentChoice(organisation=private, wording="Updates")],
    )
    from spilka.outreach.services.public import signup_request

    signup_request(
        organisation=private,
        email="signup@zorya.example",
        name="Hidden Supporter",
        country="UA",
        language="uk",
        wording="Updates",
        base_url="http://testserver",
    )

    # Publishing: a published article and a resource link of its own.
    publication_services.publication_create(
        by=BY,
        organisation=private,
        slug="zorya-article",
        title={"en": "An article"},
        body={"en": "Text."},
        status="published",
    )
    resource_services.resource_link_create(
        by=BY,
        organisation=private,
        label={"en": "A link"},
        url="https://example.org/zorya",
        kind="website",
    )

    # Its own bookkeeping: a role offered to an address without an account, its bank's rate.
    from spilka.funds.services.rates import rate_manual_record
    from spilka.network.roles import role_give

    role_give(by=BY, organisation=private, email="invited@zorya.example", role="viewer")
    rate_manual_record(
        organisation=private,
        date=timezone.localdate() - datetime.timedelta(days=1),
        base="EUR",
        quote="UAH",
        rate="45.00",
        by=BY,
        confirmed=True,
    )

    # Its integrations: a webhook endpoint (admins only).
    from django.test import override_settings

    from spilka.webhooks.services import endpoint_create

    with override_settings(SPILKA_WEBHOOKS_ALLOW_PRIVATE=True):  # no DNS in tests
        endpoint_create(
            by=BY, organisation=private, url="http://127.0.0.1:9/zorya", events=["pledge.made"]
        )
    # And an API key: whatever the key reads, the organisation stays invisible to others.
    from spilka.api.services import apikey_create

    apikey_create(organisation=private, name="Zorya CRM", scopes=["supporters:read"], by=BY)
    # And an export of its supporters, asked for by one of its own people.
    from spilka.exports.models import ExportFile

    ExportFile.objects.create(
        organisation=private,
        requested_by=user,
        kind="outreach.supporters",
        parameters={"slug": private.slug},
        fingerprint="private-partner-supporters",
    )

    _repoint_internal(private)
    return private
