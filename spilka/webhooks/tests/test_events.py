"""Each of the eleven events is emitted by its own service, to the organisation whose object
it is, with that organisation's own data and nothing of anyone else's.

Every organisation in the demo gets an endpoint listening to every event, so a delivery to
the wrong organisation would show up too. (Deliveries are sent after commit; these tests
roll back, so nothing is sent.)
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal as D

import pytest
from django.utils import timezone

from spilka.network.models import Organisation
from spilka.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from spilka.webhooks.tests.conftest import CLOSED_PORT_URL

pytestmark = pytest.mark.django_db
USC = "ukraine-solidarity-campaign"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@pytest.fixture
def everyone_listens(demo):
    for org in Organisation.objects.all():
        WebhookEndpoint.objects.create(
            organisation=org, url=CLOSED_PORT_URL, events=list(WebhookEvent.values)
        )


def _only(
    event: str, organisation: Organisation, *, emails: frozenset[str] | set[str] = frozenset()
) -> dict:
    """The one delivery of ``event``: to ``organisation`` only, naming only ``emails``."""
    deliveries = list(WebhookDelivery.objects.filter(event=event).select_related("endpoint"))
    assert [d.endpoint.organisation_id for d in deliveries] == [organisation.pk], event
    payload = deliveries[0].payload
    assert payload["organisation"] == {"id": organisation.pk, "slug": organisation.slug}
    assert payload["event"] == event and payload["id"] == str(deliveries[0].id)
    assert set(EMAIL.findall(json.dumps(payload["data"]))) <= set(emails)
    return payload["data"]


def test_signature_confirmed_goes_to_the_petitions_lead(everyone_listens, demo):
    from spilka.campaigns.models import Petition
    from spilka.campaigns.services.petitions import signature_confirm
    from spilka.campaigns.services.signing import Signer, petition_sign

    petition = Petition.objects.select_related("campaign__lead_organisation").get(
        slug="iaea-zaporizhzhia"
    )
    result = petition_sign(
        Signer(
            petition_id=petition.pk,
            full_name="Olena Petrenko",
            email="olena@example.org",
            country="UA",
        ),
        petition=petition,
    )
    assert not WebhookDelivery.objects.exists()  # not yet: only a confirmed signature counts
    signature_confirm(signature_id=result.signature_id)
    signature_confirm(signature_id=result.signature_id)  # idempotent: no second event
    data = _only(
        "signature.confirmed", petition.campaign.lead_organisation, emails={"olena@example.org"}
    )
    assert data["signature"]["full_name"] == "Olena Petrenko"
    assert data["petition"]["slug"] == petition.slug


def test_supporter_subscribed_and_unsubscribed(everyone_listens, demo):
    from spilka.lib.supporters import SupporterAction, supporter_action_announce
    from spilka.outreach.models import Supporter
    from spilka.outreach.services.supporters import supporter_unsubscribe

    usc = demo[USC]
    supporter_action_announce(
        SupporterAction(
            organisation_id=usc.pk,
            email="new.supporter@example.org",
            name="Nadia",
            language="uk",
            country="UA",
            kind="signed_up",
            object_key=f"outreach.signup:{usc.pk}",
            object_label="Sign-up form",
            occurred_at=timezone.now(),
            consented_to_updates=True,
            consent_wording="Updates by email.",
            confirmed_by_owner=True,
        )
    )
    data = _only("supporter.subscribed", usc, emails={"new.supporter@example.org"})
    assert data["supporter"]["status"] == "subscribed" and data["via"] == "signed_up"
    supporter = Supporter.objects.get(organisation=usc, email="new.supporter@example.org")
    supporter_unsubscribe(organisation_id=usc.pk, supporter_id=supporter.pk)
    supporter_unsubscribe(organisation_id=usc.pk, supporter_id=supporter.pk)  # idempotent
    data = _only("supporter.unsubscribed", usc, emails={"new.supporter@example.org"})
    assert data["supporter"]["status"] == "unsubscribed"


def test_a_consent_nobody_confirmed_subscribes_no_one_and_emits_nothing(everyone_listens, demo):
    from spilka.lib.supporters import SupporterAction, supporter_action_announce

    supporter_action_announce(
        SupporterAction(
            organisation_id=demo[USC].pk,
            email="typed.in@example.org",
            name="",
            language="en",
            country="",
            kind="donated",
            object_key="funds.fund:1",
            object_label="Fund",
            occurred_at=timezone.now(),
            consented_to_updates=True,
            consent_wording="Updates.",
        )
    )
    assert not WebhookDelivery.objects.filter(event="supporter.subscribed").exists()


def test_registration_created_and_cancelled_go_to_the_events_organiser(everyone_listens, demo):
    from spilka.events.services.registrations import event_register, registration_cancel
    from spilka.events.tests.conftest import make_event

    ussc = demo["ussc"]
    event = make_event(ussc)
    result = event_register(event=event, full_name="Ola Nowak", email="ola@example.org")
    data = _only("registration.created", ussc, emails={"ola@example.org"})
    assert data["registration"]["id"] == result.registration.pk
    assert data["event"]["slug"] == event.slug
    registration_cancel(registration_id=result.registration.pk)
    data = _only("registration.cancelled", ussc, emails={"ola@example.org"})
    assert data["registration"]["status"] == "cancelled"


def test_donation_recorded_carries_no_donor_email(everyone_listens, demo):
    from spilka.funds.models import Fund
    from spilka.funds.services.donations import donation_record

    fund = Fund.objects.filter(organisation__slug=USC).order_by("pk").first()
    donation_record(
        fund=fund,
        amount="42.50",
        currency=fund.currency,
        occurred_on=datetime.date.today(),
        by="test",
        donor_name="Olha Example",
        donor_email="olha@example.org",
    )
    data = _only("donation.recorded", fund.organisation)
    assert data["donation"]["amount"] == "42.50" and data["donation"]["currency"] == fund.currency
    assert data["donation"]["donor"]["name"] == "Olha Example"
    assert data["fund"]["slug"] == fund.slug


def test_pledge_made_goes_to_the_need_owner(everyone_listens, pledge, recipient_org):
    data = _only("pledge.made", recipient_org)
    assert data["pledge"]["id"] == pledge.pk
    assert [D(line["quantity"]) for line in data["pledge"]["lines"]] == [10, 2]
    assert data["pledge"]["donor_organisation"]["slug"] == "num-durham"  # public


def test_a_private_donor_organisation_is_not_named_in_the_pledge(
    everyone_listens, need, donor_org, donor_organiser
):
    from spilka.aid.services.needs import pledge_create

    Organisation.objects.filter(pk=donor_org.pk).update(is_public=False)
    donor_org.refresh_from_db()
    kits = need.lines.order_by("pk").first()
    pledge_create(
        by=donor_organiser,
        need=need,
        donor_organisation=donor_org,
        lines=[{"need_line": kits, "quantity": D(1)}],
    )
    data = _only("pledge.made", need.organisation)
    assert data["pledge"]["donor_organisation"] is None
    assert "durham" not in json.dumps(data).lower()


def test_handover_confirmed_goes_to_the_convoys_organiser(everyone_listens, loaded_convoy):
    from spilka.aid.services.handovers import ReceivedLine, handover_confirm

    handover = loaded_convoy.handovers.get()
    handover_confirm(
        handover=handover,
        lines=[ReceivedLine(line.pk, line.quantity) for line in handover.lines.all()],
        signer_name="Andrii",
    )
    data = _only("handover.confirmed", loaded_convoy.organisation)
    assert data["handover"]["signer_name"] == "Andrii" and not data["handover"]["has_discrepancy"]
    assert data["convoy"]["id"] == loaded_convoy.pk


def test_adoption_verified_goes_to_the_campaigns_lead(everyone_listens, usc_admin, demo):
    from spilka.campaigns.models import Adoption
    from spilka.campaigns.services.resolutions import adoption_verify

    adoption = (
        Adoption.objects.filter(verified_at__isnull=True)
        .select_related("resolution__campaign__lead_organisation")
        .order_by("pk")
        .first()
    )
    adoption_verify(by=usc_admin, adoption=adoption)
    adoption_verify(by=usc_admin, adoption=adoption)  # idempotent
    data = _only("adoption.verified", adoption.resolution.campaign.lead_organisation)
    assert data["adoption"]["id"] == adoption.pk
    assert data["resolution"]["slug"] == adoption.resolution.slug


def test_cosignature_confirmed_goes_to_the_statements_lead(
    everyone_listens, usc_admin, razem_organiser, demo
):
    from spilka.campaigns.models import Campaign
    from spilka.campaigns.services import cosignatures, statements

    statement = statements.statement_create(
        by=razem_organiser,
        campaign=Campaign.objects.get(slug="warsaw-left-unity"),
        slug="test-statement",
        title={"en": "Solidarity with Ukraine's unions"},
        text={"en": "We stand with Ukraine's workers."},
        status="open",
    )
    cosignatures.cosign_by_role_holder(statement=statement, organisation=demo[USC], user=usc_admin)
    data = _only("cosignature.confirmed", statement.campaign.lead_organisation)
    assert data["cosignature"]["organisation"]["slug"] == USC
    assert data["statement"]["slug"] == "test-statement"


def test_publication_published_once_when_it_becomes_published(everyone_listens, demo):
    from spilka.publishing.services.publications import publication_create, publication_update

    ussc = demo["ussc"]
    publication = publication_create(
        by="test",
        organisation=ussc,
        slug="teach-in-notes",
        kind="article",
        original_language="en",
        title={"en": "Teach-in notes"},
        summary={"en": "What we heard."},
        body={"en": "First paragraph."},
        status="draft",
    )
    assert not WebhookDelivery.objects.exists()
    publication_update(publication=publication, by="test", status="published")
    publication_update(publication=publication, by="test", summary={"en": "Changed."})
    data = _only("publication.published", ussc)
    assert data["publication"]["slug"] == "teach-in-notes"
    assert data["publication"]["title"] == {"en": "Teach-in notes"}


def test_nobody_listening_costs_one_query(demo, django_assert_num_queries):
    from spilka.webhooks.services import webhook_emit

    def explode():
        raise AssertionError("the payload is built only for a listener")

    with django_assert_num_queries(1):
        assert webhook_emit(organisation=demo[USC].pk, event="pledge.made", data=explode) == []
