"""Admin for staff. Day-to-day edits go through the organisation pages, which audit them."""

from django.contrib import admin

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


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["slug", "short_name", "kind", "country", "is_public"]
    list_filter = ["kind", "country", "is_public"]
    search_fields = ["slug", "short_name", "name"]
    raw_id_fields = ["parent"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        from spilka.network.services import organisation_search_text

        obj.search_text = organisation_search_text(obj)
        super().save_model(request, obj, form, change)


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "target", "since_year"]
    list_filter = ["kind"]
    raw_id_fields = ["source", "target"]


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
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "purpose", "granted", "recorded_at"]
    list_filter = ["purpose", "granted"]
    raw_id_fields = ["person", "organisation"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # consents are append-only


@admin.register(OrganisationRole)
class OrganisationRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    raw_id_fields = ["user", "organisation"]
