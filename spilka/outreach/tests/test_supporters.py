from __future__ import annotations

import pytest

from spilka.lib.models import AuditEntry
from spilka.outreach.models import (
    Supporter,
    SupporterAction,
    SupporterConsent,
    SupporterStatus,
)
from spilka.outreach.services import merging, undeliverable
from spilka.outreach.services import supporters as services

pytestmark = pytest.mark.django_db


def test_an_announced_action_creates_one_supporter_per_organisation_by_normalised_email(
    usc, razem, announce
):
    first = announce(usc, "Olena@Example.org")
    again = announce(usc, " olena@example.ORG ", kind="donated", object_key="funds.fund:3")
    other = announce(razem, "olena@example.org")
    assert first.pk == again.pk
    assert other.pk != first.pk and other.organisation_id == razem.pk
    assert first.email == "olena@example.org"
    assert SupporterAction.objects.filter(supporter=first).count() == 2


def test_a_consent_is_kept_with_its_wording_and_subscribes(usc, announce):
    supporter = announce(usc, "a@example.org")
    assert supporter.status == SupporterStatus.SUBSCRIBED
    consent = SupporterConsent.objects.get(supporter=supporter)
    assert consent.granted and "updates" in consent.wording


def test_an_action_without_consent_does_not_subscribe(usc, announce):
    supporter = announce(usc, "b@example.org", consented=False, kind="donated")
    assert supporter.status == SupporterStatus.NO_CONSENT
    assert not SupporterConsent.objects.filter(supporter=supporter).exists()


def test_a_bounced_address_is_not_resubscribed_by_a_new_consent(usc, announce):
    supporter = announce(usc, "c@example.org")
    undeliverable.address_mark_undeliverable(email="c@example.org", kind="bounce")
    supporter = announce(usc, "c@example.org")
    assert supporter.status == SupporterStatus.BOUNCED


def test_a_malformed_announced_address_is_ignored(usc):
    from django.utils import timezone

    from spilka.lib.supporters import SupporterAction as Announcement

    result = services.supporter_record_action(
        action=Announcement(
            usc.pk, "not an address", "X", "en", "", "donated", "", "", timezone.now(), False
        )
    )
    assert result is None


def test_a_confirmed_signature_announces_the_signer_to_each_consented_organisation(
    usc, demo, django_capture_on_commit_callbacks
):
    from spilka.campaigns.models import Petition
    from spilka.campaigns.services import petitions

    petition = Petition.objects.get(slug="iaea-zaporizhzhia")
    with django_capture_on_commit_callbacks(execute=True):
        result = petitions.petition_sign(
            petitions.Signer(
                petition_id=petition.pk,
                full_name="Marta Nowak",
                email="marta@example.org",
                country="PL",
                language="pl",
                consents=[(usc.pk, "Updates from USC, please.")],
            )
        )
    # Signing alone (the hot path) tells outreach nothing.
    assert not Supporter.objects.filter(email="marta@example.org").exists()
    petitions.signature_confirm(signature_id=result.signature_id)
    supporter = Supporter.objects.get(email="marta@example.org")
    assert supporter.organisation_id == usc.pk
    assert supporter.language == "pl" and supporter.status == SupporterStatus.SUBSCRIBED
    assert supporter.actions.get().object_key == f"campaigns.petition:{petition.pk}"
    assert supporter.consents.get().wording == "Updates from USC, please."


def test_backfill_from_signatures_is_idempotent(usc, demo):
    from spilka.campaigns.models import Signature, SignatureConsent, SignatureStatus

    signatures = list(Signature.objects.filter(status=SignatureStatus.CONFIRMED)[:3])
    for signature in signatures:
        SignatureConsent.objects.get_or_create(
            signature=signature, organisation=usc, defaults={"wording": "Yes", "language": "en"}
        )
    before = Supporter.objects.filter(organisation=usc).count()
    first = services.supporters_backfill_from_signatures()
    assert first >= 3
    assert services.supporters_backfill_from_signatures() == 0
    assert Supporter.objects.filter(organisation=usc).count() == before + first


def test_merge_keeps_history_consents_and_the_chosen_fields_and_audits_without_values(
    usc, usc_admin, announce
):
    from spilka.outreach.services.groups import tag_create

    keep = announce(usc, "keep@example.org", name="O. Petrenko", language="uk")
    other = announce(usc, "other@example.org", name="Olena Petrenko", language="en", kind="donated")
    tag = tag_create(organisation=usc, name="donors", by=usc_admin)
    other.tags.add(tag)
    merged = merging.supporter_merge(
        keep=keep, other=other, choices={"name": "other", "language": "keep"}, by=usc_admin
    )
    assert merged.name == "Olena Petrenko" and merged.language == "uk"
    assert merged.email == "keep@example.org"
    assert not Supporter.objects.filter(pk=other.pk).exists()
    assert merged.actions.count() == 2 and merged.consents.count() == 2
    assert list(merged.tags.all()) == [tag]
    entry = AuditEntry.objects.filter(action="outreach.supporter.merged").latest("id")
    assert "Olena" not in str(entry.before) + str(entry.after) + entry.object_repr
    assert entry.after == {"fields_from_merged": ["name"]}


def test_merge_refuses_supporters_of_two_organisations(usc, razem, usc_admin, announce):
    from django.core.exceptions import ValidationError

    a = announce(usc, "x@example.org")
    b = announce(razem, "y@example.org")
    with pytest.raises(ValidationError):
        merging.supporter_merge(keep=a, other=b, choices={}, by=usc_admin)


def test_unsubscribe_is_logged_without_the_address(usc, announce):
    supporter = announce(usc, "u@example.org", name="Uniquename Person")
    services.supporter_unsubscribe(organisation_id=usc.pk, supporter_id=supporter.pk)
    supporter.refresh_from_db()
    assert supporter.status == SupporterStatus.UNSUBSCRIBED
    entry = AuditEntry.objects.filter(action="outreach.supporter.unsubscribed").latest("id")
    text = f"{entry.object_repr} {entry.before} {entry.after}"
    assert "u@example.org" not in text and "Uniquename" not in text
    assert supporter.consents.first().granted is False


def test_unsubscribe_for_another_organisation_changes_nothing(usc, razem, announce):
    supporter = announce(usc, "v@example.org")
    assert (
        services.supporter_unsubscribe(organisation_id=razem.pk, supporter_id=supporter.pk) is None
    )
    supporter.refresh_from_db()
    assert supporter.status == SupporterStatus.SUBSCRIBED


def test_bounce_command_marks_the_address(usc, announce):
    from django.core.management import call_command

    announce(usc, "bounce@example.org")
    call_command("outreach_bounce", "bounce@example.org", "nonsense", "--kind", "complaint")
    assert Supporter.objects.get(email="bounce@example.org").status == SupporterStatus.COMPLAINED


def test_the_things_supporters_did_are_offered_once_per_organisation(
    usc, razem, usc_admin, announce, django_capture_on_commit_callbacks
):
    from spilka.outreach import selectors
    from spilka.outreach.services import imports

    announce(usc, "a@example.org", object_key="campaigns.petition:41")
    announce(usc, "b@example.org", object_key="campaigns.petition:41")
    announce(razem, "c@example.org", object_key="campaigns.petition:42")
    upload = imports.import_upload(
        organisation=usc,
        by=usc_admin,
        filename="members.csv",
        data=b"Email\nd@example.org\n",
        consent_given=False,
        consent_source="",
        consent_wording="",
    )
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_queue(supporter_import=upload, by=usc_admin)

    keys = [key for key, _label in selectors.action_keys(usc)]
    assert keys.count("campaigns.petition:41") == 1
    assert f"outreach.import:{upload.pk}" in keys
    assert "campaigns.petition:42" not in keys
    assert dict(selectors.action_keys(usc))["campaigns.petition:41"] == "Make Zaporizhzhia safe"
