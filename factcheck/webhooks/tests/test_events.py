"""Which workflow events create deliveries, for whom, and what their payloads carry. The
deliveries are written by the services, in the transaction of the change."""

import pytest

from articles import services as article_services
from factcheck.webhooks import services
from factcheck.webhooks.models import WebhookDelivery
from reviews import services as workflow
from reviews.models import Event

pytestmark = pytest.mark.django_db


def _types() -> list[str]:
    return list(WebhookDelivery.objects.order_by("id").values_list("event_type", flat=True))


def _payload(event_type: str) -> dict:
    return WebhookDelivery.objects.get(event_type=event_type).payload


def test_the_whole_workflow_sends_each_documented_event_once(endpoint, published, editor2, rating, settings):
    workflow.ruling_correct(
        ruling=published,
        actor=editor2,
        rating=rating,
        summary="Rutte said so, in June",
        explanation="Corrected date.",
        correction_note="The date was wrong.",
    )
    assert _types() == [
        "article.extracted",
        "claim.accepted",
        "claim.assigned",
        "ruling.submitted",
        "ruling.approved",
        "ruling.published",
        "ruling.corrected",
    ]
    assert all(d.endpoint_id == endpoint.pk and d.status == "pending" for d in WebhookDelivery.objects.all())


def test_events_outside_the_list_send_nothing(endpoint, claim, editor):
    workflow.claim_reject(claim=claim, actor=editor)
    workflow.claim_accept(claim=claim, actor=editor)
    assert _types() == ["article.extracted", "claim.accepted"]


def test_self_assignment_is_claim_assigned(endpoint, claim, editor, reviewer, settings):
    settings.REVIEWER_SELF_ASSIGN = True
    workflow.claim_accept(claim=claim, actor=editor)
    workflow.claim_self_assign(claim=claim, actor=reviewer)
    payload = _payload("claim.assigned")
    assert payload["data"]["event"]["action"] == "claim.self_assign"
    assert payload["data"]["claim"]["assignee_username"] == "rita"


def test_claim_payload_carries_the_claim_with_its_addresses(endpoint, assigned, settings):
    payload = _payload("claim.assigned")
    event = Event.objects.filter(action="claim.assign").get()
    assert payload["id"] == f"evt_{event.pk}" and payload["type"] == "claim.assigned"
    assert payload["created"] == event.created_at.isoformat()
    claim = payload["data"]["claim"]
    assert claim["id"] == assigned.pk and claim["article"] == assigned.article_id
    assert claim["status"] == "assigned" and claim["assignee_username"] == "rita"
    assert claim["text"].startswith("Referring to Türkiye") and claim["speaker"]
    assert claim["url"] == f"{settings.SITE_URL}/claims/{assigned.pk}/"
    assert claim["api_url"] == f"{settings.SITE_URL}/api/v1/claims/{assigned.pk}/"
    assert "ruling" not in payload["data"]


def test_ruling_payloads_carry_the_live_ruling(endpoint, published, settings):
    submitted = _payload("ruling.submitted")["data"]["ruling"]
    assert submitted["id"] == published.pk and submitted["status"] == "submitted"
    assert submitted["reviewer"] == "rita" and submitted["public_url"] is None
    approved = _payload("ruling.approved")["data"]["ruling"]
    assert approved["status"] == "approved" and approved["approved_by"] == "ed"
    ruling = _payload("ruling.published")["data"]["ruling"]
    assert ruling["status"] == "published" and ruling["rating"] == published.rating.slug
    assert ruling["public_url"] == f"{settings.SITE_URL}/fact-checks/{published.pk}/"
    assert ruling["api_url"] == f"{settings.SITE_URL}/api/v1/rulings/{published.pk}/"
    assert _payload("ruling.published")["data"]["claim"]["status"] == "published"


def test_a_correction_sends_the_new_ruling_that_supersedes_the_old(endpoint, published, editor2, rating):
    corrected = workflow.ruling_correct(
        ruling=published,
        actor=editor2,
        rating=rating,
        summary="Rutte said so, in June",
        explanation="Corrected date.",
        correction_note="The date was wrong.",
    )
    ruling = _payload("ruling.corrected")["data"]["ruling"]
    assert ruling["id"] == corrected.pk and ruling["supersedes"] == published.pk
    assert ruling["correction_note"] == "The date was wrong."


def test_article_extracted_carries_the_article_and_its_claim_counts(endpoint, editor, seed_text):
    article = article_services.article_create(submitted_by=editor, title="Summit", body=seed_text, extract=False)
    article_services.article_request_extraction(article=article, actor=editor)
    article_services.article_extract(article_id=article.pk)
    data = _payload("article.extracted")["data"]["article"]
    assert data["id"] == article.pk and data["title"] == "Summit" and data["extraction_status"] == "done"
    assert data["claim_count"] == article.claims.count() > 0
    assert data["checkworthy_count"] == article.claims.filter(checkworthy=True).count()
    assert data["api_url"].endswith(f"/api/v1/articles/{article.pk}/")


def test_only_active_endpoints_subscribed_to_the_event_get_it(editor, editor2, receiver, claim):
    accepted_only = services.endpoint_create(actor=editor, url=receiver.url, events=["claim.accepted"])
    assigned_only = services.endpoint_create(actor=editor2, url=receiver.url, events=["claim.assigned"])
    services.endpoint_create(actor=editor, url=receiver.url, events=["*"], active=False)
    workflow.claim_accept(claim=claim, actor=editor)
    assert list(WebhookDelivery.objects.values_list("endpoint_id", "event_type")) == [
        (accepted_only.pk, "claim.accepted")
    ]
    assert not assigned_only.deliveries.exists()


def test_the_same_event_handed_in_twice_creates_one_delivery(endpoint, claim, editor):
    workflow.claim_accept(claim=claim, actor=editor)
    event = Event.objects.get(action="claim.accept")
    assert services.enqueue_for_event(event) == []  # already there: nothing new to enqueue
    assert WebhookDelivery.objects.filter(event_key=f"event:{event.pk}").count() == 1


def test_an_event_costs_one_query_when_nobody_listens(claim, editor, django_assert_num_queries):
    workflow.claim_accept(claim=claim, actor=editor)
    event = Event.objects.get(action="claim.accept")
    with django_assert_num_queries(1):
        assert services.enqueue_for_event(event) == []
