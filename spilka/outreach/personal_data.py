"""Personal data outreach holds (supporters, pending sign-ups, import files), for
data-subject export and erasure. Registered in ``OutreachConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from spilka.lib.personal_data import personal_data_register
from spilka.outreach.models import (
    ImportStatus,
    InboundMailEvent,
    PendingSignup,
    Supporter,
    SupporterImport,
    SupporterStatus,
)
from spilka.outreach.services.bounces import address_hash
from spilka.outreach.services.counts import supporter_counts_change


def export_supporters(email: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for s in (
        Supporter.objects.filter(email=email)
        .select_related("organisation")
        .prefetch_related("tags", "lists", "actions", "consents")
    ):
        records.append(
            {
                "organisation": s.organisation.display_name,
                "email": s.email,
                "name": s.name,
                "phone": s.phone,
                "language": s.language,
                "country": str(s.country or ""),
                "status": s.status,
                "added": s.created_at.isoformat(),
                "tags": [t.name for t in s.tags.all()],
                "lists": [sl.name for sl in s.lists.all()],
                "actions": [
                    {"kind": a.kind, "about": a.object_label, "when": a.occurred_at.isoformat()}
                    for a in s.actions.all()
                ],
                "consents": [
                    {
                        "granted": c.granted,
                        "wording": c.wording,
                        "source": c.source,
                        "when": c.recorded_at.isoformat(),
                    }
                    for c in s.consents.all()
                ],
            }
        )
    for p in PendingSignup.objects.filter(email=email).select_related("organisation"):
        records.append(
            {
                "organisation": p.organisation.display_name,
                "unconfirmed_signup": True,
                "email": p.email,
                "name": p.name,
                "when": p.created_at.isoformat(),
            }
        )
    return records


@transaction.atomic
def erase_supporters(email: str) -> int:
    """Anonymise in place: the history (what was done, when) stays counted; who did it goes.
    The row stays unsubscribed, so an old file re-imported later starts a new record."""
    count = 0
    # One organisation at a time, in id order: the supporter row, then its counts (the lock
    # order of docs/outreach.md, "Supporter counts"). An address is one row per organisation.
    ids = Supporter.objects.filter(email=email).order_by("organisation_id", "pk")
    for supporter_id in list(ids.values_list("pk", flat=True)):
        supporter = Supporter.objects.select_for_update().filter(pk=supporter_id).first()
        if supporter is None or supporter.email != email:
            continue  # merged away or erased meanwhile
        before = supporter.status
        supporter.email = f"erased-{supporter.pk}@invalid.invalid"
        supporter.name = ""
        supporter.phone = ""
        supporter.country = ""
        supporter.status = SupporterStatus.UNSUBSCRIBED
        supporter.save(update_fields=["email", "name", "phone", "country", "status"])
        supporter_counts_change([(supporter.organisation_id, before, supporter.status)])
        supporter.tags.clear()
        supporter.lists.clear()
        count += 1
    count += PendingSignup.objects.filter(email=email).delete()[0]
    # An import file not yet run that mentions the address is dropped whole.
    count += (
        SupporterImport.objects.filter(Q(content__icontains=email))
        .exclude(status__in=[ImportStatus.RUNNING])
        .update(content="", status=ImportStatus.FAILED)
    )
    return count


def _task_results_mentioning(email: str) -> Any:
    """django-tasks-db results whose arguments, return value or traceback quote the address
    (``send_email`` keeps ``to``, subject and body in its arguments)."""
    return DBTaskResult.objects.filter(
        Q(args_kwargs__icontains=email)
        | Q(return_value__icontains=email)
        | Q(traceback__icontains=email)
    )


def export_task_results(email: str) -> list[dict[str, Any]]:
    """Background jobs (mostly mail) kept about the address: what ran and when, not the
    message itself (the mail was sent to the person)."""
    return [
        {"job": row.task_path, "status": row.status, "when": row.enqueued_at.isoformat()}
        for row in _task_results_mentioning(email).order_by("enqueued_at")
    ]


def erase_task_results(email: str) -> int:
    """Delete every job record quoting the address, except one a worker is running now
    (it finishes, and its record goes with the next retention run or request): a finished
    job is only a log, and a waiting one would mail someone who asked to be forgotten."""
    return _task_results_mentioning(email).exclude(status=TaskResultStatus.RUNNING).delete()[0]


def export_bounce_reports(email: str) -> list[dict[str, Any]]:
    """Providers' reports that mail to the address bounced or was marked as spam."""

    return [
        {
            "provider": row.provider,
            "kind": row.kind,
            "reason": row.reason,
            "when": (row.occurred_at or row.received_at).isoformat(),
        }
        for row in InboundMailEvent.objects.filter(address_hash=address_hash(email))
    ]


def erase_bounce_reports(email: str) -> int:
    return InboundMailEvent.objects.filter(address_hash=address_hash(email)).delete()[0]


def register() -> None:
    personal_data_register("outreach.supporters", export=export_supporters, erase=erase_supporters)
    personal_data_register(
        "outreach.bounce_reports", export=export_bounce_reports, erase=erase_bounce_reports
    )
    personal_data_register(
        "django_tasks_db.results", export=export_task_results, erase=erase_task_results
    )
