"""E-mail notifications: written in the transaction of the change that causes them, sent by
a Celery task after commit, each occasion to each person at most once."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from articles.models import Claim

from ..models import Notification
from ..workflow import OPEN_STATES

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
Kind = Notification.Kind


def claim_url(claim: Claim) -> str:
    return settings.SITE_URL + reverse("claim-detail", args=[claim.pk])


def _enqueue(notification_id: int) -> None:
    from ..tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception:
        logger.warning("Could not enqueue notification %s; the sweep will send it", notification_id, exc_info=True)


def notify(*, recipient, kind: str, key: str, claim: Claim | None, subject: str, body: str) -> Notification | None:
    """Record one notification and send it after commit. A second call for the same
    (recipient, kind, key) is a no-op: each occasion notifies each person once."""
    if recipient is None or not recipient.is_active or not recipient.email:
        return None
    try:
        with transaction.atomic():  # a savepoint: a duplicate must not break the caller's transaction
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, key=key, claim=claim, subject=subject[:200], body=body
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _enqueue(notification.pk), robust=True)
    return notification


def notification_send(*, notification_id: int) -> bool:
    """Send one notification. Claim-then-act: mark it sent with a conditional UPDATE first, so
    two workers never both send it; on a mail error, release it for a bounded retry."""
    claimed = Notification.objects.filter(pk=notification_id, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_mail(notification.subject, notification.body, None, [notification.recipient.email])
    except Exception as exc:
        Notification.objects.filter(pk=notification_id).update(
            sent_at=None, attempts=notification.attempts + 1, error=f"{type(exc).__name__}: {exc}"[:1000]
        )
        raise
    return True


def unsent_notifications(*, older_than: datetime.timedelta = datetime.timedelta(minutes=2)) -> QuerySet:
    """Notifications the broker lost (or whose sending failed), for the periodic sweep."""
    return Notification.objects.filter(
        sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, created_at__lt=timezone.now() - older_than
    ).values_list("pk", flat=True)


def due_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind each assignee once per due date of open claims due within DUE_REMINDER_HOURS."""
    now = now or timezone.now()
    horizon = timezone.localdate(now + datetime.timedelta(hours=settings.DUE_REMINDER_HOURS))
    claims = (
        Claim.objects.filter(due_date__isnull=False, due_date__lte=horizon, status__in=OPEN_STATES)
        .exclude(assignee=None)
        .select_related("assignee", "article")
        .only("pk", "text", "due_date", "assignee", "article__title")
    )
    sent = 0
    for claim in claims:
        overdue = claim.due_date < timezone.localdate(now)
        with transaction.atomic():
            created = notify(
                recipient=claim.assignee,
                kind=Kind.DUE_SOON,
                key=f"due:{claim.pk}:{claim.due_date.isoformat()}",
                claim=claim,
                subject=f"{'Overdue' if overdue else 'Due soon'}: claim {claim.pk} (due {claim.due_date:%d %b %Y})",
                body=(
                    f"{claim.text}\n\nFrom: {claim.article.title}\n"
                    f"Due: {claim.due_date:%d %b %Y}\n\n{claim_url(claim)}\n"
                ),
            )
        sent += created is not None
    return sent
