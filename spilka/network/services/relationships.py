"""Relationships between organisations: recorded by one side, confirmed by the other."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from spilka.lib.audit import audit_record, snapshot
from spilka.network.access import WRITE_ROLES, has_role
from spilka.network.models import Organisation, Relationship, RelationshipKind
from spilka.network.selectors import organisations_check_pickable

__all__ = ["relationship_confirm", "relationship_create", "relationship_delete"]


@transaction.atomic
def relationship_create(
    *,
    by: Any,
    source: Organisation,
    target: Organisation,
    kind: str,
    since_year: int | None = None,
    started_on: Any = None,
    ended_on: Any = None,
    note: dict[str, str] | None = None,
    evidence_url: str = "",
    confirmed: bool | None = None,
) -> Relationship:
    """Record that ``source`` stands in ``kind`` to ``target``.

    It is confirmed (and shown publicly) at once only when ``by`` also administers the
    target, or is a superuser; otherwise the target's administrators accept it with
    ``relationship_confirm``. Callers acting for the system (the demo) pass ``confirmed``.
    """
    if confirmed is None:
        confirmed = has_role(by, target, WRITE_ROLES)
    if kind not in RelationshipKind.values:
        raise ValidationError({"kind": _("Choose a kind of relationship.")})

    organisations_check_pickable(
        user=by, organisations=[target], field="target", purpose="relationship"
    )
    rel = Relationship(
        source=source,
        target=target,
        kind=kind,
        since_year=since_year,
        started_on=started_on,
        ended_on=ended_on,
        note=note or {},
        evidence_url=evidence_url,
        confirmed=confirmed,
    )
    if source.pk == target.pk:
        raise ValidationError(
            {"target": _("An organisation cannot have a relationship with itself.")}
        )
    rel.full_clean()
    try:
        with transaction.atomic():
            rel.save()
    except IntegrityError:
        raise ValidationError(_("This relationship is already recorded.")) from None
    audit_record(
        actor=by,
        action="network.relationship.created",
        obj=rel,
        organisation=source,
        after=snapshot(rel),
    )
    return rel


@transaction.atomic
def relationship_confirm(*, relationship: Relationship, by: Any) -> Relationship:
    """The target organisation accepts a relationship the source recorded."""
    rel = Relationship.objects.select_for_update().get(pk=relationship.pk)
    if rel.confirmed:
        return rel
    rel.confirmed = True
    rel.save(update_fields=["confirmed"])
    audit_record(
        actor=by,
        action="network.relationship.confirmed",
        obj=rel,
        organisation=rel.target,
        before={"confirmed": False},
        after={"confirmed": True},
    )
    return rel


@transaction.atomic
def relationship_delete(*, relationship: Relationship, by: Any) -> None:
    before = snapshot(relationship)
    audit_record(
        actor=by,
        action="network.relationship.deleted",
        obj=relationship,
        organisation=relationship.source,
        before=before,
    )
    relationship.delete()
