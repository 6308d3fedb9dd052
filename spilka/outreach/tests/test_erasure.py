"""Erasure leaves no personal data in any table.

The test puts one person's email and name into every app that can hold them (through
the apps' own services), erases, then scans every text, char and JSON column of every
installed model for either. As more apps register handlers, give this test their data too.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Q

from spilka.lib.models import AuditEntry
from spilka.outreach.models import DataRequest, DataRequestKind
from spilka.outreach.selectors import mailing_recipient_count
from spilka.outreach.services import public
from spilka.outreach.services.mailings import mailing_create, mailing_queue

pytestmark = pytest.mark.django_db

EMAIL = "zofia.erasure-test@example.org"
NAME = "Zofia Wymazana"


def _scan(*needles: str) -> list[str]:
    found = []
    for model in apps.get_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        query = Q()
        for field in fields:
            for needle in needles:
                query |= Q(**{f"{field.name}__icontains": needle})
        hits = model._default_manager.filter(query)
        if hits.exists():
            found.append(f"{model._meta.label}: {list(hits.values_list('pk', flat=True)[:5])}")
    return found


def _open_event_with_a_question(by):
    from spilka.events.models import Event
    from spilka.events.services.events import question_add
    from spilka.events.services.registrations import registration_refusal

    event = next(e for e in Event.objects.order_by("pk") if registration_refusal(e) is None)
    question = question_add(
        event=event, by=by, label={"en": "Anything we should know?"}, kind="text", required=False
    )
    return event, question


def _register_and_donate(usc, usc_admin):
    """An event registration with answers and, if funds keeps donors, a donation."""
    import datetime

    from spilka.events.services.registrations import ConsentChoice, event_register
    from spilka.lib.personal_data import personal_data_handlers

    event, question = _open_event_with_a_question(usc_admin)
    registration = event_register(
        event=event,
        full_name=NAME,
        email=EMAIL,
        answers={question.pk: f"{NAME} needs step-free access; write to {EMAIL}"},
        consents=[ConsentChoice(event.organiser, "Keep me posted.")],
        language="pl",
        base_url="http://testserver",
    ).registration
    donation = None
    if "funds.donors" in {h.name for h in personal_data_handlers()}:
        from spilka.funds.models import Fund
        from spilka.funds.services.donations import donation_record

        fund = Fund.objects.filter(organisation=usc).order_by("pk").first()
        assert fund is not None, "the demo gives the campaign a fund"
        if fund is not None:
            donation = donation_record(
                fund=fund,
                amount="25.00",
                currency=fund.currency,
                occurred_on=datetime.date(2024, 3, 1),
                by=usc_admin,
                donor_name=NAME,
                donor_email=EMAIL,
                consented_updates=True,
            )
    return registration, donation


def _queue_mail_in_the_task_table(settings, django_capture_on_commit_callbacks):
    """Mail to the address as the production task queue keeps it: one job done, one waiting."""
    from django.db import transaction
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from spilka.lib.mail import email_send_after_commit

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }
    with django_capture_on_commit_callbacks(execute=True):
        for subject in ("Done", "Waiting"):
            with transaction.atomic():
                email_send_after_commit(to=[EMAIL], subject=subject, body=f"Dear {NAME},")
    done = DBTaskResult.objects.filter(args_kwargs__icontains="Done").get()
    DBTaskResult.objects.filter(pk=done.pk).update(status=TaskResultStatus.SUCCESSFUL)
    assert DBTaskResult.objects.filter(args_kwargs__icontains=EMAIL).count() == 2


def test_erasure_leaves_no_personal_data_in_any_table(
    usc, usc_admin, announce, settings, django_capture_on_commit_callbacks
):
    from spilka.campaigns.models import Petition, Signature, Statement
    from spilka.campaigns.services import individual_signatories, petitions
    from spilka.network import services as network_services

    with django_capture_on_commit_callbacks(execute=True):
        network_services.person_create(
            by=usc_admin, full_name=NAME, email=EMAIL, phone="+48600100200", organisation=usc
        )
        petition = Petition.objects.get(slug="iaea-zaporizhzhia")
        result = petitions.petition_sign(
            petitions.Signer(
                petition_id=petition.pk,
                full_name=NAME,
                email=EMAIL,
                country="PL",
                postcode="00-001",
                organisation_name="Razem Warszawa",
                consents=[(usc.pk, "Updates, please.")],
            )
        )
        petitions.signature_confirm(signature_id=result.signature_id)
        statement = Statement.objects.filter(allow_individuals=True, status="open").first()
        if statement is not None:
            individual_signatories.individual_sign(
                statement=statement, full_name=NAME, email=EMAIL, affiliation="NSZZ"
            )
        announce(usc, EMAIL, name=NAME, kind="donated", object_key="funds.fund:1")
        public.signup_request(
            organisation=usc,
            email=EMAIL,
            name=NAME,
            country="PL",
            language="pl",
            wording="Yes",
            base_url="http://testserver",
        )
        mailing = mailing_create(
            organisation=usc,
            by=usc_admin,
            subject={"en": "Hi"},
            body={"en": "Hello"},
            original_language="en",
        )
        mailing_queue(
            mailing=mailing,
            by=usc_admin,
            base_url="http://testserver",
            confirmed_count=mailing_recipient_count(mailing),
        )
        registration, donation = _register_and_donate(usc, usc_admin)
        public.data_request_create(
            email=EMAIL, kind=DataRequestKind.EXPORT, language="en", base_url="http://testserver"
        )
        erase = public.data_request_create(
            email=EMAIL, kind=DataRequestKind.ERASE, language="en", base_url="http://testserver"
        )
    _queue_mail_in_the_task_table(settings, django_capture_on_commit_callbacks)
    assert _scan(EMAIL, NAME), "the test must first put the data somewhere"
    count_before = Petition.objects.get(pk=petition.pk).confirmed_count

    counts = public.data_erase(request=erase)

    assert _scan(EMAIL, NAME) == []
    assert Petition.objects.get(pk=petition.pk).confirmed_count == count_before
    assert Signature.objects.get(pk=result.signature_id).status == "confirmed"
    assert counts["campaigns.signatures"] >= 1 and counts["outreach.supporters"] >= 1
    assert counts["events.registrations"] == 1 and counts["django_tasks_db.results"] == 2
    registration.refresh_from_db()
    assert registration.status in {"confirmed", "pending", "waitlisted"}  # the place still counts
    if donation is not None:
        donation.refresh_from_db()
        assert donation.donor is not None and donation.donor.email == ""
        assert donation.amount == Decimal("25.00") and counts["funds.donors"] == 1
    entry = AuditEntry.objects.filter(action="outreach.data.erased").latest("id")
    assert entry.after["records"] == counts
    assert DataRequest.objects.get(pk=erase.pk).email == ""


def test_an_erased_address_can_no_longer_use_its_links(
    usc, announce, django_capture_on_commit_callbacks
):
    announce(usc, EMAIL, name=NAME)
    with django_capture_on_commit_callbacks(execute=True):
        export = public.data_request_create(
            email=EMAIL, kind="export", language="en", base_url="http://testserver"
        )
        erase = public.data_request_create(
            email=EMAIL, kind="erase", language="en", base_url="http://testserver"
        )
    public.data_erase(request=erase)
    export.refresh_from_db()
    assert export.email == ""  # its download link now finds nothing


def test_retention_removes_unconfirmed_and_unused_data(usc, announce, settings):
    import datetime

    from django.utils import timezone

    from spilka.outreach.models import PendingSignup, Supporter
    from spilka.outreach.services.retention import retention_run

    settings.SPILKA_RETENTION_UNCONFIRMED_DAYS = 10
    old = timezone.now() - datetime.timedelta(days=2000)
    PendingSignup.objects.create(
        organisation=usc, email="old@example.org", wording="x", created_at=old
    )
    PendingSignup.objects.create(organisation=usc, email="new@example.org", wording="x")
    stale = announce(usc, "stale@example.org", consented=False, kind="donated", when=old)
    Supporter.objects.filter(pk=stale.pk).update(created_at=old)
    kept = announce(usc, "kept@example.org", when=old)
    Supporter.objects.filter(pk=kept.pk).update(created_at=old)
    done = retention_run()
    assert done["signups"] == 1 and done["inactive_supporters"] >= 1
    assert list(PendingSignup.objects.values_list("email", flat=True)) == ["new@example.org"]
    assert not Supporter.objects.filter(pk=stale.pk).exists()
    assert Supporter.objects.filter(pk=kept.pk).exists()  # subscribed: still wanted
