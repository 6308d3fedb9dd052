"""Statement services: the three ways to co-sign, withdrawal, invitations, individuals.

The demo campaign "warsaw-left-unity" is run by Razem (``razem_organiser``); USC
(``usc_admin``) is an organisation that may co-sign; ``ussc_translator`` holds a role that
does not let anyone speak for an organisation.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from spilka.campaigns import access
from spilka.campaigns.models import (
    Campaign,
    CoSignature,
    CoSignatureMethod,
    CoSignatureStatus,
    IndividualSignatory,
)
from spilka.campaigns.services import cosignatures, individual_signatories, statement_mail
from spilka.campaigns.services import statements as services
from spilka.lib.models import AuditEntry
from spilka.network import services as network_services

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"
USC_DOMAIN = "ukrainesolidaritycampaign.example"


@pytest.fixture
def statement(demo, razem_organiser):
    return services.statement_create(
        by=razem_organiser,
        campaign=Campaign.objects.get(slug="warsaw-left-unity"),
        slug="test-statement",
        title={"en": "Solidarity with Ukraine's unions"},
        text={"en": "We stand with Ukraine's workers.", "pl": "Stoimy z pracownikami Ukrainy."},
        status="open",
        allow_individuals=True,
    )


@pytest.fixture
def mailed(django_capture_on_commit_callbacks):
    """Run the mail sent after commit, as the request cycle would."""

    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


def _actions(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).values_list("action", flat=True)
    )


def _link(body: str) -> str:
    match = re.search(r"https?://\S+/confirm/\S+/", body)
    assert match is not None
    return match.group(0)


def test_creating_a_statement_writes_an_audit_row(statement, razem_organiser):
    entry = AuditEntry.objects.get(action="campaigns.statement.created", object_id=statement.pk)
    assert entry.actor == razem_organiser
    assert entry.organisation.slug == "razem"


def test_updating_a_statement_is_audited_and_unchanged_saves_are_not(statement, razem_organiser):
    services.statement_update(statement=statement, by=razem_organiser, status="closed")
    services.statement_update(statement=statement, by=razem_organiser, status="closed")
    assert _actions(statement).count("campaigns.statement.updated") == 1


def test_admin_of_an_organisation_cosigns_in_one_click_and_it_is_confirmed(
    statement, usc_admin, demo
):
    cosignature = cosignatures.cosign_by_role_holder(
        statement=statement, organisation=demo[USC], user=usc_admin
    )
    assert cosignature.status == CoSignatureStatus.CONFIRMED
    assert cosignature.method == CoSignatureMethod.ROLE_HOLDER
    assert cosignature.signed_by == usc_admin
    entry = AuditEntry.objects.get(
        action="campaigns.cosignature.confirmed", object_id=str(cosignature.pk)
    )
    assert entry.actor == usc_admin
    assert entry.organisation == demo[USC]
    assert entry.after["status"] == "confirmed"


def test_a_role_in_another_organisation_does_not_allow_cosigning(statement, razem_organiser, demo):
    with pytest.raises(PermissionDenied):
        cosignatures.cosign_by_role_holder(
            statement=statement, organisation=demo[USC], user=razem_organiser
        )
    assert not CoSignature.objects.filter(statement=statement).exists()


def test_a_translator_cannot_cosign_for_their_own_organisation(statement, ussc_translator, demo):
    with pytest.raises(PermissionDenied):
        cosignatures.cosign_by_role_holder(
            statement=statement, organisation=demo["ussc"], user=ussc_translator
        )


def test_a_second_cosignature_for_the_same_organisation_is_refused_clearly(
    statement, usc_admin, razem_organiser, demo
):
    cosignatures.cosign_by_role_holder(statement=statement, organisation=demo[USC], user=usc_admin)
    with pytest.raises(ValidationError) as caught:
        cosignatures.cosign_record_evidence(
            statement=statement,
            organisation=demo[USC],
            evidence_url="https://example.org/usc-signs",
            by=razem_organiser,
        )
    assert caught.value.code == "duplicate"
    assert "has already co-signed" in caught.value.messages[0]
    assert CoSignature.objects.filter(statement=statement).count() == 1


def test_a_race_for_the_same_organisation_ends_in_the_clear_message_not_an_error(
    statement, usc_admin, demo, monkeypatch
):
    cosignatures.cosign_by_role_holder(statement=statement, organisation=demo[USC], user=usc_admin)
    # The second request did not see the first row: the unique constraint decides.
    monkeypatch.setattr(cosignatures, "_locked", lambda statement, organisation: None)
    with pytest.raises(ValidationError) as caught:
        cosignatures.cosign_by_role_holder(
            statement=statement, organisation=demo[USC], user=usc_admin
        )
    assert caught.value.code == "duplicate"
    assert CoSignature.objects.filter(statement=statement).count() == 1


def test_a_closed_statement_takes_no_cosignatures(statement, usc_admin, razem_organiser, demo):
    statement = services.statement_update(statement=statement, by=razem_organiser, status="closed")
    with pytest.raises(ValidationError) as caught:
        cosignatures.cosign_by_role_holder(
            statement=statement, organisation=demo[USC], user=usc_admin
        )
    assert caught.value.code == "closed"


def test_an_officer_at_the_organisations_domain_gets_a_link_and_nothing_counts_yet(
    statement, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cosignature = cosignatures.cosign_request_officer(
            statement=statement,
            organisation=demo[USC],
            officer_name="Sam Secretary",
            officer_email=f"Secretary@{USC_DOMAIN.upper()}",
            base_url="http://testserver",
        )
    assert cosignature.status == CoSignatureStatus.PENDING
    assert cosignature.method == CoSignatureMethod.OFFICER_EMAIL
    assert cosignature.officer_email == f"secretary@{USC_DOMAIN}"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [f"secretary@{USC_DOMAIN}"]
    assert "/en/statements/cosign/confirm/" in mail.outbox[0].body
    assert "campaigns.cosignature.requested" in _actions(cosignature)


def test_an_officer_at_a_subdomain_of_the_website_is_accepted(statement, demo):
    cosignature = cosignatures.cosign_request_officer(
        statement=statement,
        organisation=demo[USC],
        officer_name="Sam",
        officer_email=f"sam@mail.{USC_DOMAIN}",
    )
    assert cosignature.status == CoSignatureStatus.PENDING


@pytest.mark.parametrize(
    "email",
    ["someone@gmail.com", f"x@{USC_DOMAIN}.evil.example", f"x@evil{USC_DOMAIN}"],
)
def test_an_address_at_another_domain_is_told_why_by_mail_only(statement, demo, email, mailed):
    # Changed for issue 13: the refusal goes by mail to the address, never on the page.
    result = mailed(
        cosignatures.cosign_request_officer,
        statement=statement,
        organisation=demo[USC],
        officer_name="Sam",
        officer_email=email,
    )
    assert result is None
    assert not CoSignature.objects.filter(statement=statement).exists()
    assert [m.to for m in mail.outbox] == [[email]]
    assert f"Use an address at {USC_DOMAIN}" in mail.outbox[0].body
    assert "/confirm/" not in mail.outbox[0].body


def test_a_website_on_a_shared_host_proves_nothing(statement, demo, mailed):
    network_services.organisation_update(
        organisation=demo["razem"], by="test", website="https://www.facebook.com/partiarazem"
    )
    result = mailed(
        cosignatures.cosign_request_officer,
        statement=statement,
        organisation=demo["razem"],
        officer_name="Sam",
        officer_email="sam@facebook.com",
    )
    assert result is None
    assert "ask one of the organisation's admins or organisers" in mail.outbox[0].body.lower()


def test_a_member_in_the_directory_is_not_an_officer(statement, demo, mailed):
    # Changed for issue 13: membership never lets someone commit the organisation.
    # Olena is in the directory as a member of USC with olena@usc.example.
    result = mailed(
        cosignatures.cosign_request_officer,
        statement=statement,
        organisation=demo[USC],
        officer_name="Olena",
        officer_email="olena@usc.example",
    )
    assert result is None
    assert not CoSignature.objects.filter(statement=statement).exists()
    assert mail.outbox[0].to == ["olena@usc.example"]
    assert "Nothing was recorded" in mail.outbox[0].body


def test_an_admin_or_organiser_may_ask_from_their_sign_in_address(
    statement, demo, usc_admin, mailed
):
    cosignature = mailed(
        cosignatures.cosign_request_officer,
        statement=statement,
        organisation=demo[USC],
        officer_name="Admin",
        officer_email=usc_admin.email.upper(),
    )
    assert cosignature.status == CoSignatureStatus.PENDING
    assert "/en/statements/cosign/confirm/" in mail.outbox[0].body


def test_asking_again_within_minutes_sends_no_second_mail_known_or_not(statement, demo, mailed):
    for email in (f"sam@{USC_DOMAIN}", "someone@gmail.com"):
        for _ in range(3):
            mailed(
                cosignatures.cosign_request_officer,
                statement=statement,
                organisation=demo[USC],
                officer_name="S",
                officer_email=email,
            )
    # The request and one reminder, for either.
    assert [m.to for m in mail.outbox] == [[f"sam@{USC_DOMAIN}"]] * 2 + [["someone@gmail.com"]] * 2


def test_the_officers_confirmation_confirms_once_and_is_audited(statement, demo):
    cosignature = cosignatures.cosign_request_officer(
        statement=statement,
        organisation=demo[USC],
        officer_name="Sam",
        officer_email=f"s@{USC_DOMAIN}",
    )
    digest = access.email_digest(cosignature.officer_email)
    confirmed = cosignatures.cosign_confirm_officer(cosignature_id=cosignature.pk, digest=digest)
    again = cosignatures.cosign_confirm_officer(cosignature_id=cosignature.pk, digest=digest)
    assert confirmed.status == again.status == CoSignatureStatus.CONFIRMED
    assert _actions(cosignature).count("campaigns.cosignature.confirmed") == 1
    entry = AuditEntry.objects.get(
        action="campaigns.cosignature.confirmed", object_id=str(cosignature.pk)
    )
    assert entry.actor_label == f"officer s@{USC_DOMAIN}"


def test_a_new_request_by_another_officer_makes_the_older_link_useless(statement, demo):
    first = cosignatures.cosign_request_officer(
        statement=statement,
        organisation=demo[USC],
        officer_name="A",
        officer_email=f"a@{USC_DOMAIN}",
    )
    old_link = statement_mail.cosign_link_make(first)
    cosignatures.cosign_request_officer(
        statement=statement,
        organisation=demo[USC],
        officer_name="B",
        officer_email=f"b@{USC_DOMAIN}",
    )
    link = access.link_read(old_link, access.COSIGN_CONFIRM_SALT)
    assert access.cosignature_for_link(link) is None
    assert cosignatures.cosign_confirm_officer(cosignature_id=link.pk, digest=link.digest) is None
    assert CoSignature.objects.get(pk=first.pk).status == CoSignatureStatus.PENDING


def test_asking_again_at_once_does_not_send_another_email(
    statement, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            cosignatures.cosign_request_officer(
                statement=statement,
                organisation=demo[USC],
                officer_name="A",
                officer_email=f"a@{USC_DOMAIN}",
            )
    assert len(mail.outbox) == 2  # the first request, and one reminder per ten minutes


def test_a_role_holder_replaces_a_pending_email_request(statement, usc_admin, demo):
    pending = cosignatures.cosign_request_officer(
        statement=statement,
        organisation=demo[USC],
        officer_name="A",
        officer_email=f"a@{USC_DOMAIN}",
    )
    cosignature = cosignatures.cosign_by_role_holder(
        statement=statement, organisation=demo[USC], user=usc_admin
    )
    assert cosignature.pk == pending.pk
    assert cosignature.status == CoSignatureStatus.CONFIRMED
    assert cosignature.officer_email == ""


def test_recording_from_evidence_needs_a_link(statement, razem_organiser, demo):
    with pytest.raises(ValidationError) as caught:
        cosignatures.cosign_record_evidence(
            statement=statement, organisation=demo["ensu"], evidence_url="  ", by=razem_organiser
        )
    assert "evidence_url" in caught.value.error_dict
    assert not CoSignature.objects.filter(statement=statement).exists()


def test_recording_from_evidence_refuses_a_link_that_is_not_a_web_address(
    statement, razem_organiser, demo
):
    with pytest.raises(ValidationError):
        cosignatures.cosign_record_evidence(
            statement=statement,
            organisation=demo["ensu"],
            evidence_url="javascript:alert(1)",
            by=razem_organiser,
        )


def test_recording_from_evidence_is_confirmed_and_the_note_is_in_the_audit_row(
    statement, razem_organiser, demo
):
    cosignature = cosignatures.cosign_record_evidence(
        statement=statement,
        organisation=demo["ensu"],
        evidence_url="https://example.org/ensu-signs",
        note="Signed at the ENSU assembly.",
        by=razem_organiser,
    )
    assert cosignature.method == CoSignatureMethod.EVIDENCE
    assert cosignature.status == CoSignatureStatus.CONFIRMED
    entry = AuditEntry.objects.get(
        action="campaigns.cosignature.recorded", object_id=str(cosignature.pk)
    )
    assert entry.actor == razem_organiser
    assert entry.after["note"] == "Signed at the ENSU assembly."
    assert entry.after["evidence_url"] == "https://example.org/ensu-signs"


def test_an_organisations_admin_withdraws_and_it_is_audited(statement, usc_admin, demo):
    cosignature = cosignatures.cosign_by_role_holder(
        statement=statement, organisation=demo[USC], user=usc_admin
    )
    cosignatures.cosignature_withdraw(cosignature=cosignature, by=usc_admin)
    cosignatures.cosignature_withdraw(cosignature=cosignature, by=usc_admin)
    cosignature.refresh_from_db()
    assert cosignature.status == CoSignatureStatus.WITHDRAWN
    assert _actions(cosignature).count("campaigns.cosignature.withdrawn") == 1


def test_the_campaign_organiser_cannot_withdraw_another_organisations_cosignature(
    statement, usc_admin, razem_organiser, demo
):
    cosignature = cosignatures.cosign_by_role_holder(
        statement=statement, organisation=demo[USC], user=usc_admin
    )
    with pytest.raises(PermissionDenied):
        cosignatures.cosignature_withdraw(cosignature=cosignature, by=razem_organiser)


def test_evidence_cannot_override_an_organisations_withdrawal(
    statement, usc_admin, razem_organiser, demo
):
    cosignature = cosignatures.cosign_by_role_holder(
        statement=statement, organisation=demo[USC], user=usc_admin
    )
    cosignatures.cosignature_withdraw(cosignature=cosignature, by=usc_admin)
    with pytest.raises(ValidationError) as caught:
        cosignatures.cosign_record_evidence(
            statement=statement,
            organisation=demo[USC],
            evidence_url="https://example.org/old",
            by=razem_organiser,
        )
    assert caught.value.code == "withdrawn"
    # The organisation itself may sign again.
    again = cosignatures.cosign_by_role_holder(
        statement=statement, organisation=demo[USC], user=usc_admin
    )
    assert again.pk == cosignature.pk and again.status == CoSignatureStatus.CONFIRMED


def test_invitations_go_to_the_admins_and_organisers_of_each_organisation(
    statement, usc_admin, razem_organiser, ussc_translator, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.statement_invite(
            statement=statement,
            organisations=[demo[USC], demo["ussc"], demo["posle"]],
            by=razem_organiser,
            base_url="http://testserver",
        )
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert "admin@usc.test" in recipients
    assert "translator@ussc.test" not in recipients  # a translator does not speak for USSC
    assert sent[demo["posle"].pk] == 0
    assert "http://testserver/en/statements/test-statement/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="campaigns.statement.invited").count() == 1


def test_an_individual_signs_confirms_and_signing_again_adds_nobody(
    statement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signatory, created = individual_signatories.individual_sign(
            statement=statement,
            full_name="Ann Lee",
            email="Ann@Example.org",
            country="GB",
            base_url="http://testserver",
        )
        _again, created_again = individual_signatories.individual_sign(
            statement=statement, full_name="Ann Lee", email="ann@example.org"
        )
    assert created and not created_again
    assert IndividualSignatory.objects.filter(statement=statement).count() == 1
    assert signatory.confirmed_at is None
    confirmed = individual_signatories.individual_confirm(
        signatory_id=signatory.pk, digest=access.email_digest("ann@example.org")
    )
    assert confirmed.confirmed_at is not None
    assert "campaigns.individual_signatory.confirmed" in _actions(signatory)
    assert "/en/statements/sign/confirm/" in _link(mail.outbox[0].body)


def test_individuals_may_not_sign_a_statement_for_organisations_only(statement, razem_organiser):
    statement = services.statement_update(
        statement=statement, by=razem_organiser, allow_individuals=False
    )
    with pytest.raises(ValidationError):
        individual_signatories.individual_sign(
            statement=statement, full_name="Ann", email="ann@example.org"
        )


def test_unconfirmed_individual_signatures_expire(statement):
    individual_signatories.individual_sign(
        statement=statement, full_name="Ann", email="ann@example.org"
    )
    later = timezone.now() + datetime.timedelta(days=30)
    assert individual_signatories.individuals_expire(now=later) == 1
    assert not IndividualSignatory.objects.filter(statement=statement).exists()
