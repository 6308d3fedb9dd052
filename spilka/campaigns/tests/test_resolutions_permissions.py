"""Who may do what on resolution pages: every endpoint, every persona.

Personas: an anonymous visitor; the campaign's organiser (``usc_admin``); a member of a
body (admin of NUM Durham); a body member without a reporting role (treasurer); an
organiser of another organisation (``razem_organiser``); a translator (``ussc_translator``).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from spilka.campaigns.models import Adoption, Resolution
from spilka.campaigns.services import resolutions as services
from spilka.lib.models import AuditEntry
from spilka.lib.testing import user_with_roles

pytestmark = pytest.mark.django_db

SLUG = "full-support-for-ukraine"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def durham_member(demo):
    return user_with_roles("secretary@num-durham.test", [(demo["num-durham"], "admin")])


@pytest.fixture
def durham_treasurer(demo):
    return user_with_roles("treasurer@num-durham.test", [(demo["num-durham"], "treasurer")])


@pytest.fixture
def resolution(demo):
    return Resolution.objects.select_related("campaign").get(slug=SLUG)


@pytest.fixture
def durham(resolution):
    return Adoption.objects.get(resolution=resolution, body__slug="num-durham")


@pytest.fixture
def unverified(resolution):
    return Adoption.objects.get(resolution=resolution, body__slug="unison-health")


def _report_data(body, **overrides):
    data = {"body": body.pk, "status": "adopted", "meeting_date": "2022-04-07", "note": "x"}
    data.update(overrides)
    return data


PERSONAS = ["anon", "usc_admin", "durham_member", "durham_treasurer", "razem_organiser"]


def _client(request, persona, login):
    if persona == "anon":
        return request.getfixturevalue("anon")
    return login(request.getfixturevalue(persona))


# --- The public page and its charts ---------------------------------------------------


@pytest.mark.parametrize("persona", [*PERSONAS, "ussc_translator"])
@pytest.mark.parametrize(
    "name", ["resolution", "resolution_timeline_svg", "resolution_countries_svg"]
)
def test_everyone_sees_a_public_resolution_and_its_charts(request, login, persona, name, demo):
    client = _client(request, persona, login)
    assert client.get(reverse(f"campaigns:{name}", args=[SLUG])).status_code == 200


def test_anonymous_visitors_see_no_report_or_verify_controls(anon, demo):
    page = anon.get(reverse("campaigns:resolution", args=[SLUG])).content.decode()
    assert "/report/" not in page
    assert "/verify/" not in page
    assert "/versions/new/" not in page


def test_organiser_sees_verify_buttons_for_unverified_reports(login, usc_admin, unverified):
    page = login(usc_admin).get(reverse("campaigns:resolution", args=[SLUG])).content.decode()
    assert reverse("campaigns:adoption_verify", args=[SLUG, unverified.pk]) in page
    assert page.count("/verify/") == 1
    assert reverse("campaigns:resolution_version_add", args=[SLUG]) in page


def test_body_member_sees_an_update_link_for_their_own_body_only(login, durham_member, durham):
    page = login(durham_member).get(reverse("campaigns:resolution", args=[SLUG])).content.decode()
    assert reverse("campaigns:adoption_update", args=[SLUG, durham.pk]) in page
    assert page.count("/adoptions/") == 1
    assert "/verify/" not in page


def test_a_private_resolution_is_hidden_from_outsiders(request, login, usc_admin, resolution):
    private = services.resolution_create(
        by=usc_admin,
        campaign=resolution.campaign,
        slug="private-draft-text",
        title={"en": "Draft text"},
        text={"en": "Not ready."},
        is_public=False,
    )
    url = private.get_absolute_url()
    assert request.getfixturevalue("anon").get(url).status_code == 404
    assert login(request.getfixturevalue("razem_organiser")).get(url).status_code == 404
    assert login(usc_admin).get(url).status_code == 200
    assert request.getfixturevalue("anon").get(url + "timeline.svg").status_code == 404


def test_a_draft_campaigns_resolution_is_hidden(anon, usc_admin, resolution, demo):
    from spilka.campaigns.services.campaigns import campaign_create

    campaign = campaign_create(
        by=usc_admin,
        slug="secret-plan",
        title={"en": "Secret plan"},
        lead_organisation=demo["ukraine-solidarity-campaign"],
        status="draft",
    )
    hidden = services.resolution_create(
        by=usc_admin, campaign=campaign, slug="secret-text", title={"en": "S"}, text={"en": "S."}
    )
    assert anon.get(hidden.get_absolute_url()).status_code == 404


# --- Reporting progress ---------------------------------------------------------------


REPORT_GET = {
    "anon": 302,
    "usc_admin": 200,
    "durham_member": 200,
    "durham_treasurer": 403,
    "razem_organiser": 200,  # may report for Razem itself, nothing else
    "ussc_translator": 403,
}


@pytest.mark.parametrize("persona", REPORT_GET)
def test_who_may_open_the_report_form(request, login, persona, demo):
    response = _client(request, persona, login).get(
        reverse("campaigns:adoption_report", args=[SLUG])
    )
    assert response.status_code == REPORT_GET[persona]
    if persona == "anon":
        assert "/accounts/login/" in response["Location"]


def test_a_body_member_is_offered_only_their_own_body(login, durham_member, demo):
    page = login(durham_member).get(reverse("campaigns:adoption_report", args=[SLUG]))
    form = page.context["form"]
    assert [org.slug for org in form.fields["body"].queryset] == ["num-durham"]
    assert "new_body_name" not in form.fields


def test_the_organiser_is_offered_any_public_body_and_a_new_one(login, usc_admin, demo):
    page = login(usc_admin).get(reverse("campaigns:adoption_report", args=[SLUG]))
    slugs = {org.slug for org in page.context["form"].fields["body"].queryset}
    assert {"aslef", "num-durham", "razem"} <= slugs
    assert "usc-convoy-team" not in slugs  # private organisations cannot be public bodies
    assert "new_body_name" in page.context["form"].fields


REPORT_POST = {
    "anon": 302,
    "usc_admin": 302,
    "durham_member": 302,
    "durham_treasurer": 403,
    "razem_organiser": 400,  # NUM Durham is not among the bodies they may choose
    "ussc_translator": 403,
}


@pytest.mark.parametrize("persona", REPORT_POST)
def test_who_may_report_for_num_durham(request, login, persona, durham, demo):
    client = _client(request, persona, login)
    before = AuditEntry.objects.count()
    response = client.post(
        reverse("campaigns:adoption_report", args=[SLUG]),
        _report_data(durham.body, status="adopted_amended"),
    )
    assert response.status_code == REPORT_POST[persona]
    durham.refresh_from_db()
    changed = response.status_code == 302 and persona != "anon"
    assert (durham.status == "adopted_amended") is changed
    assert (AuditEntry.objects.count() > before) is changed


def test_an_outsider_organiser_may_report_for_their_own_body(
    login, razem_organiser, resolution, demo
):
    response = login(razem_organiser).post(
        reverse("campaigns:adoption_report", args=[SLUG]),
        _report_data(demo["razem"], status="proposed", meeting_date=""),
    )
    assert response.status_code == 302
    adoption = Adoption.objects.get(resolution=resolution, body__slug="razem")
    assert adoption.reported_by == razem_organiser
    assert adoption.verified_at is None


def test_only_organisers_may_create_a_body_on_the_fly(login, durham_member, demo):
    from spilka.network.models import Organisation

    response = login(durham_member).post(
        reverse("campaigns:adoption_report", args=[SLUG]),
        {"new_body_name": "Gateshead Trades Council", "new_body_country": "GB", "status": "tabled"},
    )
    assert response.status_code == 400
    assert not Organisation.objects.filter(slug="gateshead-trades-council").exists()


UPDATE = {
    "anon": 302,
    "usc_admin": 200,
    "durham_member": 200,
    "durham_treasurer": 403,
    "razem_organiser": 403,
    "ussc_translator": 403,
}


@pytest.mark.parametrize("persona", UPDATE)
def test_who_may_open_and_change_an_adoption(request, login, persona, durham):
    client = _client(request, persona, login)
    url = reverse("campaigns:adoption_update", args=[SLUG, durham.pk])
    assert client.get(url).status_code == UPDATE[persona]
    response = client.post(url, {"status": "rejected", "meeting_date": "2022-04-06"})
    assert response.status_code == (302 if UPDATE[persona] == 200 else UPDATE[persona])
    durham.refresh_from_db()
    assert (durham.status == "rejected") is (UPDATE[persona] == 200)


VERIFY = {
    "anon": 302,
    "usc_admin": 302,
    "durham_member": 403,  # a body cannot vouch for itself
    "durham_treasurer": 403,
    "razem_organiser": 403,
    "ussc_translator": 403,
}


@pytest.mark.parametrize("persona", VERIFY)
def test_only_the_campaigns_organisers_may_verify(request, login, persona, unverified):
    client = _client(request, persona, login)
    response = client.post(reverse("campaigns:adoption_verify", args=[SLUG, unverified.pk]))
    assert response.status_code == VERIFY[persona]
    unverified.refresh_from_db()
    assert (unverified.verified_at is not None) is (persona == "usc_admin")


def test_a_body_member_cannot_verify_their_own_report(login, durham_member, durham):
    client = login(durham_member)
    client.post(
        reverse("campaigns:adoption_update", args=[SLUG, durham.pk]),
        {"status": "adopted", "meeting_date": "2022-04-05"},
    )
    durham.refresh_from_db()
    assert durham.verified_at is None
    response = client.post(reverse("campaigns:adoption_verify", args=[SLUG, durham.pk]))
    assert response.status_code == 403
    durham.refresh_from_db()
    assert durham.verified_at is None


# --- Texts and versions ---------------------------------------------------------------


WRITE = {
    "anon": 302,
    "usc_admin": 200,
    "durham_member": 403,
    "durham_treasurer": 403,
    "razem_organiser": 403,
    "ussc_translator": 403,
}


@pytest.mark.parametrize("persona", WRITE)
def test_who_may_add_a_version(request, login, persona, resolution):
    client = _client(request, persona, login)
    url = reverse("campaigns:resolution_version_add", args=[SLUG])
    assert client.get(url).status_code == WRITE[persona]
    response = client.post(url, {"text_en": "New English text.", "note": ""})
    assert response.status_code == (302 if WRITE[persona] == 200 else WRITE[persona])
    assert resolution.versions.count() == (3 if WRITE[persona] == 200 else 2)


@pytest.mark.parametrize("persona", WRITE)
def test_who_may_create_a_resolution(request, login, persona, demo):
    client = _client(request, persona, login)
    url = reverse("campaigns:resolution_create", args=["full-support-for-ukraine"])
    assert client.get(url).status_code == WRITE[persona]
    response = client.post(
        url,
        {
            "slug": "second-text",
            "original_language": "en",
            "title_en": "A second text",
            "text_en": "Its words.",
            "is_public": "on",
        },
    )
    assert response.status_code == (302 if WRITE[persona] == 200 else WRITE[persona])
    assert Resolution.objects.filter(slug="second-text").exists() is (WRITE[persona] == 200)
