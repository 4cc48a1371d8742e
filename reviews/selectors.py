"""Reads of the workflow: the queue, a claim with everything on its page, published rulings."""

from django.contrib.auth import get_user_model
from django.db.models import F, Prefetch, QuerySet

from articles.models import Claim
from articles.selectors import claims_visible_to
from factcheck import roles

from .models import Event, Rating, Ruling, Source

# The queue's sort orders; each ends in unique columns so pages never shuffle.
QUEUE_SORTS = {
    "priority": ("Priority, then score", ("-priority", "-checkworthiness", "article_id", "start")),
    "score": ("Check-worthiness", ("-checkworthiness", "article_id", "start")),
    "due": ("Due date", (F("due_date").asc(nulls_last=True), "-priority", "article_id", "start")),
    "newest": ("Newest first", ("-created_at", "-id")),
    "article": ("Article order", ("article_id", "start")),
}


def claim_queue(
    *,
    user,
    status: str = "",
    reviewer_id: int | None = None,
    article_id: int | None = None,
    sort: str = "priority",
) -> QuerySet[Claim]:
    """The claim queue with its filters, most check-worthy first. Article bodies are never loaded."""
    qs = (
        claims_visible_to(user)
        .select_related("article", "assignee")
        .defer("article__body", "article__extraction_error")
    )
    if status:
        qs = qs.filter(status=status)
    if reviewer_id:
        qs = qs.filter(assignee_id=reviewer_id)
    if article_id:
        qs = qs.filter(article_id=article_id)
    return qs.order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["priority"])[1])


def claim_detail(*, user, pk: int) -> Claim:
    """A claim with its article, sources, rulings and history. Raises Claim.DoesNotExist."""
    return (
        claims_visible_to(user)
        .select_related("article", "assignee")
        .prefetch_related(
            Prefetch("sources", queryset=Source.objects.select_related("added_by")),
            Prefetch("rulings", queryset=Ruling.objects.select_related("rating", "reviewer", "approved_by")),
            Prefetch("events", queryset=Event.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def live_ruling(claim: Claim) -> Ruling | None:
    """The claim's current ruling (not a returned one), from the prefetched rulings."""
    return next((r for r in claim.rulings.all() if r.status != Ruling.Status.RETURNED), None)


def active_ratings() -> QuerySet[Rating]:
    return Rating.objects.filter(active=True).order_by("order", "id")


def published_rulings() -> QuerySet[Ruling]:
    return (
        Ruling.objects.filter(status=Ruling.Status.PUBLISHED)
        .select_related("rating", "claim", "claim__article", "reviewer")
        .defer("claim__article__body")
        .order_by("-published_at", "-id")
    )


def published_ruling(*, pk: int) -> Ruling:
    """A published ruling for its public page. Raises Ruling.DoesNotExist."""
    return published_rulings().prefetch_related("claim__sources").get(pk=pk)


def reviewers() -> QuerySet:
    """Active users in the reviewers group, for the assign form and the queue filter."""
    return get_user_model().objects.filter(groups__name=roles.REVIEWERS, is_active=True).order_by("username")


def claim_sources(*, claim: Claim) -> QuerySet[Source]:
    return Source.objects.filter(claim=claim).select_related("added_by").order_by("created_at", "id")


def sources_visible_to(user) -> QuerySet[Source]:
    """Sources on the claims ``user`` may see."""
    return Source.objects.filter(claim__in=claims_visible_to(user))


def rulings_visible_to(user) -> QuerySet[Ruling]:
    """Rulings on the claims ``user`` may see, with what the ruling JSON and ClaimReview read."""
    return (
        Ruling.objects.filter(claim__in=claims_visible_to(user))
        .select_related("rating", "reviewer", "approved_by", "claim__article")
        .defer("claim__article__body", "claim__article__extraction_error")
    )
