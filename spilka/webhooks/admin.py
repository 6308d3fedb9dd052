from django.contrib import admin

from spilka.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "organisation", "active", "paused_at", "consecutive_failures")
    list_filter = ("active",)
    search_fields = ("url", "organisation__slug")
    exclude = ("secret", "previous_secret")
    readonly_fields = ("created_by", "created_at", "updated_at")


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("started_at", "duration_ms", "status_code", "error", "response_excerpt")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "event", "endpoint", "status", "attempts", "created_at")
    list_filter = ("status", "event")
    readonly_fields = ("id", "endpoint", "event", "payload", "created_at", "delivered_at")
    inlines = [AttemptInline]
