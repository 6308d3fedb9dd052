"""The audit log: one call per change, inside the service's transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from spilka.lib.models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj``, fit for the ``before``/``after`` columns."""
    # Timestamps the database sets itself are noise in a diff.
    names = (
        list(fields)
        if fields is not None
        else [
            f.attname
            for f in obj._meta.concrete_fields
            if not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
            # Derived, non-editable columns (search indexes) are noise too; the key is kept.
            and (f.editable or f.primary_key)
        ]
    )
    return {name: _jsonable(getattr(obj, name)) for name in names}


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    organisation: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    also: Iterable[Any] = (),
) -> AuditEntry:
    """Write one audit row. Must run inside the transaction that makes the change.

    ``also``: the other organisations a cross-organisation change concerns (a co-organiser
    invited, a lead handed over). Each gets the same row under its own name, so every
    organisation involved finds the change on its own audit page. Returns the row filed
    under ``organisation``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record() must be called inside transaction.atomic().")
    user = actor if getattr(actor, "is_authenticated", False) else None
    fields = {
        "actor": user,
        "actor_label": (user.get_username() if user else (str(actor) if actor else "system"))[:254],
        "action": action,
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "object_repr": str(obj)[:300],
        "before": _jsonable(before) if before is not None else None,
        "after": _jsonable(after) if after is not None else None,
    }
    entry = AuditEntry.objects.create(organisation=organisation, **fields)
    seen = {getattr(organisation, "pk", None)}
    others = []
    for other in also:
        if other is not None and other.pk not in seen:
            seen.add(other.pk)
            others.append(AuditEntry(organisation=other, **fields))
    if others:
        AuditEntry.objects.bulk_create(others)
    return entry


def audit_record_many(
    *,
    actor: Any,
    action: str,
    objs: Iterable[models.Model],
    organisation_of: Any = lambda obj: None,
    after_of: Any = lambda obj: None,
) -> list[AuditEntry]:
    """One audit row per object in ``objs``, written in one statement: the rows
    ``audit_record`` would write one by one (without ``before`` or ``also``), for a service
    that changes many objects of one kind at once. ``organisation_of`` and ``after_of`` give
    each object's organisation (or its id) and ``after`` value."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many() must be called inside transaction.atomic().")
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = (user.get_username() if user else (str(actor) if actor else "system"))[:254]
    rows = []
    for obj in objs:
        organisation = organisation_of(obj)
        after = after_of(obj)
        rows.append(
            AuditEntry(
                actor=user,
                actor_label=label,
                action=action,
                organisation_id=getattr(organisation, "pk", organisation),
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                after=_jsonable(after) if after is not None else None,
            )
        )
    return AuditEntry.objects.bulk_create(rows)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (before.get(k), after.get(k)) for k in after if before.get(k) != after.get(k)}
