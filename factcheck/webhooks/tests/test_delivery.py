"""Sending: signed POSTs to a real receiver on 127.0.0.1, retries with backoff on 5xx, 429
and timeouts, permanent failure on other 4xx, once per attempt, redelivery and the sweep.

Tasks run through the real code path: the Celery task function called in-process."""

import datetime
import hashlib
import hmac
import json
import time

import pytest
from django.db import transaction
from django.utils import timezone

from factcheck.webhooks import services
from factcheck.webhooks.models import WebhookDelivery
from factcheck.webhooks.tasks import deliver_webhook, sweep_webhook_deliveries
from reviews import services as workflow
from reviews.workflow import WorkflowError

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status


def verify(secret: str, headers: dict[str, str], body: bytes, tolerance: int = 300) -> bool:
    """The receiver's recipe from docs/webhooks.md, verbatim."""
    timestamp = headers["X-Factcheck-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    sent = headers["X-Factcheck-Signature"].removeprefix("sha256=")
    return hmac.compare_digest(expected, sent) and abs(time.time() - int(timestamp)) <= tolerance


def _accept(claim, editor) -> WebhookDelivery:
    workflow.claim_accept(claim=claim, actor=editor)
    return WebhookDelivery.objects.get(event_type="claim.accepted")


def test_a_delivery_is_a_signed_json_post_with_the_documented_headers(endpoint, receiver, claim, editor):
    delivery = _accept(claim, editor)
    assert deliver_webhook(delivery.pk) == Status.SUCCEEDED

    [request] = receiver.requests
    assert request.path == "/hook"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == "factcheck-webhooks/1"
    assert request.headers["X-Factcheck-Event"] == "claim.accepted"
    assert request.headers["X-Factcheck-Delivery"] == str(delivery.pk)
    assert abs(int(request.headers["X-Factcheck-Timestamp"]) - time.time()) < 60
    assert verify(endpoint.secret, request.headers, request.body)
    assert not verify("whsec_wrong", request.headers, request.body)
    assert not verify(endpoint.secret, request.headers, request.body + b" ")

    payload = request.json()
    assert payload == delivery.payload
    assert payload["type"] == "claim.accepted" and payload["id"].startswith("evt_")
    assert payload["data"]["claim"]["id"] == claim.pk
    assert payload["data"]["claim"]["status"] == "accepted"
    assert payload["data"]["event"] == {
        "action": "claim.accept",
        "from_state": "candidate",
        "to_state": "accepted",
        "note": "",
        "actor": "erin",
    }

    delivery.refresh_from_db()
    assert delivery.status == Status.SUCCEEDED and delivery.attempts == 1
    assert delivery.response_code == 200 and delivery.response_excerpt == '{"ok": true}'
    assert delivery.delivered_at and delivery.duration_ms is not None and delivery.next_attempt_at is None


def test_5xx_and_429_are_retried_with_backoff_until_success(endpoint, receiver, claim, editor, settings):
    receiver.reply((500, 0), (503, 0), (429, 0))
    delivery = _accept(claim, editor)
    for attempt, code in enumerate([500, 503, 429], start=1):
        assert deliver_webhook(delivery.pk) == Status.PENDING
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.response_code, delivery.last_error) == (attempt, code, f"HTTP {code}")
        assert len(delivery.response_excerpt) == 1024  # the receiver's 5000-byte page, truncated
    assert deliver_webhook(delivery.pk) == Status.SUCCEEDED
    delivery.refresh_from_db()
    assert delivery.attempts == 4 and delivery.last_error == "" and len(receiver.requests) == 4
    # The same event each time, each attempt signed afresh.
    assert len({r.json()["id"] for r in receiver.requests}) == 1
    assert all(verify(endpoint.secret, r.headers, r.body) for r in receiver.requests)


def test_a_retry_waits_for_its_backoff(endpoint, receiver, claim, editor, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    receiver.reply((502, 0))
    delivery = _accept(claim, editor)
    deliver_webhook(delivery.pk)
    delivery.refresh_from_db()
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 7 < wait <= 12  # 10 s, +-20 % jitter
    assert deliver_webhook(delivery.pk) is None  # not due yet: nothing sent
    assert len(receiver.requests) == 1


def test_the_backoff_doubles_and_is_capped(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    for attempts, base in [(1, 10), (2, 20), (3, 40), (5, 160), (30, 3600)]:
        assert base * 0.8 <= services.retry_delay(attempts) <= base * 1.2


def test_a_receiver_slower_than_the_timeout_is_a_retried_failure(endpoint, receiver, claim, editor, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.reply((200, 1.5))
    delivery = _accept(claim, editor)
    started = time.monotonic()
    assert deliver_webhook(delivery.pk) == Status.PENDING
    assert time.monotonic() - started < 1.2
    delivery.refresh_from_db()
    assert delivery.last_error == "Timed out after 0.3 s" and delivery.response_code is None
    assert deliver_webhook(delivery.pk) == Status.SUCCEEDED  # the receiver answers quickly now


def test_a_refused_connection_is_retried(endpoint, claim, editor):
    endpoint.url = "http://127.0.0.1:9/hook"  # discard port: nothing listens
    endpoint.save()
    delivery = _accept(claim, editor)
    assert deliver_webhook(delivery.pk) == Status.PENDING
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("Connection error")


@pytest.mark.parametrize("code", [400, 401, 404, 410])
def test_a_4xx_other_than_429_fails_at_once(endpoint, receiver, claim, editor, code):
    receiver.reply((code, 0))
    delivery = _accept(claim, editor)
    assert deliver_webhook(delivery.pk) == Status.FAILED
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_code, delivery.last_error) == (1, code, f"HTTP {code}")
    assert deliver_webhook(delivery.pk) is None and len(receiver.requests) == 1


def test_a_redirect_is_not_followed(endpoint, receiver, claim, editor):
    receiver.reply((302, 0))
    delivery = _accept(claim, editor)
    assert deliver_webhook(delivery.pk) == Status.FAILED
    delivery.refresh_from_db()
    assert delivery.response_code == 302 and "not followed" in delivery.last_error
    assert len(receiver.requests) == 1


def test_it_gives_up_after_the_configured_number_of_attempts(endpoint, receiver, claim, editor, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.default = (500, 0)
    delivery = _accept(claim, editor)
    assert [deliver_webhook(delivery.pk) for _ in range(4)] == [Status.PENDING, Status.PENDING, Status.FAILED, None]
    delivery.refresh_from_db()
    assert delivery.attempts == 3 and delivery.last_error == "HTTP 500 (gave up after 3 attempts)"
    assert len(receiver.requests) == 3


def test_running_the_task_twice_sends_once(endpoint, receiver, claim, editor):
    delivery = _accept(claim, editor)
    assert deliver_webhook(delivery.pk) == Status.SUCCEEDED
    assert deliver_webhook(delivery.pk) is None
    assert len(receiver.requests) == 1
    assert deliver_webhook(999_999) is None  # gone: nothing to do


def test_a_delivery_claimed_by_another_task_is_not_sent_again(endpoint, receiver, claim, editor):
    delivery = _accept(claim, editor)
    assert services._claim(delivery.pk, timezone.now())  # another worker holds it
    assert deliver_webhook(delivery.pk) is None
    assert receiver.requests == []


def test_redeliver_sends_the_same_payload_again(endpoint, receiver, claim, editor):
    receiver.reply((404, 0))
    delivery = _accept(claim, editor)
    deliver_webhook(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED

    services.delivery_redeliver(delivery=delivery, actor=editor)
    with pytest.raises(WorkflowError):  # a second, on a pending delivery, is refused
        services.delivery_redeliver(delivery=delivery, actor=editor)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 0)
    assert deliver_webhook(delivery.pk) == Status.SUCCEEDED
    assert receiver.requests[0].body == receiver.requests[1].body


def test_sends_happen_only_in_the_worker_after_commit(endpoint, receiver, claim, editor, settings):
    """A hanging receiver never blocks the workflow: the service only writes and enqueues."""
    receiver.default = (200, 5.0)
    started = time.monotonic()
    with transaction.atomic():
        workflow.claim_accept(claim=claim, actor=editor)
    assert time.monotonic() - started < 2
    assert receiver.requests == []
    assert WebhookDelivery.objects.get(event_type="claim.accepted").status == Status.PENDING


def test_a_rolled_back_change_leaves_no_delivery(endpoint, claim, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        workflow.claim_accept(claim=claim, actor=editor)
        assert WebhookDelivery.objects.filter(event_type="claim.accepted").count() == 1
        raise RuntimeError("the rest of the change failed")
    assert not WebhookDelivery.objects.filter(event_type="claim.accepted").exists()
    assert callbacks == []


def test_the_task_is_enqueued_after_commit(endpoint, claim, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.claim_accept(claim=claim, actor=editor)
    assert len([c for c in callbacks if "_enqueue" in c.__qualname__]) == 1


def test_private_addresses_are_refused_at_send_time_when_not_allowed(endpoint, receiver, claim, editor, settings):
    delivery = _accept(claim, editor)
    settings.WEBHOOK_ALLOW_PRIVATE = False
    assert deliver_webhook(delivery.pk) == Status.FAILED
    delivery.refresh_from_db()
    assert "private address" in delivery.last_error
    assert receiver.requests == []


def test_the_sweep_resends_lost_messages_and_frees_stuck_attempts(endpoint, receiver, claim, editor, settings):
    lost = _accept(claim, editor)
    WebhookDelivery.objects.filter(pk=lost.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(minutes=5))
    ping = services.endpoint_ping(endpoint=endpoint, actor=editor)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    WebhookDelivery.objects.filter(pk=ping.pk).update(status=Status.DELIVERING, attempts=1, claimed_at=long_ago)
    fresh = services.endpoint_ping(endpoint=endpoint, actor=editor)  # due now: its message is in flight

    ids = services.deliveries_to_sweep()
    assert set(ids) == {lost.pk}
    ping.refresh_from_db()
    assert ping.status == Status.PENDING and ping.last_error == "The worker stopped during the attempt."
    assert fresh.pk not in ids

    # The beat task puts them on the real broker; here the worker's part is run in-process.
    assert sweep_webhook_deliveries() >= 1
    for delivery_id in (lost.pk, ping.pk):
        assert deliver_webhook(delivery_id) == Status.SUCCEEDED
    assert {r.headers["X-Factcheck-Event"] for r in receiver.requests} == {"claim.accepted", "ping"}


def test_a_stuck_last_attempt_is_marked_failed_by_the_sweep(endpoint, editor, settings):
    ping = services.endpoint_ping(endpoint=endpoint, actor=editor)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    WebhookDelivery.objects.filter(pk=ping.pk).update(
        status=Status.DELIVERING, attempts=settings.WEBHOOK_MAX_ATTEMPTS, claimed_at=long_ago
    )
    services.deliveries_to_sweep()
    ping.refresh_from_db()
    assert ping.status == Status.FAILED


def test_the_ping_payload_names_the_endpoint(endpoint, receiver, editor):
    delivery = services.endpoint_ping(endpoint=endpoint, actor=editor)
    assert deliver_webhook(delivery.pk) == Status.SUCCEEDED
    payload = json.loads(receiver.requests[0].body)
    assert payload["type"] == "ping" and payload["data"]["endpoint"]["id"] == endpoint.pk
    assert verify(endpoint.secret, receiver.requests[0].headers, receiver.requests[0].body)
