"""The worker survives: database outages, a worker killed mid-task, and mail never waits
behind long work (spilka/lib/worker.py, manage.py spilka_worker)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from spilka.lib import worker as lib_worker
from spilka.lib.models import TaskMailSent, WorkerHeartbeat
from spilka.lib.worker import Lane, heartbeat_beat, tasks_reap

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.timedelta(minutes=30)


@pytest.fixture
def db_tasks(settings, monkeypatch):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }
    DBTaskResult.objects.all().delete()  # what loading the demo queued (rolled back after)
    # The worker drops its connections after an error; here they hold the test's transaction.
    monkeypatch.setattr(lib_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(lib_worker, "forget_connections", lambda: None)


@pytest.fixture
def no_sleep(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(Lane, "sleep", lambda self, seconds: slept.append(seconds))
    return slept


def _lane(queues=("*",), **kwargs):
    return Lane(queue_names=list(queues), interval=0, worker_id="test-worker", **kwargs)


def _enqueue_mail(to="someone@example.org"):
    from spilka.lib.tasks import send_email

    result = send_email.enqueue(to=[to], subject="Hello", body="Body")
    return DBTaskResult.objects.get(pk=result.id)


# --- Database outages -------------------------------------------------------------------


def test_the_worker_backs_off_and_carries_on_while_the_database_refuses(
    db_tasks, no_sleep, monkeypatch
):
    row = _enqueue_mail()
    real_claim = Lane.claim
    outage = {"left": 3}

    def claim(self):
        if outage["left"]:
            outage["left"] -= 1
            raise OperationalError("connection refused")
        return real_claim(self)

    monkeypatch.setattr(Lane, "claim", claim)
    lane = _lane(max_tasks=1)
    lane.run()  # returns only after running the one task: it did not exit on the errors
    assert no_sleep == [1.0, 2.0, 4.0]  # backing off, not spinning
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert lane.failures == 0
    assert len(mail.outbox) == 1


def test_a_task_cut_off_by_an_outage_is_queued_again_and_run_once_back(
    db_tasks, no_sleep, monkeypatch
):
    row = _enqueue_mail()
    real_set_successful = DBTaskResult.set_successful
    calls = {"n": 0}

    def set_successful(self, value):
        calls["n"] += 1
        if calls["n"] == 1:  # the database went away as the task finished
            raise OperationalError("server closed the connection unexpectedly")
        return real_set_successful(self, value)

    monkeypatch.setattr(DBTaskResult, "set_successful", set_successful)
    monkeypatch.setattr(DBTaskResult, "set_failed", lambda self, exc: (_ for _ in ()).throw(exc))
    lane = _lane()
    assert lane.step() is False
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING
    assert lane.step() is True  # back: queued again, then run
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 1  # the second run knew the mail had left


def test_a_task_the_database_failed_mid_run_is_queued_again_not_left_failed(db_tasks, monkeypatch):
    """The outage struck inside the task (its query refused) and was over by the time the
    failure was recorded: bench/faults.py found such confirmation mails never sent."""
    from django.core.mail import EmailMultiAlternatives

    row = _enqueue_mail()
    real_send = EmailMultiAlternatives.send

    def refused(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refused)
    assert _lane(["email"]).step() is True
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert row.run_after > timezone.now()  # after the back-off, not at once
    assert row.exception_class_path == ""

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)  # the database is back
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())
    assert _lane(["email"]).step() is True
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL


def test_a_task_failing_for_its_own_reasons_stays_failed(db_tasks, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    row = _enqueue_mail()

    def broken(self, *args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    _lane(["email"]).step()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED


# --- The reaper -------------------------------------------------------------------------


def _running(row, *, worker_id, started_ago):
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - started_ago,
        worker_ids=[worker_id],
    )


def test_the_reaper_requeues_the_tasks_of_silent_workers_within_minutes(db_tasks):
    now = timezone.now()
    heartbeat_beat(worker_id="alive", queues="*", started_at=now)
    heartbeat_beat(worker_id="dead", queues="*", started_at=now - LONG_AGO)
    WorkerHeartbeat.objects.filter(worker_id="dead").update(beat_at=now - LONG_AGO)
    lost, busy, recent = _enqueue_mail("a@x.org"), _enqueue_mail("b@x.org"), _enqueue_mail()
    minutes, nameless = _enqueue_mail("c@x.org"), _enqueue_mail("d@x.org")
    _running(lost, worker_id="dead", started_ago=LONG_AGO)
    _running(busy, worker_id="alive", started_ago=LONG_AGO)
    _running(recent, worker_id="dead", started_ago=datetime.timedelta(seconds=30))
    # Three minutes in, well within the ten-minute lease: its worker is gone, so it goes back.
    _running(minutes, worker_id="dead", started_ago=datetime.timedelta(minutes=3))
    _running(nameless, worker_id="", started_ago=datetime.timedelta(minutes=3))
    DBTaskResult.objects.filter(pk=nameless.pk).update(worker_ids=[])

    assert tasks_reap() == 2
    statuses = {
        row.pk: row.status
        for row in DBTaskResult.objects.filter(
            pk__in=[lost.pk, busy.pk, recent.pk, minutes.pk, nameless.pk]
        )
    }
    assert statuses == {
        lost.pk: TaskResultStatus.READY,
        minutes.pk: TaskResultStatus.READY,
        busy.pk: TaskResultStatus.RUNNING,  # its worker still beats: a long task
        recent.pk: TaskResultStatus.RUNNING,  # younger than the stale time: may not have beaten
        nameless.pk: TaskResultStatus.RUNNING,  # no worker to ask: waits out the lease
    }
    assert tasks_reap() == 0


def test_the_reap_tasks_command_reports_what_it_requeued(db_tasks):
    from io import StringIO

    from django.core.management import call_command

    _running(_enqueue_mail(), worker_id="never-beat", started_ago=LONG_AGO)
    out = StringIO()
    call_command("reap_tasks", stdout=out)
    assert out.getvalue().startswith("1 ")


def test_a_signature_batch_killed_mid_run_mails_each_signer_once_when_rerun(
    db_tasks, demo, django_capture_on_commit_callbacks
):
    from spilka.campaigns.models import Petition, Signature
    from spilka.campaigns.services.signing import Signer, signatures_write

    petition = Petition.objects.get(slug="iaea-zaporizhzhia")
    emails = [f"signer{i}@example.org" for i in range(3)]
    intakes = [
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
    with django_capture_on_commit_callbacks(execute=True):
        signatures_write(intakes)
    row = DBTaskResult.objects.get(task_path__endswith="signature_mail_batch")
    assert row.queue_name == "email"
    # A worker claimed the batch, mailed the first signer and died.
    first = Signature.objects.get(petition=petition, email=emails[0])
    TaskMailSent.objects.create(task_id=str(row.pk), recipient=f"signature:{first.pk}")
    mail.outbox.append(mail.EmailMessage("confirm", "…", to=[emails[0]]))
    _running(row, worker_id="killed", started_ago=LONG_AGO)

    assert tasks_reap() == 1
    assert _lane(["email"]).step() is True
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    # And once more, as if a second crash had left it RUNNING again.
    _running(row, worker_id="killed-again", started_ago=LONG_AGO)
    assert tasks_reap() == 1
    assert _lane(["email"]).step() is True

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(emails)  # each signer exactly once


# --- Queues -----------------------------------------------------------------------------


def test_mail_tasks_go_to_the_mail_queue_and_long_work_to_the_default_one():
    from spilka.accounts.tasks import password_reset_send
    from spilka.campaigns.tasks import signature_intake_drain, signature_mail, signature_mail_batch
    from spilka.funds.tasks import import_statement
    from spilka.lib.tasks import send_email
    from spilka.outreach.tasks import import_run_task, mailing_send_task

    mail_tasks = [send_email, password_reset_send, signature_mail, signature_mail_batch]
    assert {t.queue_name for t in mail_tasks} == {lib_worker.MAIL_QUEUE}
    long_tasks = [signature_intake_drain, import_statement, import_run_task, mailing_send_task]
    assert {t.queue_name for t in long_tasks} == {"default"}


def test_the_mail_lane_takes_a_password_reset_before_older_long_work(db_tasks):
    from spilka.accounts.tasks import password_reset_send
    from spilka.campaigns.tasks import signature_intake_drain

    drain = signature_intake_drain.enqueue()
    reset = password_reset_send.enqueue(
        email="nobody@example.org",
        domain="testserver",
        use_https=False,
        language="en",
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.html",
    )
    rows = {str(row.pk): row.queue_name for row in DBTaskResult.objects.all()}
    assert rows == {drain.id: "default", reset.id: "email"}
    lane = _lane(["email"])
    claimed = lane.claim()
    assert str(claimed.pk) == reset.id
    assert lane.claim() is None  # the mail lane never takes the drain


def test_the_worker_records_its_heartbeat(db_tasks):
    from spilka.lib.worker import Keeper, heartbeat_newest_age

    assert heartbeat_newest_age() is None
    Keeper(worker_id="w1", queues="*").tick()
    assert WorkerHeartbeat.objects.get(worker_id="w1").queues == "*"
    assert heartbeat_newest_age() < 5


def test_a_mail_interrupted_before_it_left_is_sent_by_the_rerun(db):
    """The mark follows the mail: a crash while sending leaves no mark, so the re-run sends."""
    from spilka.lib.worker import mail_once

    with pytest.raises(ConnectionError), mail_once(task_id="t-1", recipient="signature:1") as due:
        assert due
        raise ConnectionError("killed while talking to the SMTP server")
    assert not TaskMailSent.objects.exists()
    with mail_once(task_id="t-1", recipient="signature:1") as due:
        assert due  # the re-run mails it
    with mail_once(task_id="t-1", recipient="signature:1") as due:
        assert not due  # and a third run does not
    assert TaskMailSent.objects.count() == 1
