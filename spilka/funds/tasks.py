from __future__ import annotations

from django_tasks import task


@task()
def import_statement(*, batch_id: int, user_id: int) -> str:
    """Import a large bank statement; idempotent (a second delivery finds it already run)."""
    from django.contrib.auth import get_user_model

    from spilka.funds.services.imports import import_run

    user = get_user_model().objects.get(pk=user_id)
    return import_run(batch_id=batch_id, by=user).status
