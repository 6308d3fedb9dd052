"""Signing a petition: double opt-in by POST, duplicates, withdrawal, counts that match rows."""

import pytest
from django.core import mail

from spilka.campaigns.models import Signature, SignatureStatus
from spilka.campaigns.tests.conftest import link_from_mail
from spilka.lib.models import AuditEntry
from spilka.network.models import Consent

pytestmark = pytest.mark.django_db


def test_signature_counts_only_after_the_confirm_button(client, petition, sign):
    before = petition.confirmed_count
    response = sign(petition)
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    signature = Signature.objects.get(petition=petition, email="olena.petrenko@example.org")
    assert signature.status == SignatureStatus.PENDING
    petition.refresh_from_db()
    assert petition.confirmed_count == before

    assert len(mail.outbox) == 1
    link = link_from_mail(mail.outbox[0])
    # Mail scanners follow links: a GET shows a button and confirms nothing.
    page = client.get(link)
    assert page.status_code == 200
    assert '<form method="post"' in page.content.decode()
    signature.refresh_from_db()
    assert signature.status == SignatureStatus.PENDING

    confirmed = client.post(link)
    assert confirmed.status_code == 200
    signature.refresh_from_db()
    petition.refresh_from_db()
    assert signature.status == SignatureStatus.CONFIRMED
    assert petition.confirmed_count == before + 1
    assert (
        petition.confirmed_count
        == petition.signatures.filter(status=SignatureStatus.CONFIRMED).count()
    )
    # Confirming twice counts once.
    client.post(link)
    petition.refresh_from_db()
    assert petition.confirmed_count == before + 1
    assert (
        AuditEntry.objects.filter(
            action="campaigns.signature.confirmed", object_id=str(signature.pk)
        ).count()
        == 1
    )


def test_signing_again_gives_the_same_answer_and_tells_only_the_mailbox(client, petition, sign):
    first = sign(petition)
    second = sign(petition, full_name="Someone Else")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert (
        Signature.objects.filter(petition=petition, email="olena.petrenko@example.org").count() == 1
    )
    client.post(link_from_mail(mail.outbox[0]))
    mail.outbox.clear()
    from django.core.cache import cache

    cache.clear()  # past the reminder window
    third = sign(petition)
    assert third["Location"] == first["Location"]
    assert len(mail.outbox) == 1
    assert "already" in mail.outbox[0].subject.lower()


def test_consent_boxes_are_unticked_and_recorded_with_their_wording_on_confirmation(
    client, petition, sign, demo
):
    page = client.get(f"/en/petitions/{petition.slug}/").content.decode()
    usc = demo["ukraine-solidarity-campaign"]
    assert f'name="consent_{usc.pk}"' in page
    assert f'name="consent_{usc.pk}" checked' not in page
    sign(petition, **{f"consent_{usc.pk}": "on"})
    client.post(link_from_mail(mail.outbox[0]))
    consent = Consent.objects.get(
        organisation=usc, person__emails__email="olena.petrenko@example.org"
    )
    assert consent.granted
    assert "Ukraine Solidarity Campaign" in consent.wording
    assert consent.source == f"petition:{petition.slug}"
    kvpu = demo["kvpu"]
    assert not Consent.objects.filter(
        organisation=kvpu, person__emails__email="olena.petrenko@example.org"
    ).exists()


def test_signer_withdraws_signature_and_details(client, petition, sign):
    sign(petition, show_name="on")
    message = mail.outbox[0]
    client.post(link_from_mail(message))
    petition.refresh_from_db()
    count = petition.confirmed_count
    withdraw = link_from_mail(message, "withdraw")
    assert client.get(withdraw).status_code == 200  # a page with a button
    client.post(withdraw)
    signature = Signature.objects.get(petition=petition, status=SignatureStatus.WITHDRAWN)
    assert signature.full_name == ""
    assert "olena" not in signature.email
    petition.refresh_from_db()
    assert petition.confirmed_count == count - 1
    assert "Olena Petrenko" not in client.get(f"/en/petitions/{petition.slug}/").content.decode()


def test_public_page_shows_only_names_signers_chose_to_show(client, petition, sign):
    sign(petition, full_name="Hidden Person", email="hidden@example.org")
    client.post(link_from_mail(mail.outbox[-1]))
    sign(petition, full_name="Shown Person", email="shown@example.org", show_name="on")
    client.post(link_from_mail(mail.outbox[-1]))
    body = client.get(f"/en/petitions/{petition.slug}/").content.decode()
    assert "Shown Person" in body
    assert "Hidden Person" not in body
    assert "shown@example.org" not in body


def test_unconfirmed_signatures_expire(petition, sign, client):
    import datetime

    from django.utils import timezone

    from spilka.campaigns.services.petitions import signatures_expire

    sign(petition)
    link = link_from_mail(mail.outbox[0])
    later = timezone.now() + datetime.timedelta(hours=73)
    assert signatures_expire(now=later) == 1
    assert not Signature.objects.filter(email="olena.petrenko@example.org").exists()
    response = client.post(link)
    assert response.status_code == 404


def test_confirmation_mail_is_in_the_signers_language(petition, sign):
    sign(petition, language="uk")
    message = mail.outbox[0]
    assert "/uk/petitions/confirm/" in message.body
    assert "Контроль МАГАТЕ" in message.subject


def test_expire_command_deletes_only_stale_unconfirmed_signatures(petition, sign, client):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    sign(petition)
    Signature.objects.filter(email="olena.petrenko@example.org").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    sign(petition, email="fresh@example.org")
    confirmed_before = Signature.objects.filter(status=SignatureStatus.CONFIRMED).count()
    call_command("expire_signatures", stdout=__import__("io").StringIO())
    assert not Signature.objects.filter(email="olena.petrenko@example.org").exists()
    assert Signature.objects.filter(email="fresh@example.org").exists()
    assert Signature.objects.filter(status=SignatureStatus.CONFIRMED).count() == confirmed_before


def test_consents_go_to_each_organisations_own_records(client, petition, sign, demo):
    from spilka.network.models import Person
    from spilka.network.services import person_create

    kvpu, usc = demo["kvpu"], demo["ukraine-solidarity-campaign"]
    known = person_create(
        by="test", full_name="Olena at KVPU", email="olena.petrenko@example.org", organisation=kvpu
    )
    sign(petition, **{f"consent_{kvpu.pk}": "on", f"consent_{usc.pk}": "on"})
    client.post(link_from_mail(mail.outbox[0]))
    source = f"petition:{petition.slug}"
    assert Consent.objects.get(organisation=kvpu, source=source).person == known
    usc_person = Consent.objects.get(organisation=usc, source=source).person
    assert usc_person != known  # USC never learns about KVPU's record
    assert Person.objects.filter(emails__email="olena.petrenko@example.org").count() == 2


@pytest.mark.django_db
def test_a_signature_commits_together_with_its_confirmation_mail_task(
    settings, petition, django_capture_on_commit_callbacks
):
    """A web process killed right after the commit strands no signer: the mail task is a
    row of the same transaction, not a callback run after it."""
    from django_tasks_db.models import DBTaskResult

    from spilka.campaigns.services.signing import Signer, petition_sign

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = petition_sign(
            Signer(
                petition_id=petition.pk,
                full_name="Oksana",
                email="oksana@example.org",
                country="UA",
            )
        )
    assert callbacks == []
    [task] = DBTaskResult.objects.filter(task_path__endswith="signature_mail_batch")
    assert task.args_kwargs["kwargs"]["signature_ids"] == [result.signature_id]
    assert task.queue_name == "email"
