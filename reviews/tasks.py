"""Background jobs of the workflow: small adapters that take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(time_limit=60, soft_time_limit=50, autoretry_for=(OSError,), retry_backoff=True, max_retries=4)
def send_notification(notification_id: int) -> bool:
    """Send one e-mail; a connection error is retried with backoff, then left to the sweep."""
    return services.notification_send(notification_id=notification_id)


@shared_task(time_limit=300, soft_time_limit=240)
def send_due_reminders() -> int:
    return services.due_reminders_send()


@shared_task(time_limit=60, soft_time_limit=50)
def sweep_unsent_notifications() -> int:
    ids = list(services.unsent_notifications()[:500])
    for notification_id in ids:
        send_notification.delay(notification_id)
    return len(ids)
