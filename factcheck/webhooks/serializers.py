"""API shapes of webhook endpoints and deliveries. Input serializers check types only; the
rules (URL, event names, who may) run in factcheck/webhooks/services.py."""

from rest_framework import serializers

from factcheck.api import StrictCharField

from .models import ALL_EVENTS, EventType, WebhookDelivery, WebhookEndpoint

EVENT_CHOICES = [ALL_EVENTS, *EventType.values]


class WebhookEndpointSerializer(serializers.ModelSerializer):
    """An endpoint as listed: without its secret."""

    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_CHOICES))

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "description", "events", "active", "owner", "created_at", "updated_at"]
        read_only_fields = fields


class WebhookEndpointSecretSerializer(WebhookEndpointSerializer):
    """One endpoint, with the secret that signs its deliveries (its owner and admins only)."""

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookEndpointCreateSerializer(serializers.Serializer):
    url = StrictCharField(help_text="http or https; no user name or password in it.")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_CHOICES),
        allow_empty=False,
        help_text='Event types to receive, or ["*"] for all of them.',
    )
    description = StrictCharField(required=False, allow_blank=True)
    active = serializers.BooleanField(default=True)


class WebhookEndpointUpdateSerializer(WebhookEndpointCreateSerializer):
    url = StrictCharField(required=False, help_text="http or https; no user name or password in it.")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_CHOICES), allow_empty=False, required=False
    )
    active = serializers.BooleanField(required=False)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
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
            "payload",
        ]
        read_only_fields = fields
