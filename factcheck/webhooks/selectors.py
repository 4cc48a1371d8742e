"""Reads of the webhooks app: who sees which endpoints and deliveries."""

from django.db.models import QuerySet

from factcheck import roles

from .models import WebhookDelivery, WebhookEndpoint


def endpoints_visible_to(user) -> QuerySet[WebhookEndpoint]:
    """Admins see every endpoint; editors their own; anyone else none."""
    qs = WebhookEndpoint.objects.select_related("owner")
    if roles.is_admin(user):
        return qs
    if roles.is_editor(user):
        return qs.filter(owner=user)
    return qs.none()


def deliveries_visible_to(user) -> QuerySet[WebhookDelivery]:
    qs = WebhookDelivery.objects.select_related("endpoint")
    if roles.is_admin(user):
        return qs
    if roles.is_editor(user):
        return qs.filter(endpoint__owner=user)
    return qs.none()


def endpoint_deliveries(
    endpoint: WebhookEndpoint, *, status: str | None = None, event_type: str | None = None
) -> QuerySet[WebhookDelivery]:
    """An endpoint's delivery log, newest first (index webhook_delivery_log)."""
    qs = endpoint.deliveries.order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    if event_type:
        qs = qs.filter(event_type=event_type)
    return qs
