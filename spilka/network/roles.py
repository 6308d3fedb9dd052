"""Roles given by email address: a grant for an account, an invitation for an address
without one, and the same answer, the same work and the same audit row either way.

Only a mail to the address itself says which it was, so an organisation's admins cannot use
the roles form to learn whether someone has an account on this instance.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from spilka.lib.audit import audit_record
from spilka.lib.mail import email_send_after_commit
from spilka.network.models import Organisation, OrganisationRole, Role, RoleInvitation
from spilka.network.normalise import normalise_email
from spilka.network.services.role_grants import role_grant


def _active_user(email: str) -> Any:
    return get_user_model().objects.filter(email__iexact=email, is_active=True).first()


def _mail(*, to: str, template: str, context: dict[str, Any], language: str) -> None:
    with translation.override(language):
        subject = " ".join(
            render_to_string(f"network/email/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"network/email/{template}.txt", context)
    email_send_after_commit(to=[to], subject=subject, body=body)


@transaction.atomic
def role_give(
    *, by: Any, organisation: Organisation, email: str, role: str, language: str = "en"
) -> None:
    """Give ``role`` in ``organisation`` to whoever uses ``email``."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    email = normalise_email(email)
    user = _active_user(email)
    if user is not None:
        _grant, created = OrganisationRole.objects.get_or_create(
            user=user, organisation=organisation, role=role
        )
    else:
        _invitation, created = RoleInvitation.objects.get_or_create(
            organisation=organisation,
            email=email,
            role=role,
            defaults={"invited_by": by if getattr(by, "is_authenticated", False) else None},
        )
    if created:
        # The same row for an account and for an invitation: the audit log is read by the
        # organisation's admins too.
        audit_record(
            actor=by,
            action="network.role.granted",
            obj=organisation,
            organisation=organisation,
            after={"email": email, "role": role},
        )
    _mail(
        to=email,
        template="role_granted" if user is not None else "role_invited",
        context={"organisation": organisation, "role": Role(role).label},
        language=language,
    )


@transaction.atomic
def role_take_back(*, by: Any, organisation: Organisation, email: str, role: str) -> bool:
    """Revoke a role given to ``email`` (a grant or an invitation); False if none."""
    email = normalise_email(email)
    invited = RoleInvitation.objects.filter(organisation=organisation, email=email, role=role)
    given: RoleInvitation | OrganisationRole | None = invited.first() or (
        OrganisationRole.objects.select_for_update()
        .filter(organisation=organisation, role=role, user__email__iexact=email)
        .first()
    )
    if given is None:
        return False
    if isinstance(given, OrganisationRole) and role == Role.ADMIN:
        admins = OrganisationRole.objects.select_for_update().filter(
            organisation=organisation, role=Role.ADMIN
        )
        if admins.count() <= 1:
            raise ValidationError(_("An organisation needs at least one administrator."))
    audit_record(
        actor=by,
        action="network.role.revoked",
        obj=organisation,
        organisation=organisation,
        before={"email": email, "role": role},
    )
    given.delete()
    return True


@transaction.atomic
def role_invitations_claim(*, user: Any) -> int:
    """Turn the invitations to this account's address into roles (on signing in)."""
    invitations = list(
        RoleInvitation.objects.select_for_update()
        .select_related("organisation")
        .filter(email__iexact=user.email)
    )
    for invitation in invitations:
        role_grant(
            by="invitation", user=user, organisation=invitation.organisation, role=invitation.role
        )
        invitation.delete()
    return len(invitations)


def roles_listed(organisation: Organisation) -> list[dict[str, str]]:
    """The roles page's rows: grants and invitations alike, ``{"email", "role", "label"}``."""
    rows = [
        {"email": email, "role": role}
        for email, role in OrganisationRole.objects.filter(organisation=organisation).values_list(
            "user__email", "role"
        )
    ]
    rows += [
        {"email": email, "role": role}
        for email, role in RoleInvitation.objects.filter(organisation=organisation).values_list(
            "email", "role"
        )
    ]
    for row in rows:
        row["label"] = str(Role(row["role"]).label)
    return sorted(rows, key=lambda row: (row["email"].lower(), row["role"]))
