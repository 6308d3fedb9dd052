"""Admin for staff. Day-to-day edits go through the organisation pages, which audit them.

What must never change without an audit row is read-only here: organisations (their
pages and services keep the search text and the audit log), relationships (accepted by
the other side on its page), roles (granted and revoked on the roles page) and consents
(append-only: withdrawing is a new decision).
"""

from django.contrib import admin
from django.db import models

from spilka.network.models import (
    Consent,
    Membership,
    Organisation,
    OrganisationRole,
    Person,
    PersonEmail,
    Relationship,
    WorkingGroup,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff may look, not add, change or delete."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["slug", "short_name", "kind", "country", "is_public"]
    list_filter = ["kind", "country", "is_public"]
    search_fields = ["slug", "short_name", "name"]


@admin.register(Relationship)
class RelationshipAdmin(ReadOnlyAdmin):
    list_display = ["source", "kind", "target", "since_year", "confirmed"]
    list_filter = ["kind", "confirmed"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["slug", "network", "is_public"]
    filter_horizontal = ["organisations", "people"]


class PersonEmailInline(admin.TabularInline):
    model = PersonEmail
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "country", "preferred_language"]
    search_fields = ["full_name", "emails__email"]
    inlines = [PersonEmailInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "role_title"]
    raw_id_fields = ["person", "organisation"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["person", "organisation", "purpose", "granted", "recorded_at"]
    list_filter = ["purpose", "granted"]


@admin.register(OrganisationRole)
class OrganisationRoleAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
