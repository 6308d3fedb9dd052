"""Mail goes through the real task queue: enqueued after commit, sent by the db_worker."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from spilka.lib.mail import email_send_after_commit

# The worker closes database connections as it goes: no test-wide transaction here.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }


def test_mail_waits_in_the_queue_until_the_worker_sends_it(
    database_tasks, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email_send_after_commit(
            to=["olena@usc.example"], subject="Welcome", body="Confirm here: http://x/"
        )
        assert DBTaskResult.objects.count() == 0  # nothing before commit

    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert mail.outbox == []

    call_command(
        "db_worker",
        "--batch",
        "--queue-name",
        "*",
        "--no-startup-delay",
        "--no-reload",
        verbosity=0,
    )

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Welcome"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
