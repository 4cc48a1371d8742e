"""End to end: a real Celery worker process on the real broker sends a workflow event to the
receiver after commit, retries a 500 through its countdown message, and the log shows both."""

import pytest

from factcheck.webhooks import services
from factcheck.webhooks.models import WebhookDelivery
from reviews import services as workflow
from tests.conftest import celery_worker_process  # noqa: F401 (the shared worker fixture)

from .test_delivery import verify

pytestmark = pytest.mark.e2e


@pytest.fixture
def worker(django_db_serialized_rollback, transactional_db, monkeypatch, request):
    # Named here, not only through the worker fixture, so that pytest-django knows before any
    # other fixture asks for the database: the worker process must see committed rows, and the
    # migrations' data (role groups, ratings) must be put back for the transactional tests after.
    # The worker reads its settings from the environment: retry after about a second.
    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "1")
    monkeypatch.setenv("WEBHOOK_TIMEOUT_SECONDS", "2")
    return request.getfixturevalue("celery_worker_process")


def test_the_worker_delivers_after_commit_and_retries_a_500(worker, receiver, claim, editor):
    endpoint = services.endpoint_create(actor=editor, url=receiver.url, events=["claim.accepted"])
    receiver.reply((500, 0))

    workflow.claim_accept(claim=claim, actor=editor)  # autocommit: enqueued at once

    delivery = worker.wait_for(
        lambda: WebhookDelivery.objects.filter(status="succeeded").first(), timeout=60, what="the webhook delivery"
    )
    assert delivery.event_type == "claim.accepted" and delivery.attempts == 2
    assert [r.headers["X-Factcheck-Delivery"] for r in receiver.requests] == [str(delivery.pk)] * 2
    assert all(verify(endpoint.secret, r.headers, r.body) for r in receiver.requests)
    assert receiver.requests[1].json()["data"]["claim"]["id"] == claim.pk
