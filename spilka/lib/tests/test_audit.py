"""The audit log: written inside the change's transaction, with JSON-safe before/after."""

from __future__ import annotations

import datetime
import decimal
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from spilka.lib.audit import audit_record, changed_fields, snapshot
from spilka.lib.models import AuditEntry
from spilka.network.models import Organisation, Person


@pytest.fixture
def actor(db):
    return get_user_model().objects.create_user("auditor@spilka.test", "unused password 123")


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_is_refused():
    user = get_user_model().objects.create_user("outside@spilka.test", "unused password 123")
    with pytest.raises(RuntimeError, match="transaction.atomic"):
        audit_record(actor=user, action="test.thing.changed", obj=user)
    assert not AuditEntry.objects.filter(action="test.thing.changed").exists()


@pytest.mark.django_db(transaction=True)
def test_audit_record_inside_a_transaction_is_written():
    user = get_user_model().objects.create_user("inside@spilka.test", "unused password 123")
    with transaction.atomic():
        audit_record(actor=user, action="test.thing.changed", obj=user)
    assert AuditEntry.objects.filter(action="test.thing.changed").count() == 1


def test_audit_record_writes_who_what_and_the_json_safe_states(actor):
    target = get_user_model().objects.create_user("target@spilka.test", "unused password 123")
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    with transaction.atomic():
        entry = audit_record(
            actor=actor,
            action="accounts.user.changed",
            obj=target,
            before={"since": datetime.date(2024, 1, 2), "amount": decimal.Decimal("12.50")},
            after={
                "since": datetime.date(2024, 3, 4),
                "amount": decimal.Decimal("0.10"),
                "at": datetime.datetime(2024, 3, 4, 5, 6, 7, tzinfo=datetime.UTC),
                "ref": ident,
                "tags": ("a", "b"),
                "who": actor,
            },
        )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor == actor
    assert entry.actor_label == "auditor@spilka.test"
    assert entry.action == "accounts.user.changed"
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(target.pk)
    assert entry.object_repr == str(target)
    assert entry.organisation is None
    assert entry.before == {"since": "2024-01-02", "amount": "12.50"}
    assert entry.after == {
        "since": "2024-03-04",
        "amount": "0.10",
        "at": "2024-03-04T05:06:07+00:00",
        "ref": "12345678-1234-5678-1234-567812345678",
        "tags": ["a", "b"],
        "who": actor.pk,
    }
    assert entry.created_at is not None


def test_audit_record_keeps_a_label_for_a_non_user_actor(actor):
    with transaction.atomic():
        entry = audit_record(actor="test setup", action="test.system.ran", obj=actor)
    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.actor_label == "test setup"
    assert entry.before is None
    assert entry.after is None


def test_a_cross_organisation_change_is_filed_under_every_organisation_involved(actor, demo):
    usc, razem = demo["ukraine-solidarity-campaign"], demo["razem"]
    with transaction.atomic():
        entry = audit_record(
            actor=actor,
            action="test.link.made",
            obj=actor,
            organisation=usc,
            also=[razem, usc, None],
            after={"linked": True},
        )
    rows = AuditEntry.objects.filter(action="test.link.made")
    assert entry.organisation == usc
    assert sorted(rows.values_list("organisation__slug", flat=True)) == sorted([usc.slug, "razem"])
    assert {(row.actor_label, row.object_id, str(row.after)) for row in rows} == {
        (actor.get_username(), str(actor.pk), "{'linked': True}")
    }


def test_audit_record_without_an_actor_says_system(actor):
    with transaction.atomic():
        entry = audit_record(actor=None, action="test.system.ran", obj=actor)
    assert entry.actor_label == "system"


def test_snapshot_leaves_out_automatic_timestamps():
    org = Organisation(
        slug="miners",
        name={"en": "Miners"},
        kind="trade_union",
        country="GB",
        original_language="en",
        founded_year=1990,
    )
    values = snapshot(org)
    assert "created_at" not in values
    assert "updated_at" not in values
    assert values["slug"] == "miners"
    assert values["name"] == {"en": "Miners"}
    assert values["founded_year"] == 1990
    assert values["parent_id"] is None
    assert values["logo"] is None  # an empty file field
    assert values["country"] == "GB"


def test_snapshot_of_named_fields_only():
    person = Person(full_name="Olena", country="UA", preferred_language="uk")
    assert snapshot(person, ["full_name", "preferred_language"]) == {
        "full_name": "Olena",
        "preferred_language": "uk",
    }


def test_changed_fields_lists_only_the_differences():
    before = {"a": 1, "b": "x"}
    after = {"a": 1, "b": "y", "c": True}
    assert changed_fields(before, after) == {"b": ("x", "y"), "c": (None, True)}


@pytest.mark.django_db
def test_audit_record_many_writes_the_rows_audit_record_would_in_one_statement(
    django_assert_num_queries,
):
    from spilka.lib.audit import audit_record_many

    orgs = [
        Organisation.objects.create(slug=f"many-{n}", name={"en": f"Many {n}"}, country="PL")
        for n in range(3)
    ]
    with transaction.atomic(), django_assert_num_queries(1):
        rows = audit_record_many(
            actor="signer",
            action="test.bulk",
            objs=orgs,
            organisation_of=lambda org: org,
            after_of=lambda org: {"slug": org.slug},
        )
    stored = AuditEntry.objects.filter(action="test.bulk").order_by("object_id")
    assert [(r.organisation_id, r.actor_label, r.after) for r in stored] == [
        (org.pk, "signer", {"slug": org.slug}) for org in orgs
    ]
    assert len(rows) == 3
