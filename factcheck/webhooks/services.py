"""Writes of the webhooks app: endpoints, deliveries created with the events that cause them,
one delivery attempt, redelivery and the sweep.

A delivery is written in the transaction of the change (so a rolled-back change sends nothing)
and its task is enqueued after commit; only the worker ever makes the HTTP request, so a slow
or hanging receiver can never hold up the newsroom's workflow."""

import datetime
import json
import logging
import random
import secrets
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from factcheck import roles
from reviews.models import Event
from reviews.workflow import NotAllowed, WorkflowError

from . import payloads, transport
from .models import PING, EventType, WebhookDelivery, WebhookEndpoint
from .signing import signature
from .validation import clean_description, clean_endpoint_url, clean_events, is_public_host

logger = logging.getLogger(__name__)
Status = WebhookDelivery.Status

# Workflow actions (Event.action) and the webhook event each one sends.
EVENT_TYPES = {
    "article.extracted": EventType.ARTICLE_EXTRACTED,
    "claim.accept": EventType.CLAIM_ACCEPTED,
    "claim.assign": EventType.CLAIM_ASSIGNED,
    "claim.self_assign": EventType.CLAIM_ASSIGNED,
    "claim.submit": EventType.RULING_SUBMITTED,
    "claim.approve": EventType.RULING_APPROVED,
    "claim.publish": EventType.RULING_PUBLISHED,
    "claim.correct": EventType.RULING_CORRECTED,
}

RETRY_CAP_SECONDS = 3600
ERROR_CHARS = 1000


# --- Endpoints ------------------------------------------------------------------------------


def _check_may_manage(actor) -> None:
    if not roles.is_editor(actor):  # admins are editors too
        raise NotAllowed("Only editors and admins can manage webhooks.")


def _check_owner(endpoint: WebhookEndpoint, actor) -> None:
    _check_may_manage(actor)
    if endpoint.owner_id != actor.pk and not roles.is_admin(actor):
        raise NotAllowed("Only its owner or an admin can change this webhook.")


@transaction.atomic
def endpoint_create(
    *, actor, url: str, events: list[str], description: str = "", active: bool = True, owner=None
) -> WebhookEndpoint:
    """Register an endpoint; its secret is generated here. ``owner`` (admins only) registers it
    for someone else, as the admin console does."""
    _check_may_manage(actor)
    if owner is not None and owner.pk != actor.pk and not roles.is_admin(actor):
        raise NotAllowed("Only admins can register webhooks for someone else.")
    return WebhookEndpoint.objects.create(
        owner=owner or actor,
        url=clean_endpoint_url(url),
        events=clean_events(events),
        description=clean_description(description),
        active=bool(active),
    )


@transaction.atomic
def endpoint_update(*, endpoint: WebhookEndpoint, actor, **changes) -> WebhookEndpoint:
    """Change url, events, description or active. Deliveries already made keep their payload."""
    _check_owner(endpoint, actor)
    cleaners = {"url": clean_endpoint_url, "events": clean_events, "description": clean_description, "active": bool}
    unknown = set(changes) - set(cleaners)
    if unknown:
        raise ValueError(f"Unknown endpoint fields: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(endpoint, field, cleaners[field](value))
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: WebhookEndpoint, actor) -> WebhookEndpoint:
    _check_owner(endpoint, actor)
    endpoint.secret = WebhookEndpoint._meta.get_field("secret").default()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: WebhookEndpoint, actor) -> None:
    """Delete the endpoint and its delivery log (a queued task then finds nothing to send)."""
    _check_owner(endpoint, actor)
    endpoint.delete()


@transaction.atomic
def endpoint_ping(*, endpoint: WebhookEndpoint, actor) -> WebhookDelivery:
    """Queue a test delivery of type "ping" (also to an inactive endpoint: that is how one
    checks a receiver before switching it on)."""
    _check_owner(endpoint, actor)
    key = secrets.token_hex(8)
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_type=PING,
        event_key=f"ping:{key}",
        payload=payloads.ping_payload(endpoint, key),
        next_attempt_at=timezone.now(),
    )
    _enqueue_on_commit(delivery.pk)
    return delivery


# --- Deliveries created with events ---------------------------------------------------------


def enqueue_for_event(event: Event) -> list[int]:
    """Create the deliveries of a workflow event for every active endpoint subscribed to it,
    in the caller's transaction, and enqueue each after commit. Returns the delivery ids.

    One query when nobody listens; otherwise the payload (built once) and two more."""
    event_type = EVENT_TYPES.get(event.action)
    if event_type is None:
        return []
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True).only("id", "events") if e.wants(event_type)]
    if not endpoints:
        return []
    payload = payloads.event_payload(event, event_type)
    key = f"event:{event.pk}"
    now = timezone.now()
    # The same event handed in twice creates (and enqueues) nothing new; the unique constraint
    # webhook_delivery_once backs this up.
    done = set(WebhookDelivery.objects.filter(event_key=key).values_list("endpoint_id", flat=True))
    created = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(endpoint=e, event_type=event_type, event_key=key, payload=payload, next_attempt_at=now)
            for e in endpoints
            if e.pk not in done
        ]
    )
    ids = [delivery.pk for delivery in created]
    for delivery_id in ids:
        _enqueue_on_commit(delivery_id)
    return ids


def _enqueue(delivery_id: int, countdown: float | None = None) -> None:
    """Send the task; a broker outage is logged, not raised: the sweep sends it later."""
    from .tasks import deliver_webhook

    try:
        deliver_webhook.apply_async((delivery_id,), countdown=countdown)
    except Exception:
        logger.warning("Could not enqueue webhook delivery %s; the sweep will retry", delivery_id, exc_info=True)


def _enqueue_on_commit(delivery_id: int, countdown: float | None = None) -> None:
    # Celery's delay_on_commit, made robust: a broker error after commit must not turn a saved
    # workflow change into an error page, nor skip the other on-commit callbacks.
    transaction.on_commit(lambda: _enqueue(delivery_id, countdown), robust=True)


# --- One attempt ----------------------------------------------------------------------------


def retry_delay(attempts: int) -> float:
    """Seconds before the next attempt after ``attempts`` failed ones: base * 2^(n-1), capped,
    with +-20 % jitter so that a receiver coming back is not hit by every retry at once."""
    base = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return min(base, RETRY_CAP_SECONDS) * random.uniform(0.8, 1.2)


def _claim(delivery_id: int, now: datetime.datetime) -> bool:
    """Claim-then-act: pending and due -> delivering, with a conditional UPDATE. Only one task
    wins; a duplicate message (the sweep's, a redelivered one) finds nothing to do."""
    # A second's grace: the retry message's countdown and next_attempt_at come from one clock.
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now + datetime.timedelta(seconds=1))
    claimable = WebhookDelivery.objects.filter(due, pk=delivery_id, status=Status.PENDING)
    return claimable.update(status=Status.DELIVERING, attempts=F("attempts") + 1, claimed_at=now) == 1


def _request(delivery: WebhookDelivery) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "X-Factcheck-Event": delivery.event_type,
        "X-Factcheck-Delivery": str(delivery.pk),
        "X-Factcheck-Timestamp": str(timestamp),
        "X-Factcheck-Signature": signature(delivery.endpoint.secret, timestamp, body),
    }
    return body, headers


def _attempt(delivery: WebhookDelivery) -> transport.Reply:
    url = delivery.endpoint.url
    if not settings.WEBHOOK_ALLOW_PRIVATE and not is_public_host(urlsplit(url).hostname or "", resolve=True):
        raise transport.DeliveryError("Refused: the URL resolves to a private address.", permanent=True)
    body, headers = _request(delivery)
    return transport.post(url, body=body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)


def delivery_send(*, delivery_id: int) -> str | None:
    """Make one attempt at a delivery. Returns its new status, or None when there was nothing
    to do (gone, not pending, not due yet, or claimed by another task).

    1. Claim it (pending -> delivering, attempts + 1).
    2. POST outside any transaction: the request may take up to the timeout.
    3. Record the outcome: succeeded on 2xx; failed on a permanent error or the last attempt;
       otherwise pending again with a backoff, and a retry message with that countdown (the
       sweep re-sends it if the broker loses it)."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:
        return None
    error = None
    try:
        reply = _attempt(delivery)
    except transport.DeliveryError as exc:
        error, reply = exc, exc.reply
    except Exception as exc:  # noqa: BLE001 (e.g. the task's soft time limit: transient, retried)
        error, reply = transport.DeliveryError(f"{type(exc).__name__}: {exc}"), None
    outcome = {
        "response_code": reply.status if reply else None,
        "response_excerpt": reply.excerpt if reply else "",
        "duration_ms": reply.duration_ms if reply else (error.duration_ms if error else None),
        "updated_at": timezone.now(),
    }
    if error is None:
        outcome |= {"status": Status.SUCCEEDED, "delivered_at": timezone.now(), "last_error": ""}
        outcome["next_attempt_at"] = None
    elif error.permanent or delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        note = "" if error.permanent else f" (gave up after {delivery.attempts} attempts)"
        outcome |= {"status": Status.FAILED, "last_error": (error.message + note)[:ERROR_CHARS]}
        outcome["next_attempt_at"] = None
    else:
        delay = retry_delay(delivery.attempts)
        outcome |= {
            "status": Status.PENDING,
            "last_error": error.message[:ERROR_CHARS],
            "next_attempt_at": timezone.now() + datetime.timedelta(seconds=delay),
        }
    # Only while still ours: a redeliver or a sweep that reclaimed it in between wins.
    WebhookDelivery.objects.filter(pk=delivery_id, status=Status.DELIVERING, claimed_at=now).update(**outcome)
    if outcome["status"] == Status.PENDING:
        _enqueue_on_commit(delivery_id, countdown=delay)
    log = logger.info if error is None else logger.warning
    log("Webhook delivery %s to %s: %s", delivery_id, delivery.endpoint.url, outcome["status"])
    return outcome["status"]


# --- Redelivery and the sweep ---------------------------------------------------------------


@transaction.atomic
def delivery_redeliver(*, delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """Send a finished delivery again, same payload, with a fresh budget of attempts."""
    _check_owner(delivery.endpoint, actor)
    changed = WebhookDelivery.objects.filter(pk=delivery.pk, status__in=[Status.SUCCEEDED, Status.FAILED]).update(
        status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None, updated_at=timezone.now()
    )
    if not changed:
        raise WorkflowError("This delivery is still pending or being sent; wait for it to finish.")
    _enqueue_on_commit(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def stale_attempt_seconds() -> int:
    # Longer than any attempt can last: the task's hard time limit, plus a margin.
    return settings.WEBHOOK_TIMEOUT_SECONDS * 2 + 120


def deliveries_to_sweep(*, now: datetime.datetime | None = None, limit: int = 500) -> list[int]:
    """The database is the queue's backstop.

    1. Attempts left "delivering" by a killed worker go back to pending (the attempt counts;
       failed if it was the last one).
    2. Return pending deliveries due for a minute or more: their message was lost (a live one
       would have been taken by then). Sending them again is harmless: the task claims first."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=stale_attempt_seconds())
    stuck = WebhookDelivery.objects.filter(status=Status.DELIVERING, claimed_at__lt=stale)
    message = "The worker stopped during the attempt."
    stuck.filter(attempts__gte=settings.WEBHOOK_MAX_ATTEMPTS).update(
        status=Status.FAILED, next_attempt_at=None, last_error=message, updated_at=now
    )
    stuck.update(status=Status.PENDING, next_attempt_at=now, last_error=message, updated_at=now)
    overdue = now - datetime.timedelta(seconds=60)
    return list(
        WebhookDelivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=overdue)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
