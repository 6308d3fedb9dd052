"""The task worker that survives: database outages, crashes mid-task, and long queues.

django-tasks-db's ``db_worker`` exits on the first database error it does not expect, and a
task it claimed (RUNNING) stays RUNNING forever if the process dies. Here:

- ``Lane``: the same claim-and-run loop, which backs off and retries while the database
  refuses, and re-queues the task it was running when the database went away.
- ``heartbeat_beat``: each worker process records that it is alive (a row per process).
- ``tasks_reap``: RUNNING tasks whose worker stopped beating are put back in the queue.
  Tasks that mail guard each recipient with ``mail_once`` (claimed before sending, the
  claim checked just before, marked sent after, the mark waited for through an outage), so
  a re-run mails only those not yet mailed: once, except in the windows its docstring
  names (a worker killed between send and mark, or taken for dead just after a send).

``manage.py spilka_worker`` runs a lane for every queue, a second lane for mail only (a
password reset never waits behind an hour-long import), and the heartbeat with the reaper.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, close_old_connections, connections, transaction
from django.db.models import Min
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from spilka.lib.models import TaskMailSent, WorkerHeartbeat

log = logging.getLogger(__name__)

MAIL_QUEUE = "email"
# Errors that mean "the database is not there right now", as opposed to a bug.
DATABASE_DOWN = (OperationalError, InterfaceError)
DATABASE_DOWN_NAMES = frozenset(error.__name__ for error in DATABASE_DOWN)
BACKOFF_MAX_SECONDS = 30.0


# --- Mail sent once per task run --------------------------------------------------------


# Up to this long a worker that has sent a mail waits for the database to record it,
# rather than leave the re-run of its task in doubt (an outage, a failover, a lock).
MARK_PATIENCE_SECONDS = 300.0
# Sent mails this process could not record within its patience: a re-run in this process
# (the lane re-queues the task it was running) still knows they left.
_unrecorded: set[tuple[str, str]] = set()


class MailClaim:
    """What ``mail_once`` yields: true when this run is to send the mail.

    ``held()``, asked right before the mail leaves, says whether the claim is still this
    run's. False when another run of the task took it over meanwhile; then this run sends
    nothing, and ``mail_once`` marks nothing for it."""

    def __init__(self, *, key: dict[str, str] | None = None, token: str = "", due: bool = True):
        self.key = key
        self.token = token
        self.due = due
        self.lost = False

    def __bool__(self) -> bool:
        return self.due

    def held(self) -> bool:
        if not self.due:
            return False
        if self.key is None:
            return True  # called without a task run: nothing to share the mail with
        mine = TaskMailSent.objects.filter(
            **self.key, state=TaskMailSent.State.SENDING, claim_token=self.token
        ).exists()
        if not mine:
            self.lost = True
            log.warning(
                "task %s: the mail to %s was taken over by another run: not sent by this one",
                self.key["task_id"],
                self.key["recipient"],
            )
        return mine


@contextmanager
def mail_once(*, task_id: str | None, recipient: str) -> Iterator[MailClaim]:
    """Yield whether this run of task ``task_id`` has to mail ``recipient`` (a ``MailClaim``,
    true or false): once, across every re-run of the task (after an outage, or a crash and
    the reaper).

    1. Claim: a ``sending`` row carrying a token new to this claim, committed before the
       mail leaves. No claim, no mail: if the database refuses the claim, the task fails on
       it and its re-run sends.
    2. Send (the ``with`` body), after asking ``claim.held()`` right before the mail
       leaves: a claim another run has taken over is not sent (nor marked) by this one. If
       the body raises, the mail did not leave: the claim is freed, if still this run's.
    3. Mark it ``sent``. If the database fails here, the mail has left and the worker
       knows it: it waits for the database (up to ``MARK_PATIENCE_SECONDS``) and marks it,
       and only then lets the task go on or fail. The mark does not ask for the token: a
       mail that left is sent whoever holds the claim now, and the mark stops a run that
       took the claim over but has not reached its check yet.

    A re-run skips ``sent``, and takes a ``sending`` claim over (a new token, written only
    if the row still has the one it read: of two re-runs one wins) and sends it, as nobody
    can tell whether that mail left. The run that held it, if alive (taken for dead: an
    outage longer than ``SPILKA_WORKER_STALE_SECONDS`` silences its heartbeat too, and the
    reaper hands its task to another worker), finds at its check that it lost the claim.

    What is left. The same mail twice: the worker dies (SIGKILL, a lost machine) between
    the SMTP server's answer and the mark's commit (milliseconds per mail); or its claim is
    taken over after its check passed and before its mark, and the re-run's own check comes
    first. The check and the SMTP call (``SPILKA_EMAIL_TIMEOUT``) are seconds apart, but a
    mark held up by an outage waits as long as the patience: when the database returns, the
    mark (retried every 10 s at most) races the re-run reaching that recipient. A mail not
    sent: the re-run that took a claim over is killed before sending it, after the run it
    took over from (silent on that claim) has finished the task; both write the one task
    row, so it is recorded done and nothing runs it again.

    Without a task id (called directly) it always sends.
    """
    if not task_id:
        yield MailClaim()
        return
    key = {"task_id": str(task_id), "recipient": recipient[:100]}
    token = _claim(key)
    if token is None:
        yield MailClaim(due=False)
        return
    claim = MailClaim(key=key, token=token)
    try:
        yield claim
    except BaseException:
        with suppress(DatabaseError):  # it did not leave; if the database is gone too, the
            TaskMailSent.objects.filter(
                **key, state=TaskMailSent.State.SENDING, claim_token=token
            ).delete()
        raise
    if not claim.lost:
        _mark_sent(key)


def _claim(key: dict[str, str]) -> str | None:
    """This run's new claim token; None when the mail is not this run's to send."""
    token = uuid.uuid4().hex
    row, created = TaskMailSent.objects.get_or_create(
        **key, defaults={"state": TaskMailSent.State.SENDING, "claim_token": token}
    )
    if created:
        return token
    if row.state == TaskMailSent.State.SENT:
        log.info("task %s already mailed %s: skipped", key["task_id"], key["recipient"])
        return None
    if (key["task_id"], key["recipient"]) in _unrecorded:
        _mark_sent(key)  # this process sent it and could not say so then
        return None
    taken = TaskMailSent.objects.filter(
        pk=row.pk, state=TaskMailSent.State.SENDING, claim_token=row.claim_token
    ).update(claim_token=token)
    if not taken:  # another run took it over (or marked it) a moment ago: theirs to send
        log.info("task %s: the mail to %s is another run's", key["task_id"], key["recipient"])
        return None
    log.warning(
        "task %s: the mail to %s was claimed by a run that did not mark it sent (it died, "
        "or was taken for dead); taken over and sent again",
        key["task_id"],
        key["recipient"],
    )
    return token


def _mark_sent(key: dict[str, str]) -> None:
    deadline = time.monotonic() + MARK_PATIENCE_SECONDS
    delay = 0.5
    while True:
        try:
            marked = TaskMailSent.objects.filter(**key).update(
                state=TaskMailSent.State.SENT, sent_at=timezone.now()
            )
            if not marked:
                with suppress(IntegrityError), transaction.atomic():
                    TaskMailSent.objects.create(**key, state=TaskMailSent.State.SENT)
            _unrecorded.discard((key["task_id"], key["recipient"]))
            return
        except DATABASE_DOWN as error:
            if time.monotonic() + delay > deadline:
                _unrecorded.add((key["task_id"], key["recipient"]))
                log.error(
                    "task %s: mailed %s, not recorded: %s", key["task_id"], key["recipient"], error
                )
                raise
            log.warning(
                "task %s: mailed %s; the database cannot record it yet (%s): retrying in %.1f s",
                key["task_id"],
                key["recipient"],
                first_line(error),
                delay,
            )
            forget_connections()
            pause(delay)
            delay = min(delay * 2, 10.0)


def pause(seconds: float) -> None:
    time.sleep(seconds)


def first_line(error: BaseException) -> str:
    """An error's message on one line (libpq's run to several)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def context_task_id(context: Any) -> str | None:
    """The id of the task run a ``takes_context`` task was given (None when called bare)."""
    result = getattr(context, "task_result", None)
    return str(result.id) if result is not None else None


# --- Heartbeats and the reaper ----------------------------------------------------------


def heartbeat_beat(*, worker_id: str, queues: str, started_at: datetime.datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"queues": queues[:200], "beat_at": now},
        create_defaults={"queues": queues[:200], "beat_at": now, "started_at": started_at},
    )


def heartbeat_newest_age(now: datetime.datetime | None = None) -> float | None:
    """Seconds since any worker last beat; None when none ever has."""
    now = now or timezone.now()
    newest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True)
    beat_at = newest.first()
    return None if beat_at is None else max(0.0, (now - beat_at).total_seconds())


def tasks_reap(
    *,
    now: datetime.datetime | None = None,
    lease: datetime.timedelta | None = None,
    stale: datetime.timedelta | None = None,
) -> int:
    """Put back in the queue each RUNNING task whose worker is gone; return how many.

    A worker beats from its own thread while it runs a task, so a worker silent for
    ``stale`` has died (or its machine has): its task is queued again at once, as soon as it
    has been running longer than ``stale`` itself (a worker that has just started may not
    have beaten yet). A task that names no worker waits for ``lease``. Safe to run from
    every worker at once; tasks are idempotent (mail tasks record each recipient)."""
    now = now or timezone.now()
    lease = lease or datetime.timedelta(minutes=settings.SPILKA_TASK_LEASE_MINUTES)
    stale = stale or datetime.timedelta(seconds=settings.SPILKA_WORKER_STALE_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(beat_at__gte=now - stale).values_list("worker_id", flat=True)
    )
    reaped = 0
    overdue = DBTaskResult.objects.running().filter(started_at__lt=now - min(stale, lease))
    for pk, started_at, worker_ids, task_path in overdue.values_list(
        "pk", "started_at", "worker_ids", "task_path"
    ):
        if worker_ids and worker_ids[-1] in alive:
            continue  # its worker is still at it: a long task, not a lost one
        if not worker_ids and started_at is not None and started_at >= now - lease:
            continue  # nobody to ask: wait out the lease
        # Only if nobody touched it meanwhile (another reaper, or the task finishing).
        reaped += DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
        ).update(status=TaskResultStatus.READY, started_at=None)
        log.warning("task %s (%s) lost its worker: queued again", pk, task_path)
    # What nobody needs any more: heartbeats of long-gone workers, old mail marks.
    WorkerHeartbeat.objects.filter(beat_at__lt=now - datetime.timedelta(days=1)).delete()
    TaskMailSent.objects.filter(sent_at__lt=now - datetime.timedelta(days=30)).delete()
    return reaped


def tasks_oldest_waiting(now: datetime.datetime | None = None) -> dict[str, float]:
    """Per queue, seconds the longest-waiting task that could run now has waited (since it
    was queued, or since the time it was deferred to)."""

    now = now or timezone.now()
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by()
    since: dict[str, datetime.datetime] = {}
    for rows in (
        ready.filter(run_after=get_date_max()).values("queue_name").annotate(t=Min("enqueued_at")),
        ready.filter(run_after__lte=now).values("queue_name").annotate(t=Min("run_after")),
    ):
        for row in rows:
            queue, t = row["queue_name"], row["t"]
            since[queue] = min(t, since.get(queue, t))
    return {queue: max(0.0, (now - t).total_seconds()) for queue, t in since.items()}


def forget_connections() -> None:
    """Drop this thread's database connections (broken ones are reopened on next use)."""
    for connection in connections.all(initialized_only=True):
        with suppress(DatabaseError):
            connection.close()


# --- The loop ---------------------------------------------------------------------------


class Lane(Worker):
    """django-tasks-db's worker loop for some queues, one that outlives database outages."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("batch", False)
        kwargs.setdefault("backend_name", "default")
        kwargs.setdefault("startup_delay", False)
        kwargs.setdefault("max_tasks", None)
        kwargs.setdefault("excluded_queue_names", [])
        super().__init__(**kwargs)
        self.stopped = threading.Event()
        self.failures = 0
        self.current: DBTaskResult | None = None
        self.orphan: str | None = None  # the task running when the database went away

    def stop(self) -> None:
        self.running = False
        self.stopped.set()

    def sleep(self, seconds: float) -> None:
        self.stopped.wait(seconds)

    def run(self) -> None:
        log.info("worker %s serving queues %s", self.worker_id, ",".join(self.queue_names))
        try:
            while self.running:
                ran = self.step()
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                if self.running and not ran:
                    self.sleep(self.interval if not self.failures else self.backoff())
        finally:
            forget_connections()  # this thread's connections

    def backoff(self) -> float:
        return float(min(BACKOFF_MAX_SECONDS, 2 ** (self.failures - 1)))

    def step(self) -> bool:
        """Claim and run one task; False when there was none or the database is down."""
        try:
            close_old_connections()
            if self.orphan:
                self.requeue_orphan()
            task_result = self.claim()
            if task_result is not None:
                self.current = task_result
                self.run_task(task_result)
                self.current = None
                self.retry_if_the_database_failed_it(str(task_result.pk))
            if self.failures:
                log.warning("worker %s: the database answers again", self.worker_id)
            self.failures = 0
            return task_result is not None
        except DATABASE_DOWN as error:
            self.failures += 1
            if self.current is not None:
                self.orphan, self.current = str(self.current.pk), None
            log.error(
                "worker %s: the database is unreachable (%s); retrying in %.0f s",
                self.worker_id,
                error,
                self.backoff(),
            )
            self.forget_connections()
            return False

    def claim(self) -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
            except OperationalError as error:
                if is_locked_database_exception(error):
                    return None
                raise
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def retry_if_the_database_failed_it(self, pk: str) -> None:
        """A task that failed because the database went away mid-run (and came back in time
        for the failure to be recorded) is not a failed task: it runs again, after the
        lane's back-off (tasks are idempotent; mails are marked per recipient)."""
        failed_by = (
            DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.FAILED)
            .values_list("exception_class_path", flat=True)
            .first()
        )
        if not failed_by or failed_by.rsplit(".", 1)[-1] not in DATABASE_DOWN_NAMES:
            return
        DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY,
            started_at=None,
            finished_at=None,
            run_after=timezone.now() + datetime.timedelta(seconds=BACKOFF_MAX_SECONDS),
            exception_class_path="",
            traceback="",
        )
        log.warning(
            "worker %s: task %s failed on a database outage: queued again", self.worker_id, pk
        )

    def requeue_orphan(self) -> None:
        """The task this lane ran when the database went away: whether it finished is not
        known, so it runs again (tasks are idempotent; mails are marked per recipient)."""
        pk, self.orphan = self.orphan, None
        if pk is None:
            return
        count = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        if count:
            log.warning("worker %s: task %s queued again after the outage", self.worker_id, pk)

    def forget_connections(self) -> None:
        forget_connections()


# What other apps run on the worker's timer (every heartbeat) and at its start, registered
# in their AppConfig.ready: the sign intake's drain timer and its persistence check.
_tick_hooks: list[Callable[[], None]] = []
_start_hooks: list[Callable[[], None]] = []


def on_tick(hook: Callable[[], None]) -> None:
    if hook not in _tick_hooks:
        _tick_hooks.append(hook)


def on_start(hook: Callable[[], None]) -> None:
    if hook not in _start_hooks:
        _start_hooks.append(hook)


def _run_hooks(hooks: list[Callable[[], None]]) -> None:
    for hook in hooks:
        try:
            hook()
        except Exception:  # one failing hook must not stop the heartbeat
            log.exception("worker hook %s failed", getattr(hook, "__qualname__", hook))


class Keeper:
    """A worker process's heartbeat, and the reaper run every ``reap_seconds``."""

    def __init__(self, *, worker_id: str, queues: str) -> None:
        self.worker_id = worker_id
        self.queues = queues
        self.started_at = timezone.now()
        self.stopped = threading.Event()
        self.beat_seconds = float(settings.SPILKA_WORKER_HEARTBEAT_SECONDS)
        self.reap_seconds = float(settings.SPILKA_TASK_REAP_SECONDS)
        self._since_reap = self.reap_seconds  # reap once at start

    def tick(self) -> None:
        try:
            close_old_connections()
            heartbeat_beat(worker_id=self.worker_id, queues=self.queues, started_at=self.started_at)
            self._since_reap += self.beat_seconds
            if self._since_reap >= self.reap_seconds:
                self._since_reap = 0.0
                tasks_reap()
            _run_hooks(_tick_hooks)
        except DatabaseError as error:
            log.error("worker %s: heartbeat not recorded (%s)", self.worker_id, error)
            forget_connections()

    def run(self) -> None:
        _run_hooks(_start_hooks)
        try:
            while not self.stopped.is_set():
                self.tick()
                self.stopped.wait(self.beat_seconds)
        finally:
            forget_connections()
