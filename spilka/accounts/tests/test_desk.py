"""The organiser's desk (accounts home): what waits for each user, per organisation, and
only what their role there lets them see and act on."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from spilka.accounts.desk import desk_for
from spilka.campaigns.models import Adoption, Resolution
from spilka.campaigns.services import resolutions as resolution_services
from spilka.lib.testing import TEST_PASSWORD, user_with_roles
from spilka.network import services as network_services

pytestmark = pytest.mark.django_db

DESK = "/en/accounts/"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
RATES = Path(__file__).resolve().parents[2] / "funds" / "rates_samples"
DAY = datetime.date(2022, 3, 15)  # a day with sample reference rates


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def usc(demo):
    return demo["ukraine-solidarity-campaign"]


@pytest.fixture
def treasurer(usc):
    return user_with_roles("treasurer@usc.test", [(usc, "treasurer")])


@pytest.fixture
def organiser(usc):
    return user_with_roles("organiser@usc.test", [(usc, "organiser")])


@pytest.fixture
def viewer(usc):
    return user_with_roles("viewer@usc.test", [(usc, "viewer")])


@pytest.fixture
def volunteer(usc):
    return user_with_roles("volunteer@usc.test", [(usc, "logistics")])


def _submitted_claim(organisation, treasurer, claimant):
    from spilka.funds.services.expenses import expense_create, expense_submit, receipt_attach
    from spilka.funds.services.funds import fund_create
    from spilka.funds.services.rate_imports import rates_import

    rates_import(text=(RATES / "eurofxref-hist-sample.csv").read_text(), fmt="ecb", by="test")
    fund = fund_create(
        by=treasurer,
        organisation=organisation,
        slug="desk-fund",
        name={"en": "Desk fund"},
        currency="GBP",
    )
    expense = expense_create(
        fund=fund,
        claimant=claimant,
        title="Fuel to Lviv",
        incurred_on=DAY,
        currency="GBP",
        lines=[{"category": "fuel", "description": "Diesel", "amount": Decimal("40.00")}],
    )
    upload = SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf")
    receipt_attach(expense=expense, upload=upload, by=claimant)
    return expense_submit(expense=expense, by=claimant)


@pytest.fixture
def claim(usc, treasurer, volunteer):
    return _submitted_claim(usc, treasurer, volunteer)


@pytest.fixture
def reported_adoption(demo, organiser):
    """A body (ASLEF) reports adopting USC's model resolution: not yet verified."""
    resolution = Resolution.objects.get(slug="full-support-for-ukraine")
    return resolution_services.adoption_report(
        by=organiser,
        resolution=resolution,
        body=demo["aslef"],
        status="adopted",
        meeting_date=datetime.date(2024, 5, 1),
    )


def _items(user, slug):
    rows = {row.organisation.slug: row for row in desk_for(user)}
    return {item.kind: item for item in rows[slug].items} if slug in rows else {}


def _link(html, kind):
    found = re.search(rf'href="([^"]+)" data-desk-item="{re.escape(kind)}"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_sign_in_lands_on_the_desk(anon, organiser):
    response = anon.post(
        "/en/accounts/login/", {"email": "organiser@usc.test", "password": TEST_PASSWORD}
    )
    assert response["Location"] == DESK
    page = anon.get(DESK).content.decode()
    assert 'data-desk-org="ukraine-solidarity-campaign"' in page


def test_treasurer_sees_a_claim_to_approve_and_one_click_reaches_it(login, treasurer, claim):
    client = login(treasurer)
    page = client.get(DESK).content.decode()
    url = _link(page, "funds.claims")
    assert url == f"/en/money/org/ukraine-solidarity-campaign/books/expenses/{claim.pk}/"
    assert 'data-count="1"' in page
    claim_page = client.get(url)
    assert claim_page.status_code == 200
    assert "Fuel to Lviv" in claim_page.content.decode()


def test_a_claim_leaves_the_desk_once_this_treasurer_approved_it(login, treasurer, claim):
    from spilka.funds.services.expenses import expense_approve

    expense_approve(expense=claim, by=treasurer)
    assert "funds.claims" not in _items(treasurer, "ukraine-solidarity-campaign")


def test_claimants_never_see_their_own_claim_to_approve(usc, treasurer):
    # A treasurer who claims: the claim needs someone else's approval.
    claim = _submitted_claim(usc, treasurer, treasurer)
    assert claim.status == "submitted"
    assert "funds.claims" not in _items(treasurer, "ukraine-solidarity-campaign")


def test_organiser_sees_a_pending_adoption_to_verify(login, organiser, reported_adoption):
    pending = Adoption.objects.filter(
        resolution__campaign__lead_organisation__slug="ukraine-solidarity-campaign",
        verified_at__isnull=True,
        body__is_public=True,
    ).count()
    item = _items(organiser, "ukraine-solidarity-campaign")["campaigns.adoptions"]
    assert item.count == pending >= 1
    assert f"{pending} reported adoption" in item.label
    client = login(organiser)
    url = _link(client.get(DESK).content.decode(), "campaigns.adoptions")
    assert url is not None and url.startswith("/en/resolutions/full-support-for-ukraine/")
    page = client.get(url.split("#")[0]).content.decode()
    # The resolution page the link opens offers this organiser the Verify button.
    assert f"/adoptions/{reported_adoption.pk}/verify/" in page


def test_verifying_takes_the_adoption_off_the_desk(organiser, reported_adoption):
    before = _items(organiser, "ukraine-solidarity-campaign")["campaigns.adoptions"].count
    resolution_services.adoption_verify(by=organiser, adoption=reported_adoption)
    after = _items(organiser, "ukraine-solidarity-campaign").get("campaigns.adoptions")
    assert (after.count if after else 0) == before - 1


def test_viewer_sees_neither_claims_nor_adoptions(login, viewer, claim, reported_adoption):
    assert _items(viewer, "ukraine-solidarity-campaign") == {}
    page = login(viewer).get(DESK).content.decode()
    assert "data-desk-item=" not in page
    assert "data-desk-empty" in page
    assert "Nothing is waiting for you here." in page
    # No start buttons either: a viewer starts nothing.
    assert "data-desk-start=" not in page


def test_organiser_does_not_see_claims_and_treasurer_does_not_see_adoptions(
    organiser, treasurer, claim, reported_adoption
):
    assert "funds.claims" not in _items(organiser, "ukraine-solidarity-campaign")
    assert "campaigns.adoptions" not in _items(treasurer, "ukraine-solidarity-campaign")


def test_users_of_another_organisation_never_see_its_counts(login, demo, claim, reported_adoption):
    razem_everything = user_with_roles(
        "all@razem.test",
        [(demo["razem"], role) for role in ("admin", "organiser", "treasurer", "logistics")],
    )
    rows = desk_for(razem_everything)
    assert [row.organisation.slug for row in rows] == ["razem"]
    page = login(razem_everything).get(DESK).content.decode()
    assert "ukraine-solidarity-campaign" not in page
    assert "/books/expenses/" not in page
    assert "full-support-for-ukraine" not in page


def test_no_role_at_all_says_how_to_get_one(login):
    nobody = user_with_roles("nobody@example.test", [])
    page = login(nobody).get(DESK).content.decode()
    assert "data-desk-no-roles" in page
    assert "data-desk-org=" not in page


def test_start_buttons_follow_the_role(login, organiser, volunteer):
    starts = {s.kind for row in desk_for(organiser) for s in row.starts}
    assert {"campaigns.campaign", "events.event", "aid.need", "outreach.mailing"} <= starts
    assert "publishing.publication" in starts
    logistics = {s.kind for row in desk_for(volunteer) for s in row.starts}
    assert logistics == {"aid.need"}
    client = login(organiser)
    page = client.get(DESK).content.decode()
    for kind in ("campaigns.campaign", "events.event", "aid.need", "outreach.mailing"):
        url = re.search(rf'href="([^"]+)" data-desk-start="{kind}"', page).group(1)
        assert client.get(url.replace("&amp;", "&")).status_code == 200, kind


def test_desk_queries_stay_bounded_for_three_organisations(
    login, demo, django_assert_max_num_queries
):
    slugs = ["ukraine-solidarity-campaign", "razem", "ussc"]
    busy = user_with_roles(
        "busy@example.test",
        [(demo[slug], role) for slug in slugs for role in ("admin", "organiser", "treasurer")],
    )
    client = login(busy)
    # Session, user, device, roles and organisations; then, per organisation, one query per
    # kind of waiting thing (eleven) and the petition shortcut: constant, whatever is waiting.
    with django_assert_max_num_queries(5 + 3 * 12):
        response = client.get(DESK)
    assert response.status_code == 200
    assert response.content.decode().count("data-desk-org=") == 3


def test_invited_organisations_answerers_see_the_link_request(login, demo, usc_admin):
    from spilka.campaigns.services.campaigns import campaign_create

    razem = demo["razem"]
    campaign_create(
        by=usc_admin,
        slug="desk-winter-appeal",
        title={"en": "Desk winter appeal"},
        lead_organisation=demo["ukraine-solidarity-campaign"],
        co_organisers=[razem],
        status="active",
    )
    answerer = user_with_roles("organiser@razem.test", [(razem, "organiser")])
    translator = user_with_roles("translator@razem.test", [(razem, "translator")])
    item = _items(answerer, "razem")["network.link_requests"]
    assert item.count == 1
    assert item.url == "/en/org/razem/#link-requests"
    page = login(answerer).get(item.url.split("#")[0]).content.decode()
    assert 'id="link-requests"' in page
    assert "network.link_requests" not in _items(translator, "razem")


def test_translators_see_translations_to_review_but_not_their_own(login, demo):
    from spilka.publishing.models import TaskState, TranslationTask

    org = demo["solidarity-zone"]
    waiting = TranslationTask.objects.filter(organisation=org, state=TaskState.WAITING_REVIEW)
    assert waiting.exists()  # the demo leaves one for review
    reviewer = user_with_roles("reviewer@zone.test", [(org, "translator")])
    item = _items(reviewer, "solidarity-zone")["publishing.review"]
    assert item.count == waiting.count()
    assert login(reviewer).get(item.url).status_code == 200
    for task in waiting:
        task.translator = reviewer
        task.save(update_fields=["translator"])
    assert "publishing.review" not in _items(reviewer, "solidarity-zone")
    viewer = user_with_roles("viewer@zone.test", [(org, "viewer")])
    assert _items(viewer, "solidarity-zone") == {}


def test_finished_imports_reach_organisers_not_translators(login, demo, ussc_translator):
    organiser = user_with_roles("organiser@ussc.test", [(demo["ussc"], "organiser")])
    item = _items(organiser, "ussc")["outreach.imports"]
    assert item.count >= 1
    assert login(organiser).get(item.url).status_code == 200
    assert "outreach.imports" not in _items(ussc_translator, "ussc")


def test_a_cosignature_asked_in_the_organisations_name_waits_for_its_organisers(
    login, demo, usc_admin, razem_organiser, viewer
):
    from spilka.campaigns.models import Campaign
    from spilka.campaigns.services import cosignatures
    from spilka.campaigns.services import statements as statement_services

    statement = statement_services.statement_create(
        by=razem_organiser,
        campaign=Campaign.objects.get(slug="warsaw-left-unity"),
        slug="desk-statement",
        title={"en": "Solidarity with Ukraine's unions"},
        text={"en": "We stand with Ukraine's workers."},
        status="open",
    )
    usc = demo["ukraine-solidarity-campaign"]
    domain = usc.website.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")
    cosignature = cosignatures.cosign_request_officer(
        statement=statement,
        organisation=usc,
        officer_name="Sam Secretary",
        officer_email=f"secretary@{domain}",
    )
    assert cosignature is not None and cosignature.status == "pending"
    item = _items(usc_admin, "ukraine-solidarity-campaign")["campaigns.cosignatures"]
    assert item.count == 1
    assert item.url == "/en/statements/desk-statement/#cosign"
    page = login(usc_admin).get("/en/statements/desk-statement/").content.decode()
    assert 'name="organisation" value="ukraine-solidarity-campaign"' in page
    assert "campaigns.cosignatures" not in _items(viewer, "ukraine-solidarity-campaign")
    # The campaign's side (Razem) is not asked anything.
    assert "campaigns.cosignatures" not in _items(razem_organiser, "razem")


def test_a_relationship_to_confirm_waits_for_the_targets_admins(login, demo, usc_admin, organiser):
    razem_admin = user_with_roles("admin@razem.test", [(demo["razem"], "admin")])
    network_services.relationship_create(
        by=razem_admin,
        source=demo["razem"],
        target=demo["ukraine-solidarity-campaign"],
        kind="partner_of",
    )
    item = _items(usc_admin, "ukraine-solidarity-campaign")["network.relationships"]
    assert item.count >= 1
    assert item.url == "/en/org/ukraine-solidarity-campaign/#relationships"
    page = login(usc_admin).get("/en/org/ukraine-solidarity-campaign/").content.decode()
    assert 'id="relationships"' in page
    # Confirming relationships is for administrators only.
    assert "network.relationships" not in _items(organiser, "ukraine-solidarity-campaign")
