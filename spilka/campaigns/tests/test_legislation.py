"""Bills and motions: services with audit rows, outcomes from stages, pages and permissions.

The demo campaign "cancel-ukraines-debt" is led by Razem (``razem_organiser`` runs it) with
USC as a co-organiser (``usc_admin`` runs it too); ``ussc_translator`` is also a
co-organiser's member, but a translator does not run campaigns.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from spilka.campaigns.models import Bill, BillOutcome, Campaign
from spilka.campaigns.services import legislation as services
from spilka.campaigns.services.campaigns import campaign_create
from spilka.lib.models import AuditEntry

pytestmark = pytest.mark.django_db

PERSONAS = ("anon", "usc_admin", "razem_organiser", "ussc_translator")
D = datetime.date


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def campaign(demo):
    return Campaign.objects.get(slug="abortion-access-for-refugees")


@pytest.fixture
def bill(campaign, razem_organiser):
    return services.bill_create(
        by=razem_organiser,
        campaign=campaign,
        parliament="sejm",
        kind="motion",
        number="druk 123",
        title={"pl": "Wniosek testowy", "en": "Test motion"},
        original_language="pl",
    )


def _client(request, persona):
    if persona == "anon":
        return request.getfixturevalue("anon")
    return request.getfixturevalue("login")(request.getfixturevalue(persona))


def test_creating_a_bill_writes_an_audit_row(bill, razem_organiser):
    entry = AuditEntry.objects.get(action="campaigns.bill.created", object_id=str(bill.pk))
    assert entry.actor == razem_organiser
    assert entry.organisation.slug == "razem"
    assert entry.after["parliament"] == "sejm"


def test_another_parliament_must_be_named(campaign, razem_organiser):
    with pytest.raises(ValidationError) as caught:
        services.bill_create(
            by=razem_organiser, campaign=campaign, parliament="other", title={"en": "X"}
        )
    assert "parliament_other" in caught.value.error_dict


def test_a_bill_needs_a_title(campaign, razem_organiser):
    with pytest.raises(ValidationError):
        services.bill_create(by=razem_organiser, campaign=campaign, parliament="sejm", title={})


def test_a_stage_is_added_with_an_audit_row(bill, razem_organiser):
    services.bill_stage_add(by=razem_organiser, bill=bill, stage="introduced", date=D(2022, 4, 7))
    entry = AuditEntry.objects.get(action="campaigns.bill.stage_added", object_id=str(bill.pk))
    assert entry.after["stage"] == "introduced"
    assert entry.after["date"] == "2022-04-07"
    assert entry.before == {"outcome": "pending"}


@pytest.mark.parametrize(
    ("stages", "outcome"),
    [
        (["introduced", "committee", "debated"], BillOutcome.PENDING),
        (["introduced", "rejected"], BillOutcome.REJECTED),
        (["introduced", "passed_chamber"], BillOutcome.PASSED),
        (["introduced", "passed_chamber", "enacted"], BillOutcome.ENACTED),
        # Enactment stays final even if a later stage is only a chamber vote.
        (["enacted", "passed_chamber"], BillOutcome.ENACTED),
        (["passed_chamber", "rejected"], BillOutcome.REJECTED),
    ],
)
def test_decisive_stages_set_the_outcome(bill, razem_organiser, stages, outcome):
    for day, stage in enumerate(stages, start=1):
        services.bill_stage_add(by=razem_organiser, bill=bill, stage=stage, date=D(2022, 5, day))
    bill.refresh_from_db()
    assert bill.outcome == outcome


def test_the_bill_page_shows_stages_in_date_order(anon, bill, razem_organiser):
    services.bill_stage_add(by=razem_organiser, bill=bill, stage="rejected", date=D(2022, 5, 26))
    services.bill_stage_add(by=razem_organiser, bill=bill, stage="introduced", date=D(2022, 4, 7))
    response = anon.get(bill.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Introduced") < html.index("Rejected</strong>")
    assert 'id="bill-outcome">Rejected<' in html
    assert "Sejm (Poland)" in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_sees_a_public_campaigns_bill(request, persona, bill):
    assert _client(request, persona).get(bill.get_absolute_url()).status_code == 200


def test_a_draft_campaigns_bill_is_hidden_from_outsiders(request, demo, razem_organiser):
    draft = campaign_create(
        by="test",
        slug="draft-campaign",
        title={"en": "Draft"},
        lead_organisation=demo["razem"],
        status="draft",
    )
    hidden = services.bill_create(by="test", campaign=draft, parliament="sejm", title={"en": "X"})
    assert _client(request, "anon").get(hidden.get_absolute_url()).status_code == 404
    assert _client(request, "usc_admin").get(hidden.get_absolute_url()).status_code == 404
    assert _client(request, "razem_organiser").get(hidden.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anon", 302), ("usc_admin", 403), ("razem_organiser", 200), ("ussc_translator", 403)],
)
def test_only_the_campaigns_organisers_may_add_bills_and_stages(request, bill, persona, status):
    client = _client(request, persona)
    new_bill = reverse("campaigns:bill_create", kwargs={"slug": bill.campaign.slug})
    new_stage = reverse("campaigns:bill_stage_add", kwargs={"pk": bill.pk})
    assert client.get(new_bill).status_code == status
    assert client.get(new_stage).status_code == status
    stage_post = client.post(new_stage, {"stage": "committee", "date": "2022-05-01"})
    assert stage_post.status_code == (302 if persona in {"anon", "razem_organiser"} else 403)


def test_a_co_organiser_runs_the_debt_campaign_and_adds_a_bill(login, usc_admin, demo):
    client = login(usc_admin)
    response = client.post(
        reverse("campaigns:bill_create", kwargs={"slug": "cancel-ukraines-debt"}),
        {
            "parliament": "senedd",
            "kind": "motion",
            "number": "OQ1",
            "title_en": "Cancel Ukraine's debt",
            "original_language": "en",
            "url": "senedd.example/oq1",
        },
    )
    bill = Bill.objects.get(number="OQ1")
    assert response.status_code == 302 and response.url == bill.get_absolute_url()
    assert bill.url == "https://senedd.example/oq1"
    assert AuditEntry.objects.filter(action="campaigns.bill.created", actor=usc_admin).exists()


def test_adding_a_rejected_stage_through_the_form_sets_the_outcome(login, razem_organiser, bill):
    response = login(razem_organiser).post(
        reverse("campaigns:bill_stage_add", kwargs={"pk": bill.pk}),
        {"stage": "rejected", "date": "2022-05-26", "note": "Vote in the Sejm"},
    )
    assert response.status_code == 302
    bill.refresh_from_db()
    assert bill.outcome == BillOutcome.REJECTED


def test_unknown_bills_and_campaigns_are_not_found(login, razem_organiser, anon):
    assert anon.get(reverse("campaigns:bill", kwargs={"pk": 999999})).status_code == 404
    client = login(razem_organiser)
    assert client.get(reverse("campaigns:bill_stage_add", kwargs={"pk": 999999})).status_code == 404
    assert (
        client.get(
            reverse("campaigns:bill_create", kwargs={"slug": "no-such-campaign"})
        ).status_code
        == 404
    )


def test_bad_input_is_refused_and_explained(login, razem_organiser, bill):
    client = login(razem_organiser)
    before = Bill.objects.count()
    too_long = client.post(
        reverse("campaigns:bill_create", kwargs={"slug": bill.campaign.slug}),
        {
            "parliament": "sejm",
            "kind": "motion",
            "title_en": "x" * 10000,
            "original_language": "en",
        },
    )
    assert too_long.status_code == 400
    assert "characters long" in too_long.content.decode()
    assert Bill.objects.count() == before
    bad_date = client.post(
        reverse("campaigns:bill_stage_add", kwargs={"pk": bill.pk}),
        {"stage": "committee", "date": "31/02/2022"},
    )
    assert bad_date.status_code == 400
    unknown_stage = client.post(
        reverse("campaigns:bill_stage_add", kwargs={"pk": bill.pk}),
        {"stage": "teleported", "date": "2022-02-01"},
    )
    assert unknown_stage.status_code == 400
    assert not bill.stages.exists()


def test_markup_in_a_bill_is_shown_as_text(anon, campaign, razem_organiser):
    bill = services.bill_create(
        by=razem_organiser,
        campaign=campaign,
        parliament="sejm",
        number="<b>1</b>",
        title={"en": "<script>alert(1)</script>"},
        summary={"en": "<img src=x onerror=alert(1)>"},
    )
    services.bill_stage_add(
        by=razem_organiser, bill=bill, stage="debated", date=D(2022, 5, 1), note="<i>note</i>"
    )
    html = anon.get(bill.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "<i>note</i>" not in html and "<b>1</b>" not in html
