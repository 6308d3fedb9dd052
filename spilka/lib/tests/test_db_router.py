"""The replica router reads only public directory tables from the replica."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session

from spilka.lib.db_router import PrimaryReplicaRouter
from spilka.lib.models import AuditEntry

router = PrimaryReplicaRouter()


@pytest.mark.parametrize("name", ["Organisation", "Relationship", "WorkingGroup"])
def test_public_directory_tables_are_read_from_the_replica(name):
    assert router.db_for_read(apps.get_model("network", name)) == "replica"


@pytest.mark.parametrize(
    "name", ["OrganisationRole", "Person", "PersonEmail", "Membership", "Consent"]
)
def test_roles_and_people_are_always_read_from_the_primary(name):
    # A lagging replica must not show a person after the role that allowed it was revoked.
    assert router.db_for_read(apps.get_model("network", name)) == "default"


def test_working_group_members_are_read_from_the_primary():
    through = apps.get_model("network", "WorkingGroup").people.through
    assert router.db_for_read(through) == "default"


@pytest.mark.parametrize("model", [Session, AuditEntry])
def test_sessions_and_audit_are_read_from_the_primary(model):
    assert router.db_for_read(model) == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary():
    from django.db import transaction

    with transaction.atomic():
        assert router.db_for_read(apps.get_model("network", "Organisation")) == "default"


def test_writes_go_to_the_primary():
    assert router.db_for_write(apps.get_model("network", "Organisation")) == "default"
