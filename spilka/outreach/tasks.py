from __future__ import annotations

from django_tasks import task


@task()
def import_run_task(*, import_id: int) -> int:
    from spilka.outreach.services.imports import import_run

    return import_run(import_id=import_id).processed_rows


# A mailing to thousands takes a long while: it runs on the default queue, so the mail lane
# (password resets, confirmations) never waits behind it. Each recipient is marked as sent.
@task(queue_name="default")
def mailing_send_task(*, mailing_id: int) -> int:
    from spilka.outreach.services.mailings import mailing_send_run

    return mailing_send_run(mailing_id=mailing_id).sent_count


@task()
def retention_task() -> dict[str, int]:
    from spilka.outreach.services.retention import retention_run

    return retention_run()
