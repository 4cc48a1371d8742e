"""Webhook endpoints (where to send) and deliveries (one event to one endpoint, with its log)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q


class EventType(models.TextChoices):
    ARTICLE_EXTRACTED = "article.extracted", "Article extracted"
    CLAIM_ACCEPTED = "claim.accepted", "Claim accepted"
    CLAIM_ASSIGNED = "claim.assigned", "Claim assigned"
    RULING_SUBMITTED = "ruling.submitted", "Ruling submitted"
    RULING_APPROVED = "ruling.approved", "Ruling approved"
    RULING_PUBLISHED = "ruling.published", "Ruling published"
    RULING_CORRECTED = "ruling.corrected", "Ruling corrected"


# Subscribing to "*" means every event type, including ones added later.
ALL_EVENTS = "*"
PING = "ping"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A receiver registered by an editor or an admin.

    The secret is stored as it is, not hashed: signing needs the secret itself (an HMAC cannot
    be computed from a hash of its key), and the owner must be able to read it again to
    configure a receiver. It is shown only to its owner and to admins."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=2000, help_text="http or https; no user name or password in it.")
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text='Event types to send, or ["*"] for all of them.')
    secret = models.CharField(max_length=80, default=new_secret, editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Every workflow event asks for the active endpoints (enqueue_for_event).
            models.Index(fields=["active"], name="webhook_endpoint_active"),
        ]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return ALL_EVENTS in self.events or event_type in self.events


class WebhookDelivery(models.Model):
    """One event for one endpoint: its payload, its state, and what the last attempt got back."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERING = "delivering", "Delivering"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40)
    # What makes the delivery unique per endpoint: "event:<Event id>" or "ping:<random>".
    event_key = models.CharField(max_length=64)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when the running attempt started
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    response_excerpt = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            # A repeated event (a re-run hook, a retried transaction) enqueues once per endpoint.
            models.UniqueConstraint(fields=["endpoint", "event_key"], name="webhook_delivery_once"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "delivering", "succeeded", "failed"]),
                name="webhook_delivery_status",
            ),
        ]
        indexes = [
            # The sweep: pending deliveries that are due, and attempts left behind by a dead worker.
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            # An endpoint's delivery log, newest first.
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} -> {self.endpoint_id} ({self.status})"
