from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    ORGANISER = "organiser", _("Organiser")
    LOGISTICS = "logistics", _("Logistics")
    TREASURER = "treasurer", _("Treasurer")
    TRANSLATOR = "translator", _("Translator")
    VIEWER = "viewer", _("Viewer")


class OrganisationRole(models.Model):
    """A user's role in one organisation. Roles do not pass to parents or branches."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_roles"
    )
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "role"]
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="org_role_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


class RoleInvitation(models.Model):
    """A role given to an address with no account yet; it becomes an ``OrganisationRole``
    when an account with this address signs in. Shown to the organisation's admins exactly
    like a grant, so the roles page never says whether an address has an account."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="role_invitations"
    )
    email = models.EmailField(_("email"), max_length=254)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "email", "role"]
        verbose_name = _("role invitation")
        verbose_name_plural = _("role invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email", "role"], name="role_invitation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()} – {self.organisation}"
