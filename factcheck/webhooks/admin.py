"""Webhooks in the admin console: endpoints (registered for any user, through the services) and
the delivery log (read-only, with a redeliver action)."""

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from factcheck.admin import ReadOnlyAdminMixin, run_service_action

from . import services
from .models import ALL_EVENTS, EventType, WebhookDelivery, WebhookEndpoint
from .validation import clean_endpoint_url, clean_events


class WebhookEndpointForm(forms.ModelForm):
    url = forms.CharField(max_length=2000, help_text="http or https; no user name or password in it.")
    events = forms.MultipleChoiceField(
        choices=[(ALL_EVENTS, "All events"), *EventType.choices], widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["owner", "url", "description", "events", "active"]

    def _django_rule(self, cleaner, field: str):
        try:
            return cleaner(self.cleaned_data.get(field))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get(field, exc.messages)) from None

    def clean_url(self):
        return self._django_rule(clean_endpoint_url, "url")

    def clean_events(self):
        return self._django_rule(clean_events, "events")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("url", "owner", "events_list", "active", "created_at")
    list_filter = ("active",)
    list_select_related = ("owner",)
    search_fields = ("url", "description", "owner__username")
    readonly_fields = ("secret", "created_at", "updated_at")
    raw_id_fields = ("owner",)
    actions = ["send_ping"]

    def get_readonly_fields(self, request, obj=None):
        # The owner is chosen when the endpoint is registered; the services keep it after.
        return (*self.readonly_fields, "owner") if obj else self.readonly_fields

    @admin.display(description="events")
    def events_list(self, obj: WebhookEndpoint) -> str:
        return "all" if ALL_EVENTS in obj.events else ", ".join(obj.events)

    def save_model(self, request, obj, form, change):
        # Through the services, like the API: one path for the rules.
        data = {name: form.cleaned_data[name] for name in ("url", "events", "description", "active")}
        if change:
            services.endpoint_update(endpoint=obj, actor=request.user, **data)
        else:
            created = services.endpoint_create(actor=request.user, owner=form.cleaned_data["owner"], **data)
            obj.pk, obj.secret = created.pk, created.secret

    @admin.action(description="Send a test ping")
    def send_ping(self, request, queryset):
        run_service_action(
            self, request, queryset, lambda e: services.endpoint_ping(endpoint=e, actor=request.user), done="pinged"
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "event_type", "endpoint", "status", "attempts", "response_code", "duration_ms")
    list_filter = ("status", "event_type", "endpoint")
    list_select_related = ("endpoint",)
    search_fields = ("event_key",)
    actions = ["redeliver"]
    fields = (
        "endpoint",
        "event_type",
        "event_key",
        "status",
        "attempts",
        "next_attempt_at",
        "response_code",
        "last_error",
        "response_excerpt",
        "duration_ms",
        "delivered_at",
        "created_at",
        "updated_at",
        "payload_json",
    )
    readonly_fields = fields

    @admin.display(description="payload")
    def payload_json(self, obj: WebhookDelivery) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, indent=2, ensure_ascii=False))

    @admin.action(description="Redeliver (same payload, fresh attempts)")
    def redeliver(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset.select_related("endpoint"),
            lambda d: services.delivery_redeliver(delivery=d, actor=request.user),
            done="queued again",
        )
