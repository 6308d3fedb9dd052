"""Mass email: compose, preview, test, schedule, and the batched send.

The send is one function, ``mailing_send_run``, used by the task worker and by
``bench/mailing.py`` alike. It freezes the audience into recipient rows when it starts
(who unsubscribes later is skipped at their batch), then renders and hands batches of
messages to one mail connection each (``send_messages``), marking each batch in one
UPDATE. Every message carries RFC 8058 one-click unsubscribe headers and a link.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from spilka.lib.audit import audit_record, snapshot
from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.lib.mail import email_send_after_commit
from spilka.lib.translated import pick
from spilka.network.models import Organisation
from spilka.outreach import merge_fields
from spilka.outreach.models import (
    Mailing,
    MailingRecipient,
    MailingStatus,
    RecipientStatus,
    Segment,
    Supporter,
    SupporterStatus,
)
from spilka.outreach.selectors import mailing_audience, mailing_recipient_count
from spilka.outreach.tokens import unsubscribe_token

logger = logging.getLogger(__name__)

BATCH = 500
EDITABLE = {"subject", "body", "original_language", "segment", "reply_to"}


def _check_text(mailing: Mailing) -> None:
    errors = []
    for text in [*mailing.subject.values(), *mailing.body.values()]:
        errors += merge_fields.unknown_fields(text)
    if errors:
        raise ValidationError(
            {
                "body": _("Unknown merge fields: %(fields)s.")
                % {"fields": ", ".join(sorted(set(errors)))}
            }
        )
    if not mailing.subject.get(mailing.original_language) or not mailing.body.get(
        mailing.original_language
    ):
        raise ValidationError(
            {"original_language": _("Write the subject and the text in the original language.")}
        )


def _check_segment(mailing: Mailing) -> None:
    if mailing.segment is not None and mailing.segment.organisation_id != mailing.organisation_id:
        raise ValidationError({"segment": _("That segment belongs to another organisation.")})


@transaction.atomic
def mailing_create(*, organisation: Organisation, by: Any, **fields: Any) -> Mailing:
    if set(fields) - EDITABLE:
        raise TypeError(f"Unknown mailing fields: {sorted(set(fields) - EDITABLE)}")
    mailing = Mailing(
        organisation=organisation,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        **fields,
    )
    mailing.full_clean()
    _check_segment(mailing)
    _check_text(mailing)
    mailing.save()
    audit_record(
        actor=by,
        action="outreach.mailing.created",
        obj=mailing,
        organisation=organisation,
        after=snapshot(mailing, ["segment_id", "original_language"]),
    )
    return mailing


@transaction.atomic
def mailing_update(*, mailing: Mailing, by: Any, **fields: Any) -> Mailing:
    if set(fields) - EDITABLE:
        raise TypeError(f"Unknown mailing fields: {sorted(set(fields) - EDITABLE)}")
    mailing = Mailing.objects.select_for_update(of=("self",)).get(pk=mailing.pk)
    if mailing.status != MailingStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    for name, value in fields.items():
        setattr(mailing, name, value)
    mailing.full_clean()
    _check_segment(mailing)
    _check_text(mailing)
    mailing.save()
    audit_record(
        actor=by, action="outreach.mailing.updated", obj=mailing, organisation=mailing.organisation
    )
    return mailing


def mailing_language_for(mailing: Mailing, language: str) -> str:
    """The recipient's language when the mailing is written in it, else the original."""
    if mailing.subject.get(language) and mailing.body.get(language):
        return language
    return mailing.original_language


class _Renderer:
    """Renders one mailing for many recipients; per-language work is done once."""

    def __init__(self, mailing: Mailing, base_url: str) -> None:
        self.mailing = mailing
        self.org_name = mailing.organisation.display_name
        self.org_id = mailing.organisation_id
        self.from_email = settings.DEFAULT_FROM_EMAIL
        self.reply_to = [mailing.reply_to] if mailing.reply_to else None
        self.base_url = base_url.rstrip("/")
        self.per_language: dict[str, tuple[str, str, str, str]] = {}

    def _language(self, language: str) -> tuple[str, str, str, str]:
        if language not in self.per_language:
            mailing = self.mailing
            with translation.override(language):
                # The path with a marker for the token, reversed once per language.
                url = self.base_url + reverse("outreach:unsubscribe", kwargs={"token": "TOKEN"})
                footer = _(
                    "You receive this because you agreed to hear from %(organisation)s. "
                    "To stop, open: %(url)s"
                ) % {"organisation": self.org_name, "url": "{{ unsubscribe_url }}"}
            subject = pick(mailing.subject, mailing.original_language, language).text
            body = pick(mailing.body, mailing.original_language, language).text
            self.per_language[language] = (subject, body + "\n\n-- \n" + footer, url, language)
        return self.per_language[language]

    def message(self, supporter: Supporter, language: str) -> EmailMessage:
        subject, body, url_pattern, _lang = self._language(language)
        url = url_pattern.replace(
            "TOKEN", unsubscribe_token(self.org_id, supporter.pk, self.mailing.pk)
        )
        values = {
            "first_name": supporter.first_name,
            "name": supporter.name,
            "email": supporter.email,
            "organisation": self.org_name,
            "unsubscribe_url": url,
        }
        return EmailMessage(
            subject=" ".join(merge_fields.render(subject, values).split()),
            body=merge_fields.render(body, values),
            from_email=self.from_email,
            to=[supporter.email],
            reply_to=self.reply_to,
            headers={
                "List-Unsubscribe": f"<{url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": f"<{self.org_id}.outreach.spilka>",
                "Auto-Submitted": "auto-generated",
                "Precedence": "bulk",
            },
        )


def mailing_preview(mailing: Mailing, supporter: Supporter | None = None) -> list[dict[str, str]]:
    """The message in each language it is written in, for a sample (or made-up) supporter."""
    sample = supporter or Supporter(
        pk=0, organisation_id=mailing.organisation_id, email="supporter@example.org", name="Olena"
    )
    renderer = _Renderer(mailing, mailing.base_url or "https://spilka.example")
    out = []
    for language in CONTENT_LANGUAGES:
        if mailing.subject.get(language) and mailing.body.get(language):
            message = renderer.message(sample, language)
            out.append(
                {"language": language, "subject": str(message.subject), "body": str(message.body)}
            )
    return out


@transaction.atomic
def mailing_test_send(*, mailing: Mailing, to: str, by: Any, base_url: str) -> int:
    """Send each language version to ``to`` (the organiser), marked as a test."""
    mailing.base_url = base_url
    previews = mailing_preview(mailing)
    for preview in previews:
        email_send_after_commit(
            to=[to], subject="[TEST] " + preview["subject"], body=preview["body"]
        )
    audit_record(
        actor=by,
        action="outreach.mailing.test_sent",
        obj=mailing,
        organisation=mailing.organisation,
        after={"languages": [p["language"] for p in previews]},
    )
    return len(previews)


@transaction.atomic
def mailing_queue(
    *,
    mailing: Mailing,
    by: Any,
    base_url: str,
    confirmed_count: int | None,
    run_after: datetime.datetime | None = None,
) -> Mailing:
    """Schedule the send (now, or at ``run_after``); the worker does the rest.

    ``confirmed_count`` is the number of people the sender was shown on the final step
    and agreed to mail ("Send to 1,234 people"). Without it nothing is sent, and if the
    audience has changed since (a sign-up, an unsubscribe) the sender is asked again:
    nobody mails more people than they saw.
    """

    mailing = Mailing.objects.select_for_update(of=("self",)).get(pk=mailing.pk)
    if mailing.status != MailingStatus.DRAFT:
        raise ValidationError(_("This mailing has already been sent or scheduled."))
    _check_text(mailing)
    if confirmed_count is None:
        raise ValidationError(
            _("Confirm the number of recipients on the last step before sending.")
        )
    count = mailing_recipient_count(mailing)
    if confirmed_count != count:
        raise ValidationError(
            ngettext(
                "The mailing would now go to %(count)s person, not the number you confirmed. "
                "Check it and confirm again.",
                "The mailing would now go to %(count)s people, not the number you confirmed. "
                "Check it and confirm again.",
                count,
            )
            % {"count": count}
        )
    if run_after is not None and run_after < timezone.now() - datetime.timedelta(minutes=5):
        raise ValidationError({"run_after": _("Choose a time in the future.")})
    mailing.status = MailingStatus.SCHEDULED
    mailing.run_after = run_after
    mailing.queued_at = timezone.now()
    mailing.base_url = base_url.rstrip("/")
    mailing.save(update_fields=["status", "run_after", "queued_at", "base_url"])
    audit_record(
        actor=by,
        action="outreach.mailing.scheduled",
        obj=mailing,
        organisation=mailing.organisation,
        after={"run_after": run_after, "segment": mailing.segment_id, "recipients": count},
    )
    pk = mailing.pk

    def enqueue() -> None:
        task = mailing_send_task.using(run_after=run_after) if run_after else mailing_send_task
        task.enqueue(mailing_id=pk)

    transaction.on_commit(enqueue)
    return mailing


@transaction.atomic
def mailing_cancel(*, mailing: Mailing, by: Any) -> Mailing:
    mailing = Mailing.objects.select_for_update(of=("self",)).get(pk=mailing.pk)
    if mailing.status not in {MailingStatus.SCHEDULED, MailingStatus.SENDING}:
        raise ValidationError(_("Only a scheduled or sending mailing can be cancelled."))
    before = mailing.status
    mailing.status = MailingStatus.CANCELLED
    mailing.finished_at = timezone.now()
    mailing.save(update_fields=["status", "finished_at"])
    audit_record(
        actor=by,
        action="outreach.mailing.cancelled",
        obj=mailing,
        organisation=mailing.organisation,
        before={"status": before},
        after={"status": mailing.status},
    )
    return mailing


def _freeze_audience(mailing: Mailing) -> None:
    with transaction.atomic():
        locked = Mailing.objects.select_for_update(of=("self",)).get(pk=mailing.pk)
        if locked.status != MailingStatus.SCHEDULED:
            return
        rows = mailing_audience(locked).values_list("pk", "language").order_by("pk")
        batch: list[MailingRecipient] = []
        for supporter_id, language in rows.iterator(chunk_size=5000):
            batch.append(
                MailingRecipient(
                    mailing_id=locked.pk,
                    supporter_id=supporter_id,
                    language=mailing_language_for(locked, language),
                )
            )
            if len(batch) >= 5000:
                MailingRecipient.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        MailingRecipient.objects.bulk_create(batch, ignore_conflicts=True)
        locked.status = MailingStatus.SENDING
        locked.started_at = timezone.now()
        locked.recipient_count = MailingRecipient.objects.filter(mailing=locked).count()
        locked.save(update_fields=["status", "started_at", "recipient_count"])


def mailing_send_run(
    *,
    mailing_id: int,
    batch_size: int = BATCH,
    connection_factory: Callable[[], Any] = get_connection,
    on_batch: Callable[[int], None] | None = None,
) -> Mailing:
    """Send a scheduled mailing in batches (from the task worker). Idempotent: a recipient
    marked sent is never sent again, so a crashed run can simply be started again."""
    mailing = Mailing.objects.select_related("organisation", "segment").get(pk=mailing_id)
    if mailing.status == MailingStatus.SCHEDULED:
        if mailing.run_after and mailing.run_after > timezone.now():
            return mailing  # too early: the queue started it before its time
        _freeze_audience(mailing)
        mailing.refresh_from_db()
    if mailing.status != MailingStatus.SENDING:
        return mailing
    renderer = _Renderer(mailing, mailing.base_url)
    last_id = 0
    while True:
        with transaction.atomic():
            # One worker per mailing at a time: the row lock serialises batches.
            status = (
                Mailing.objects.select_for_update(of=("self",))
                .values_list("status", flat=True)
                .get(pk=mailing_id)
            )
            if status != MailingStatus.SENDING:
                return Mailing.objects.get(pk=mailing_id)
            batch = list(
                MailingRecipient.objects.filter(
                    mailing_id=mailing_id, status=RecipientStatus.QUEUED, pk__gt=last_id
                )
                .select_related("supporter")
                .only(
                    "id",
                    "language",
                    "supporter__id",
                    "supporter__email",
                    "supporter__name",
                    "supporter__status",
                    "supporter__organisation_id",
                )
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            last_id = batch[-1].pk
            sendable = [
                r
                for r in batch
                if r.supporter is not None and r.supporter.status == SupporterStatus.SUBSCRIBED
            ]
            skipped = [r.pk for r in batch if r not in sendable]
            sent_ids, failed = _send_batch(renderer, sendable, connection_factory)
            now = timezone.now()
            MailingRecipient.objects.filter(pk__in=sent_ids).update(
                status=RecipientStatus.SENT, sent_at=now
            )
            if skipped:
                MailingRecipient.objects.filter(pk__in=skipped).update(
                    status=RecipientStatus.SKIPPED
                )
            for pk, error in failed.items():
                MailingRecipient.objects.filter(pk=pk).update(
                    status=RecipientStatus.FAILED, error=error[:200]
                )
            Mailing.objects.filter(pk=mailing_id).update(
                sent_count=F("sent_count") + len(sent_ids),
                failed_count=F("failed_count") + len(failed) + len(skipped),
            )
        if on_batch:
            on_batch(len(batch))
    with transaction.atomic():
        mailing = (
            Mailing.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=mailing_id)
        )
        if mailing.status == MailingStatus.SENDING:
            mailing.status = MailingStatus.SENT
            mailing.finished_at = timezone.now()
            mailing.save(update_fields=["status", "finished_at"])
            audit_record(
                actor="mail worker",
                action="outreach.mailing.sent",
                obj=mailing,
                organisation=mailing.organisation,
                after={
                    "recipients": mailing.recipient_count,
                    "sent": mailing.sent_count,
                    "not_sent": mailing.failed_count,
                },
            )
    return mailing


def _send_batch(
    renderer: _Renderer, recipients: list[MailingRecipient], connection_factory: Callable[[], Any]
) -> tuple[list[int], dict[int, str]]:
    """Hand the batch to one connection. If the server refuses mid-batch, retry one by one
    to find who failed."""
    if not recipients:
        return [], {}
    messages = [renderer.message(r.supporter, r.language) for r in recipients]  # type: ignore[arg-type]
    connection = connection_factory()
    try:
        connection.send_messages(messages)
        return [r.pk for r in recipients], {}
    except Exception:  # find out below who failed
        logger.warning("Batch send failed; retrying message by message.", exc_info=True)
    sent: list[int] = []
    failed: dict[int, str] = {}
    connection = connection_factory()
    for recipient, message in zip(recipients, messages, strict=True):
        try:
            connection.send_messages([message])
            sent.append(recipient.pk)
        except Exception as error:  # one refused address must not stop the rest
            failed[recipient.pk] = type(error).__name__
    return sent, failed


def segment_save(
    *,
    organisation: Organisation,
    by: Any,
    name: str,
    filters: dict[str, Any],
    segment: Segment | None = None,
) -> Segment:
    """Create or change a saved segment (filters validated by the form)."""
    with transaction.atomic():
        if segment is None:
            segment = Segment(
                organisation=organisation,
                created_by=by if getattr(by, "is_authenticated", False) else None,
            )
        segment.name = name.strip()
        segment.filters = filters
        segment.full_clean()
        segment.save()
        audit_record(
            actor=by,
            action="outreach.segment.saved",
            obj=segment,
            organisation=organisation,
            after={"filters": filters},
        )
    return segment


# A mailing to thousands takes a long while: it runs on the default queue, so the mail lane
# (password resets, confirmations) never waits behind it. Each recipient is marked as sent.
# Defined beside the work it runs; spilka/outreach/tasks.py keeps the old path.
@task(queue_name="default")
def mailing_send_task(*, mailing_id: int) -> int:
    return mailing_send_run(mailing_id=mailing_id).sent_count
