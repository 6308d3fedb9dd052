"""Resolution services: versions, reports, verification, bodies made on the fly, audit rows."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from spilka.campaigns.demo.resolutions import load_resolutions_demo
from spilka.campaigns.models import Adoption, AdoptionUpdate, Campaign, Resolution
from spilka.campaigns.services import resolutions as services
from spilka.lib.models import AuditEntry
from spilka.network.models import Organisation

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def resolution(demo):
    return Resolution.objects.select_related("campaign").get(slug="full-support-for-ukraine")


@pytest.fixture
def aslef(demo):
    return demo["aslef"]


def _audit(action, obj):
    return AuditEntry.objects.filter(
        action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


def test_creating_a_resolution_writes_its_first_version_and_both_audit_rows(usc_admin, demo):
    campaign = Campaign.objects.get(slug="zaporizhzhia-iaea")
    resolution = services.resolution_create(
        by=usc_admin,
        campaign=campaign,
        slug="iaea-now",
        title={"en": "IAEA control now", "uk": "Контроль МАГАТЕ негайно"},
        text={"en": "This branch calls for IAEA control of the plant."},
    )
    version = resolution.versions.get()
    assert version.number == 1
    assert version.created_by == usc_admin
    created = _audit("campaigns.resolution.created", resolution).get()
    assert created.actor == usc_admin
    assert created.organisation == campaign.lead_organisation
    assert _audit("campaigns.resolution.version_added", version).count() == 1


def test_a_resolution_needs_its_title_and_text_in_the_original_language(usc_admin, demo):
    campaign = Campaign.objects.get(slug="zaporizhzhia-iaea")
    with pytest.raises(ValidationError) as error:
        services.resolution_create(
            by=usc_admin,
            campaign=campaign,
            slug="only-polish",
            title={"pl": "Tylko po polsku"},
            text={"pl": "Tekst."},
            original_language="en",
        )
    assert "title" in error.value.message_dict
    assert not Resolution.objects.filter(slug="only-polish").exists()


def test_versions_are_numbered_in_order_and_audited(usc_admin, resolution):
    version = services.resolution_version_add(
        by=usc_admin, resolution=resolution, text={"en": "Third text."}, note="Shorter."
    )
    assert version.number == 3
    assert [v.number for v in resolution.versions.order_by("number")] == [1, 2, 3]
    entry = _audit("campaigns.resolution.version_added", version).get()
    assert entry.after["note"] == "Shorter."


def test_first_report_creates_the_adoption_against_the_latest_version(usc_admin, resolution, aslef):
    adoption = services.adoption_report(
        by=usc_admin,
        resolution=resolution,
        body=aslef,
        status="tabled",
        meeting_date=datetime.date(2023, 9, 1),
    )
    assert adoption.version.number == 2
    assert adoption.reported_by == usc_admin
    assert adoption.reported_at is not None
    assert adoption.verified_at is None
    update = AdoptionUpdate.objects.get(adoption=adoption)
    assert (update.status, update.meeting_date, update.reported_by) == (
        "tabled",
        datetime.date(2023, 9, 1),
        usc_admin,
    )
    entry = _audit("campaigns.adoption.reported", adoption).get()
    assert entry.before is None
    assert entry.after["status"] == "tabled"
    assert entry.after["body"] == aslef.pk
    assert entry.organisation.slug == "ukraine-solidarity-campaign"


def test_a_later_report_updates_the_same_adoption_and_keeps_what_was_not_given(
    usc_admin, resolution, aslef
):
    first = services.adoption_report(
        by=usc_admin,
        resolution=resolution,
        body=aslef,
        status="tabled",
        evidence_url="https://aslef.example/agenda",
        note="Conference agenda item 12.",
    )
    second = services.adoption_report(
        by=usc_admin,
        resolution=resolution,
        body=aslef,
        status="adopted",
        meeting_date=datetime.date(2023, 9, 12),
    )
    assert second.pk == first.pk
    second.refresh_from_db()
    assert second.status == "adopted"
    assert second.evidence_url == "https://aslef.example/agenda"
    assert second.note == "Conference agenda item 12."
    assert Adoption.objects.filter(resolution=resolution, body=aslef).count() == 1
    assert second.updates.count() == 2
    entry = _audit("campaigns.adoption.reported", second).order_by("pk").last()
    assert entry.before["status"] == "tabled"
    assert entry.after["status"] == "adopted"


def test_a_report_that_changes_nothing_writes_nothing(usc_admin, resolution, aslef):
    kwargs = {"by": usc_admin, "resolution": resolution, "body": aslef, "status": "proposed"}
    adoption = services.adoption_report(**kwargs)
    audit_rows = AuditEntry.objects.count()
    services.adoption_report(**kwargs)
    assert adoption.updates.count() == 1
    assert AuditEntry.objects.count() == audit_rows


def test_verifying_records_who_and_when_with_an_update_and_an_audit_row(
    usc_admin, resolution, aslef
):
    adoption = services.adoption_report(
        by=usc_admin, resolution=resolution, body=aslef, status="adopted"
    )
    verified = services.adoption_verify(by=usc_admin, adoption=adoption)
    assert verified.verified_by == usc_admin
    assert verified.verified_at is not None
    assert verified.updates.count() == 2
    entry = _audit("campaigns.adoption.verified", verified).get()
    assert entry.before["verified_at"] is None
    assert entry.after["verified_by_id"] == usc_admin.pk
    # Verifying twice changes nothing.
    services.adoption_verify(by=usc_admin, adoption=verified)
    assert _audit("campaigns.adoption.verified", verified).count() == 1
    assert verified.updates.count() == 2


def test_changing_a_verified_report_clears_the_verification(usc_admin, resolution):
    adoption = Adoption.objects.get(resolution=resolution, body__slug="pcs")
    assert adoption.verified_at is not None
    services.adoption_report(
        by=usc_admin,
        resolution=resolution,
        body=adoption.body,
        status="adopted",
        meeting_date=datetime.date(2022, 5, 25),
    )
    adoption.refresh_from_db()
    assert adoption.verified_at is None
    assert adoption.verified_by is None
    entry = _audit("campaigns.adoption.reported", adoption).order_by("pk").last()
    assert entry.before["verified_at"] is not None
    assert entry.after["verified_at"] is None


def test_changing_only_the_note_keeps_the_verification(usc_admin, resolution):
    adoption = Adoption.objects.get(resolution=resolution, body__slug="pcs")
    services.adoption_report(
        by=usc_admin,
        resolution=resolution,
        body=adoption.body,
        status=adoption.status,
        meeting_date=adoption.meeting_date,
        note="Moved to the afternoon session.",
    )
    adoption.refresh_from_db()
    assert adoption.note == "Moved to the afternoon session."
    assert adoption.verified_at is not None


def test_a_body_created_on_the_fly_is_a_public_union_branch_in_the_directory(usc_admin, demo):
    body = services.adoption_body_create(
        by=usc_admin, name="  Bristol   Trades Union Council ", country="GB", city="Bristol"
    )
    # Changed for issue 13: a random tail, so the address never says another organisation
    # (perhaps a private one) holds the plain one.
    assert re.fullmatch(r"bristol-trades-union-council-[0-9a-f]{6}", body.slug)
    assert body.name == {"en": "Bristol Trades Union Council"}
    assert (body.kind, body.country.code, body.is_public) == ("union_branch", "GB", True)
    assert _audit("network.organisation.created", body).get().actor == usc_admin
    # Found by the directory's search too.
    assert "bristol trades union council" in body.search_text


def test_a_body_already_in_the_directory_is_not_created_twice(usc_admin, demo):
    organisations = Organisation.objects.count()
    with pytest.raises(ValidationError) as error:
        services.adoption_body_create(
            by=usc_admin, name="sheffield trades union council", country="GB"
        )
    assert "already in the directory" in str(error.value)
    assert Organisation.objects.count() == organisations


def test_a_body_whose_slug_is_taken_gets_a_free_one(usc_admin, demo):
    body = services.adoption_body_create(by=usc_admin, name="NEU", country="US")
    assert re.fullmatch(r"neu-[0-9a-f]{6}", body.slug)  # changed for issue 13, as above


def test_a_body_named_in_cyrillic_gets_an_address_in_its_own_letters(usc_admin, demo):
    body = services.adoption_body_create(
        by=usc_admin, name="Профспілка шахтарів", country="UA", language="uk"
    )
    assert body.slug.startswith("профспілка-шахтарів-")  # short addresses take any alphabet
    nameless = services.adoption_body_create(by=usc_admin, name="!!!", country="UA", language="uk")
    assert nameless.slug.startswith("body-")
    assert body.name == {"uk": "Профспілка шахтарів"}
    assert body.original_language == "uk"


def test_a_decided_meeting_cannot_be_in_the_future(usc_admin, resolution, aslef):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.adoption_report(
            by=usc_admin, resolution=resolution, body=aslef, status="adopted", meeting_date=tomorrow
        )
    assert "meeting_date" in error.value.message_dict
    assert not Adoption.objects.filter(body=aslef).exists()


def test_a_tabled_motion_may_wait_for_a_future_meeting(usc_admin, resolution, aslef):
    next_month = timezone.localdate() + datetime.timedelta(days=30)
    adoption = services.adoption_report(
        by=usc_admin, resolution=resolution, body=aslef, status="tabled", meeting_date=next_month
    )
    assert adoption.meeting_date == next_month


def test_a_version_of_another_resolution_is_refused(usc_admin, resolution, aslef):
    other = services.resolution_create(
        by=usc_admin,
        campaign=resolution.campaign,
        slug="other-text",
        title={"en": "Other"},
        text={"en": "Other text."},
    )
    with pytest.raises(ValidationError) as error:
        services.adoption_report(
            by=usc_admin,
            resolution=resolution,
            body=aslef,
            status="tabled",
            version=other.versions.get(),
        )
    assert "version" in error.value.message_dict


def test_evidence_is_stored_under_a_random_name(usc_admin, resolution, aslef, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("Minutes of Jo Bloggs.PDF", PDF, content_type="application/pdf")
    adoption = services.adoption_report(
        by=usc_admin, resolution=resolution, body=aslef, status="adopted", evidence_file=upload
    )
    name = adoption.evidence_file.name
    assert name.startswith("evidence/") and name.endswith(".pdf")
    assert "Bloggs" not in name
    assert len(name) == len("evidence/") + 32 + len(".pdf")
    assert (tmp_path / name).read_bytes() == PDF
    assert _audit("campaigns.adoption.reported", adoption).get().after["evidence_file"] == name


def test_evidence_of_the_wrong_type_is_refused_by_the_service(usc_admin, resolution, aslef):
    upload = SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError):
        services.adoption_report(
            by=usc_admin, resolution=resolution, body=aslef, status="adopted", evidence_file=upload
        )
    assert not Adoption.objects.filter(body=aslef).exists()


def test_demo_resolution_loads_once(resolution):
    adoptions = resolution.adoptions.count()
    audit_rows = AuditEntry.objects.count()
    assert load_resolutions_demo() == {"resolutions": 0, "adoptions": 0}
    assert resolution.adoptions.count() == adoptions == 8
    assert AuditEntry.objects.count() == audit_rows


def test_demo_has_two_versions_bodies_made_on_the_fly_and_mostly_verified(resolution):
    assert sorted(v.number for v in resolution.versions.all()) == [1, 2]
    assert set(resolution.versions.get(number=1).text) == {"en", "uk", "pl"}
    made = Organisation.objects.filter(
        slug__in=["sheffield-trades-union-council", "san-francisco-labor-council"]
    )
    assert {(o.country.code, o.kind, o.is_public) for o in made} == {
        ("GB", "union_branch", True),
        ("US", "union_branch", True),
    }
    statuses = dict(resolution.adoptions.values_list("body__slug", "status"))
    assert statuses["num-durham"] == "adopted"
    assert statuses["ucu"] == "adopted_amended"
    assert statuses["pcs"] == "tabled"
    assert statuses["neu"] == "debated"
    assert "rejected" in statuses.values()
    verified = resolution.adoptions.filter(verified_at__isnull=False).count()
    assert verified > resolution.adoptions.count() / 2
