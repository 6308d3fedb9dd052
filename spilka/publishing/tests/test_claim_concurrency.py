"""Eight volunteers claim one task at the same moment on PostgreSQL: exactly one wins."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from spilka.lib.testing import run_in_threads, user_with_roles
from spilka.publishing.models import TaskState
from spilka.publishing.services import publications as publication_services
from spilka.publishing.services import translation as services
from spilka.publishing.tests.conftest import task_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrency need PostgreSQL (CI runs it)",
    ),
]

THREADS = 8


def test_of_eight_volunteers_claiming_one_task_at_once_exactly_one_wins(demo):
    ussc = demo["ussc"]
    volunteers = [
        user_with_roles(f"v{n}@ussc.test", [(ussc, "translator")]) for n in range(THREADS)
    ]
    publication = publication_services.publication_create(
        by="test",
        organisation=ussc,
        slug="race",
        title={"en": "Race"},
        body={"en": "Text"},
        status="published",
    )
    task = task_for(publication, "pl")

    def runner(n):
        try:
            services.translation_claim(task=task, by=volunteers[n])
        except ValidationError:
            return "lost"
        return "won"

    outcomes = run_in_threads(runner, THREADS)
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert outcomes.count("won") == 1
    assert outcomes.count("lost") == THREADS - 1
    task.refresh_from_db()
    assert task.state == TaskState.CLAIMED
    assert task.claimed_by == volunteers[outcomes.index("won")]
