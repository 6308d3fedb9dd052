"""OSDI petitions and signatures through the API, and the record signature helper.

Personas: the Ukraine Solidarity Campaign (USC) leads the demo petition; Razem runs none
of it; an anonymous caller has no key."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spilka.campaigns.models import Petition, Signature, SignatureStatus
from spilka.campaigns.services.campaigns import campaign_create
from spilka.campaigns.services.petitions import petition_create, signature_confirm
from spilka.campaigns.tests.api_helpers import Api, key_for, person, rows
from spilka.lib.models import AuditEntry

pytestmark = pytest.mark.django_db

PETITIONS = "/api/v1/petitions/"


@pytest.fixture
def demo_petition(demo):
    return Petition.objects.get(slug="iaea-zaporizhzhia")


def _petition(organisation, slug, *, status="open", campaign_status="active"):
    campaign = campaign_create(
        by="test",
        slug=f"c-{slug}",
        title={"en": f"Campaign {slug}"},
        lead_organisation=organisation,
        status=campaign_status,
    )
    return petition_create(
        by="test",
        campaign=campaign,
        slug=slug,
        title={"en": f"Petition {slug}", "uk": f"Петиція {slug}"},
        target={"en": "The council"},
        text={"en": "We ask."},
        status=status,
    )


def _signatures_url(petition):
    return f"{PETITIONS}{petition.pk}/signatures/"


def test_anyone_reads_public_petitions_without_a_key(demo_petition, usc):
    draft = _petition(usc, "usc-draft", status="draft")
    listed = rows(Api().get(PETITIONS, per_page=100), "petitions")
    assert any(row["total_signatures"] == demo_petition.confirmed_count for row in listed)
    assert all(row["title"] != "Petition usc-draft" for row in listed)
    assert Api().get(f"{PETITIONS}{draft.pk}/").status_code == 404
    shown = Api(language="uk").get(f"{PETITIONS}{demo_petition.pk}/").json()
    assert shown["title"] == demo_petition.title["uk"]
    assert shown["browser_url"].endswith(demo_petition.get_absolute_url())


def test_the_organisations_key_sees_its_own_draft_and_another_organisations_key_does_not(usc, demo):
    draft = _petition(usc, "usc-draft-2", status="draft")
    own = key_for(usc, ["campaigns:read"]).get(f"{PETITIONS}{draft.pk}/")
    assert own.status_code == 200 and own.json()["status"] == "draft"
    other = key_for(demo["razem"], ["campaigns:read"]).get(f"{PETITIONS}{draft.pk}/")
    assert other.status_code == 404


def test_a_key_without_the_campaigns_scope_reads_only_what_anyone_reads(usc):
    draft = _petition(usc, "usc-draft-3", status="draft")
    other_things = key_for(usc, ["supporters:write", "events:write"])
    assert other_things.get(f"{PETITIONS}{draft.pk}/").status_code == 404
    listed = rows(other_things.get(PETITIONS, per_page=100), "petitions")
    assert all(row["status"] != "draft" for row in listed)


def test_petitions_of_a_private_organisation_are_invisible_to_outsiders(demo):
    hidden = _petition(demo["usc-convoy-team"], "convoy-team-petition")
    assert Api().get(f"{PETITIONS}{hidden.pk}/").status_code == 404
    listed = rows(
        Api().get(PETITIONS, filter=f"modified_date ge '{hidden.created_at.date()}'"), "petitions"
    )
    assert all(row["title"] != "Petition convoy-team-petition" for row in listed)
    razem = key_for(demo["razem"], ["campaigns:read"])
    assert razem.get(f"{PETITIONS}{hidden.pk}/").status_code == 404


def test_signatures_need_a_key_with_the_campaigns_scope(demo_petition, usc):
    assert Api().get(_signatures_url(demo_petition)).status_code in (401, 403)
    wrong_scope = key_for(usc, ["supporters:read"]).get(_signatures_url(demo_petition))
    assert wrong_scope.status_code == 403
    assert wrong_scope.json()["error"]


def test_another_organisations_key_sees_none_of_the_signatures(demo_petition, demo):
    razem = key_for(demo["razem"], ["campaigns:read", "campaigns:write"])
    assert razem.get(_signatures_url(demo_petition)).status_code == 404
    everything = razem.get("/api/v1/signatures/")
    assert everything.status_code == 200 and everything.json()["total_records"] == 0
    one = Signature.objects.filter(petition=demo_petition).first()
    assert razem.get(f"/api/v1/signatures/{one.pk}/").status_code == 404


def test_the_organisers_key_reads_confirmed_signers_only(demo_petition, usc):
    api = key_for(usc, ["campaigns:read"])
    page = api.get(_signatures_url(demo_petition), per_page=100)
    body = page.json()
    confirmed = Signature.objects.filter(petition=demo_petition, status=SignatureStatus.CONFIRMED)
    assert body["total_records"] == confirmed.count()
    first = body["_embedded"]["osdi:signatures"][0]
    assert first["status"] == "confirmed"
    emails = {
        row["person"]["email_addresses"][0]["address"]
        for row in body["_embedded"]["osdi:signatures"]
    }
    assert emails <= set(confirmed.values_list("email", flat=True))


def test_recorded_signature_waits_for_the_signer_and_is_audited(
    demo_petition, usc, django_capture_on_commit_callbacks
):
    api = key_for(usc, ["campaigns:write"])
    before = Petition.objects.get(pk=demo_petition.pk).confirmed_count
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            _signatures_url(demo_petition), {"person": person("api.signer@example.org")}
        )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "pending"
    signature = Signature.objects.get(petition=demo_petition, email="api.signer@example.org")
    assert signature.status == SignatureStatus.PENDING
    assert signature.full_name == "Olena Petrenko" and str(signature.country) == "UA"
    assert not signature.consents.exists()  # no box is ticked on the signer's behalf
    audit = AuditEntry.objects.get(
        action="campaigns.signature.created", object_id=str(signature.pk)
    )
    assert audit.organisation_id == usc.pk
    assert audit.actor_label != "signer"  # the key is named, not a signer who never came
    assert Petition.objects.get(pk=demo_petition.pk).confirmed_count == before
    assert [m.to for m in mail.outbox] == [["api.signer@example.org"]]
    assert "/petitions/confirm/" in mail.outbox[0].body
    signature_confirm(signature_id=signature.pk)
    assert Petition.objects.get(pk=demo_petition.pk).confirmed_count == before + 1


def test_asking_for_updates_mails_a_confirmation_and_subscribes_nobody(
    demo_petition, usc, django_capture_on_commit_callbacks
):
    from spilka.outreach.models import PendingSignup, Supporter, SupporterStatus

    api = key_for(usc, ["campaigns:write"])
    body = {
        "person": person("wants.news@example.org", status="subscribed"),
        "consent_wording": "Keep me posted about the IAEA campaign.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(_signatures_url(demo_petition), body)
    assert response.status_code == 200 and response.json()["updates_confirmation_sent"]
    signup = PendingSignup.objects.get(organisation=usc, email="wants.news@example.org")
    assert signup.wording == "Keep me posted about the IAEA campaign."
    assert not Supporter.objects.filter(
        organisation=usc, email="wants.news@example.org", status=SupporterStatus.SUBSCRIBED
    ).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["wants.news@example.org"] * 2


def test_signing_again_gets_the_same_answer(demo_petition, usc):
    api = key_for(usc, ["campaigns:write"])
    signer = Signature.objects.filter(
        petition=demo_petition, status=SignatureStatus.CONFIRMED
    ).first()
    again = api.post(_signatures_url(demo_petition), {"person": person(signer.email)})
    fresh = api.post(_signatures_url(demo_petition), {"person": person("new.one@example.org")})
    assert again.status_code == fresh.status_code == 200
    assert again.json() == fresh.json()
    assert Signature.objects.filter(petition=demo_petition, email=signer.email).count() == 1


def test_recording_needs_write_scope_and_the_organisations_own_petition(demo_petition, usc, demo):
    read_only = key_for(usc, ["campaigns:read"])
    denied = read_only.post(_signatures_url(demo_petition), {"person": person("a@example.org")})
    assert denied.status_code == 403
    razem = key_for(demo["razem"], ["campaigns:write"])
    hidden = razem.post(_signatures_url(demo_petition), {"person": person("b@example.org")})
    assert hidden.status_code == 404
    assert not Signature.objects.filter(email__in=["a@example.org", "b@example.org"]).exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"person": {}},
        {"person": person("not-an-address")},
        {"person": person("ok@example.org", country="XX")},
        {"person": person("ok@example.org", country="")},
        {"person": person("ok@example.org", name="")},
        {"person": "Olena"},
        [],
        "{not json",
        {"person": person("ok@example.org"), "show_name": "perhaps"},
    ],
)
def test_bad_input_is_a_400_in_the_callers_language(demo_petition, usc, body):
    api = key_for(usc, ["campaigns:write"], language="uk")
    response = api.post(_signatures_url(demo_petition), body)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].split(";")[0] in ("application/json", "application/hal+json")
    assert response.json()
    assert not Signature.objects.filter(email="ok@example.org").exists()


def test_a_missing_field_is_explained_in_ukrainian(demo_petition, usc):
    api = key_for(usc, ["campaigns:write"], language="uk")
    response = api.post(_signatures_url(demo_petition), {})
    assert response.status_code == 400
    assert "Це поле обов'язкове." in response.content.decode()


def test_a_closed_petition_takes_no_signature(usc):
    closed = _petition(usc, "usc-closed", status="closed")
    response = key_for(usc, ["campaigns:write"], language="uk").post(
        _signatures_url(closed), {"person": person("late@example.org")}
    )
    assert response.status_code == 400
    assert "Ця петиція не відкрита для підписання." in response.content.decode()
    assert not Signature.objects.filter(email="late@example.org").exists()


@pytest.mark.parametrize(
    "path",
    [
        f"{PETITIONS}abc/",
        f"{PETITIONS}99999999999999999999/",
        f"{PETITIONS}abc/signatures/",
        f"{PETITIONS}?filter=modified_date gt 'yesterday'",
        f"{PETITIONS}?filter=title eq 'x'",
        f"{PETITIONS}?page=0",
        f"{PETITIONS}?per_page=-5",
    ],
)
def test_garbage_in_the_address_is_never_a_server_error(demo_petition, usc, path):
    response = key_for(usc, ["campaigns:read"]).get(path)
    assert response.status_code in (200, 400, 404)


def test_modified_date_filters_the_petitions(usc, demo_petition):
    fresh = _petition(usc, "usc-fresh")
    listed = rows(
        Api().get(PETITIONS, filter=f"modified_date ge '{fresh.created_at.isoformat()}'"),
        "petitions",
    )
    assert [row["title"] for row in listed] == ["Petition usc-fresh"]


def _queries(api, path, per_page):
    api.get(path)  # the key's first use of the minute records when it was used: not counted
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, per_page=per_page)
    assert response.status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_rows_on_a_page(usc, demo_petition):
    for n in range(3):
        _petition(usc, f"usc-extra-{n}")
    anon = Api()
    assert _queries(anon, PETITIONS, 1) == _queries(anon, PETITIONS, 3)
    api = key_for(usc, ["campaigns:read"])
    assert _queries(api, PETITIONS, 1) == _queries(api, PETITIONS, 3)
    path = _signatures_url(demo_petition)
    assert _queries(api, path, 1) == _queries(api, path, 3)
    assert _queries(api, "/api/v1/signatures/", 1) == _queries(api, "/api/v1/signatures/", 3)
