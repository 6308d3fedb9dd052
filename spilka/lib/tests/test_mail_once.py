"""A mail task re-run after a database outage mails nobody twice: each recipient is claimed
before the mail leaves and marked sent after it, and a worker that has sent a mail waits
for the database to record it (spilka/lib/worker.py ``mail_once``).

bench/faults.py found one signer mailed twice after the database refused connections: the
mark, then written only after the mail, was refused, the task failed and its re-run sent
that mail again."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db.models import QuerySet
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from spilka.lib import worker as lib_worker
from spilka.lib.models import TaskMailSent
from spilka.lib.worker import Lane, mail_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_tasks(settings, monkeypatch):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }
    DBTaskResult.objects.all().delete()
    # The worker drops its connections after an error; here they hold the test's transaction.
    monkeypatch.setattr(lib_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(lib_worker, "forget_connections", lambda: None)
    lib_worker._unrecorded.clear()
    yield
    lib_worker._unrecorded.clear()


@pytest.fixture
def paused(monkeypatch) -> list[float]:
    waited: list[float] = []
    monkeypatch.setattr(lib_worker, "pause", waited.append)
    return waited


@pytest.fixture
def marks_refused(monkeypatch):
    """``refuse(n)``: the next ``n`` attempts to mark a mail sent find the database gone,
    right after the SMTP server took the mail."""
    left = {"n": 0}
    real_update = QuerySet.update

    def update(self, **kwargs):
        if self.model is TaskMailSent and kwargs.get("state") == "sent" and left["n"]:
            left["n"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update)

    def refuse(n: int) -> None:
        left["n"] = n

    return refuse


def _batch(demo, django_capture_on_commit_callbacks, n=3):
    from spilka.campaigns.models import Petition
    from spilka.campaigns.services.signing import Signer, signatures_write

    petition = Petition.objects.get(slug="iaea-zaporizhzhia")
    emails = [f"outage-signer{i}@example.org" for i in range(n)]
    with django_capture_on_commit_callbacks(execute=True):
        signatures_write(
            [
                Signer(
                    petition_id=petition.pk,
                    full_name=f"Signer {i}",
                    email=email,
                    country="UA",
                    postcode="",
                    organisation_name="",
                    show_name=False,
                    consents=[],
                    language="en",
                    base_url="http://testserver",
                )
                for i, email in enumerate(emails)
            ]
        )
    mail.outbox.clear()
    return emails, DBTaskResult.objects.get(task_path__endswith="signature_mail_batch")


def _lane():
    return Lane(queue_names=["email"], interval=0, worker_id="test-worker")


def _mailed():
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_database_failing_right_after_a_send_delays_the_task_but_mails_nobody_twice(
    db_tasks, demo, django_capture_on_commit_callbacks, paused, marks_refused, monkeypatch
):
    emails, row = _batch(demo, django_capture_on_commit_callbacks)
    sends = {"n": 0}
    real_send = mail.EmailMessage.send

    def send(self, *args, **kwargs):
        sent = real_send(self, *args, **kwargs)
        sends["n"] += 1
        if sends["n"] == 1:
            marks_refused(2)  # a short outage: over while the worker waits to mark
        if sends["n"] == 2:
            monkeypatch.setattr(lib_worker, "MARK_PATIENCE_SECONDS", 0.0)
            marks_refused(1)  # one outlasting its patience: the task fails on it
        return sent

    monkeypatch.setattr(mail.EmailMessage, "send", send)
    assert _lane().step() is True
    row.refresh_from_db()
    assert paused == [0.5, 1.0]  # the first mark was waited for, backing off
    assert row.status == TaskResultStatus.READY  # failed on the outage: queued again
    assert _mailed() == sorted(emails[:2])

    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())
    assert _lane().step() is True  # the retry
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert _mailed() == sorted(emails)  # each signer exactly once
    assert set(
        TaskMailSent.objects.filter(task_id=str(row.pk)).values_list("state", flat=True)
    ) == {"sent"}


def test_a_mail_is_claimed_before_it_leaves_and_marked_sent_after(db):
    with mail_once(task_id="t-1", recipient="signature:1") as due:
        assert due
        assert TaskMailSent.objects.get().state == "sending"  # committed before the send
    assert TaskMailSent.objects.get().state == "sent"
    with mail_once(task_id="t-1", recipient="signature:1") as due:
        assert not due


def test_no_claim_no_mail_when_the_database_refuses_the_claim(db, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(TaskMailSent.objects, "get_or_create", refused)
    with pytest.raises(OperationalError), mail_once(task_id="t-1", recipient="signature:1"):
        pytest.fail("the body must not run: nothing may be sent without a claim")


def test_a_worker_killed_between_send_and_mark_sends_that_one_mail_again(db):
    """The residual window, stated in mail_once: a claim nobody marked is sent again."""
    TaskMailSent.objects.create(task_id="t-1", recipient="signature:1", state="sending")
    with mail_once(task_id="t-1", recipient="signature:1") as due:
        assert due
    assert TaskMailSent.objects.get().state == "sent"


# --- A claim taken over by another run ---------------------------------------------------
# A worker cut off from the database for longer than SPILKA_WORKER_STALE_SECONDS is taken
# for dead: the reaper hands its task to another worker, whose run takes its claims over.


def test_a_run_whose_claim_was_taken_over_neither_sends_nor_marks_it(db):
    first = mail_once(task_id="t-1", recipient="signature:1")
    first_claim = first.__enter__()
    assert first_claim
    with mail_once(task_id="t-1", recipient="signature:1") as second_claim:
        assert second_claim  # the re-run takes the claim over
        assert not first_claim.held()  # the first run, back, must not send
        first.__exit__(None, None, None)
        assert TaskMailSent.objects.get().state == "sending"  # and marked nothing
        assert second_claim.held()
    assert TaskMailSent.objects.get().state == "sent"  # marked by the run that sent it


def test_a_mail_that_left_before_the_takeover_is_marked_and_silences_the_other_run(db):
    first = mail_once(task_id="t-1", recipient="signature:1")
    first_claim = first.__enter__()
    assert first_claim.held()  # its check passed: the mail leaves
    with mail_once(task_id="t-1", recipient="signature:1") as second_claim:
        assert second_claim
        first.__exit__(None, None, None)  # the first run's mark: the mail has left
        assert TaskMailSent.objects.get().state == "sent"
        assert not second_claim.held()  # so the re-run does not send it again
    assert TaskMailSent.objects.get().state == "sent"


def test_a_run_failing_after_its_claim_was_taken_over_leaves_the_other_runs_claim(db):
    first = mail_once(task_id="t-1", recipient="signature:1")
    first.__enter__()
    with mail_once(task_id="t-1", recipient="signature:1") as second_claim:
        error = ConnectionError("SMTP gone")
        assert first.__exit__(ConnectionError, error, None) is False  # raised on
        assert second_claim.held()  # not freed by the first run's failure
    assert TaskMailSent.objects.get().state == "sent"


def test_of_two_runs_taking_over_one_claim_only_one_sends(db, monkeypatch):
    TaskMailSent.objects.create(
        task_id="t-1", recipient="signature:1", state="sending", claim_token="dead-run"
    )
    with mail_once(task_id="t-1", recipient="signature:1") as winner:
        assert winner
    # The loser read the row before the winner took it over.
    stale = TaskMailSent(pk=TaskMailSent.objects.get().pk, state="sending", claim_token="dead-run")
    TaskMailSent.objects.update(state="sending")  # the winner still sending
    monkeypatch.setattr(TaskMailSent.objects, "get_or_create", lambda **kwargs: (stale, False))
    with mail_once(task_id="t-1", recipient="signature:1") as loser:
        assert not loser and not loser.held()


def test_a_signer_is_not_mailed_by_a_run_whose_claim_was_taken_over(
    db_tasks, demo, django_capture_on_commit_callbacks
):
    from spilka.campaigns.models import Signature
    from spilka.campaigns.services.signature_mail import signature_mail_send

    emails, row = _batch(demo, django_capture_on_commit_callbacks, n=1)
    signature = Signature.objects.get(email=emails[0])
    first = mail_once(task_id=str(row.pk), recipient=f"signature:{signature.pk}")
    claim = first.__enter__()
    TaskMailSent.objects.update(claim_token="the-reapers-re-run")
    sent = signature_mail_send(
        signature_id=signature.pk, kind="confirm", base_url="http://testserver", claim=claim
    )
    first.__exit__(None, None, None)
    assert sent is False and mail.outbox == []
    assert TaskMailSent.objects.get().claim_token == "the-reapers-re-run"
