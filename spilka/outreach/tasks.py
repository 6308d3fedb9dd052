"""Background work for outreach. Imports and mailings are defined beside the services they
run; this module names them under the path jobs already queued were stored with."""

from __future__ import annotations

from django_tasks import task

from spilka.outreach.services.imports import import_run_task
from spilka.outreach.services.mailings import mailing_send_task
from spilka.outreach.services.retention import retention_run

__all__ = ["import_run_task", "mailing_send_task", "retention_task"]


@task()
def retention_task() -> dict[str, int]:
    return retention_run()
