"""Background jobs of the webhooks: small adapters that take ids and call a service."""

from celery import shared_task
from django.conf import settings

from . import services


# The hard limit bounds an attempt whatever the receiver does (a slow drip of bytes resets the
# socket timeout); the soft limit ends it first, as a transient error that is retried.
@shared_task(
    time_limit=settings.WEBHOOK_TIMEOUT_SECONDS * 2 + 30,
    soft_time_limit=settings.WEBHOOK_TIMEOUT_SECONDS * 2 + 20,
)
def deliver_webhook(delivery_id: int) -> str | None:
    """One attempt at one delivery. Safe to run twice: the service claims the row first."""
    return services.delivery_send(delivery_id=delivery_id)


@shared_task(time_limit=60, soft_time_limit=50)
def sweep_webhook_deliveries() -> int:
    """Re-enqueue deliveries whose message the broker lost, and attempts a dead worker left."""
    ids = services.deliveries_to_sweep()
    for delivery_id in ids:
        deliver_webhook.delay(delivery_id)
    return len(ids)
