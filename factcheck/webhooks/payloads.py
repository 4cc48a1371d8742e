"""What a delivery carries: ``{"id", "type", "created", "data"}``, built inside the transaction of
the change, so the payload is the state that was committed with the event.

``data`` is a stable subset of the API's shapes (the same field names), with the API address
(``api_url``) and the web page (``url``) of each object; a receiver fetches more from the API."""

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Claim
from reviews.claimreview import public_url
from reviews.models import Event, Ruling

from .models import PING, EventType, WebhookEndpoint


def _url(name: str, pk: int) -> str:
    return settings.SITE_URL + reverse(name, args=[pk])


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _username(user) -> str | None:
    return user.get_username() if user else None


def article_data(article_id: int) -> dict:
    article = (
        Article.objects.filter(pk=article_id)
        .annotate(claim_count=Count("claims"), checkworthy_count=Count("claims", filter=Q(claims__checkworthy=True)))
        .only("id", "title", "source_url", "outlet", "extraction_status", "detected_language", "extracted_at")
        .get()
    )
    return {
        "id": article.pk,
        "title": article.title,
        "source_url": article.source_url,
        "outlet": article.outlet,
        "extraction_status": article.extraction_status,
        "detected_language": article.detected_language,
        "extracted_at": _iso(article.extracted_at),
        "claim_count": article.claim_count,
        "checkworthy_count": article.checkworthy_count,
        "url": _url("article-detail", article.pk),
        "api_url": _url("api-article-detail", article.pk),
    }


def claim_data(claim: Claim) -> dict:
    return {
        "id": claim.pk,
        "article": claim.article_id,
        "text": claim.text,
        "speaker": claim.speaker,
        "claim_type": claim.claim_type,
        "checkworthiness": claim.checkworthiness,
        "checkworthy": claim.checkworthy,
        "status": claim.status,
        "priority": claim.priority,
        "due_date": _iso(claim.due_date),
        "assignee_username": _username(claim.assignee),
        "version": claim.version,
        "url": _url("claim-detail", claim.pk),
        "api_url": _url("api-claim-detail", claim.pk),
    }


def ruling_data(ruling: Ruling) -> dict:
    published = ruling.status == Ruling.Status.PUBLISHED
    return {
        "id": ruling.pk,
        "claim": ruling.claim_id,
        "rating": ruling.rating.slug,
        "rating_name": ruling.rating.name,
        "summary": ruling.summary,
        "status": ruling.status,
        "reviewer": _username(ruling.reviewer),
        "approved_by": _username(ruling.approved_by),
        "approved_at": _iso(ruling.approved_at),
        "published_at": _iso(ruling.published_at),
        "supersedes": ruling.supersedes_id,
        "correction_note": ruling.correction_note,
        "version": ruling.version,
        "public_url": public_url(ruling) if published else None,
        "api_url": _url("api-ruling-detail", ruling.pk),
    }


def _live_ruling(claim_id: int) -> Ruling | None:
    # The one live ruling (see Ruling.Meta "one_live_ruling"): after a correction, the new one.
    return (
        Ruling.objects.filter(claim_id=claim_id)
        .exclude(status__in=[Ruling.Status.RETURNED, Ruling.Status.SUPERSEDED])
        .select_related("rating", "reviewer", "approved_by")
        .first()
    )


def _envelope(event_id: str, event_type: str, created, data: dict) -> dict:
    return {"id": event_id, "type": event_type, "created": _iso(created), "data": data}


def event_payload(event: Event, event_type: str) -> dict:
    """The payload of a workflow event (the Event row is the one just written)."""
    if event_type == EventType.ARTICLE_EXTRACTED:
        data = {"article": article_data(event.article_id)}
    else:
        claim = event.claim
        data = {
            "claim": claim_data(claim),
            "event": {
                "action": event.action,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "note": event.note,
                "actor": _username(event.actor),
            },
        }
        if event_type.startswith("ruling."):
            ruling = _live_ruling(claim.pk)
            data["ruling"] = ruling_data(ruling) if ruling else None
    return _envelope(f"evt_{event.pk}", event_type, event.created_at, data)


def ping_payload(endpoint: WebhookEndpoint, key: str) -> dict:
    return _envelope(
        f"ping_{key}",
        PING,
        timezone.now(),
        {"endpoint": {"id": endpoint.pk, "url": endpoint.url, "description": endpoint.description}},
    )
