"""Roles held by accounts in an organisation (by address and invitation: network/roles.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from spilka.lib.audit import audit_record
from spilka.network.models import Organisation, OrganisationRole, Role

__all__ = ["role_grant", "role_revoke"]


@transaction.atomic
def role_grant(*, by: Any, user: Any, organisation: Organisation, role: str) -> OrganisationRole:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    grant, created = OrganisationRole.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if created:
        audit_record(
            actor=by,
            action="network.role.granted",
            obj=grant,
            organisation=organisation,
            after={"user": user.get_username(), "role": role},
        )
    return grant


@transaction.atomic
def role_revoke(*, by: Any, grant: OrganisationRole) -> None:
    if grant.role == Role.ADMIN:
        admins = OrganisationRole.objects.select_for_update().filter(
            organisation=grant.organisation, role=Role.ADMIN
        )
        if admins.count() <= 1:
            raise ValidationError(_("An organisation needs at least one administrator."))
    audit_record(
        actor=by,
        action="network.role.revoked",
        obj=grant,
        organisation=grant.organisation,
        before={"user": grant.user.get_username(), "role": grant.role},
    )
    grant.delete()
