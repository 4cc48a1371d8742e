"""Reads of the workflow: the queue, a claim with everything on its page, published rulings."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from articles.models import Claim
from articles.selectors import claims_visible_to
from factcheck import roles

from .models import Comment, Event, Rating, Ruling, Source
from .workflow import OPEN_STATES

# The queue's sort orders; each ends in unique columns so pages never shuffle.
QUEUE_SORTS = {
    "priority": ("Priority, then score", ("-priority", "-checkworthiness", "article_id", "start")),
    "score": ("Check-worthiness", ("-checkworthiness", "article_id", "start")),
    "due": ("Due date", (F("due_date").asc(nulls_last=True), "-priority", "article_id", "start")),
    "newest": ("Newest first", ("-created_at", "-id")),
    "article": ("Article order", ("article_id", "start")),
}


def overdue_q(today: datetime.date | None = None) -> Q:
    """Claims past their due date that still need work."""
    return Q(due_date__lt=today or timezone.localdate(), status__in=OPEN_STATES)


def with_overdue(qs: QuerySet[Claim]) -> QuerySet[Claim]:
    """Annotate ``is_overdue`` (computed in the query: no extra query per row)."""
    return qs.annotate(is_overdue=ExpressionWrapper(overdue_q(), output_field=BooleanField()))


def claims_open_to(user) -> QuerySet[Claim]:
    """The claims ``user`` may open in the web UI: the ones they may see, and, where the desk
    lets reviewers take claims (REVIEWER_SELF_ASSIGN), the accepted claims nobody has yet."""
    qs = claims_visible_to(user)
    if settings.REVIEWER_SELF_ASSIGN and roles.is_reviewer(user) and not roles.is_editor(user):
        qs = qs | Claim.objects.filter(status=Claim.Status.ACCEPTED, assignee=None)
    return qs


def claim_queue(
    *,
    user,
    status: str = "",
    reviewer_id: int | None = None,
    article_id: int | None = None,
    sort: str = "priority",
    overdue: bool = False,
    mine: bool = False,
    awaiting_approval: bool = False,
    include_takeable: bool = False,
) -> QuerySet[Claim]:
    """The claim queue with its filters, most check-worthy first. Article bodies are never loaded.

    ``awaiting_approval``: submitted rulings that ``user`` did not write (four eyes);
    ``include_takeable``: also the claims a reviewer may take themselves (see claims_open_to)."""
    qs = (
        (claims_open_to(user) if include_takeable else claims_visible_to(user))
        .select_related("article", "assignee")
        .defer("article__body", "article__extraction_error")
    )
    if status:
        qs = qs.filter(status=status)
    if reviewer_id:
        qs = qs.filter(assignee_id=reviewer_id)
    if article_id:
        qs = qs.filter(article_id=article_id)
    if overdue:
        qs = qs.filter(overdue_q())
    if mine:
        qs = qs.filter(assignee_id=user.pk)
    if awaiting_approval:
        mine_submitted = Ruling.objects.filter(claim=OuterRef("pk"), status=Ruling.Status.SUBMITTED, reviewer=user)
        qs = qs.filter(status=Claim.Status.SUBMITTED).exclude(Exists(mine_submitted))
    return with_overdue(qs).order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["priority"])[1])


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


def claim_page(*, user, pk: int) -> Claim:
    """A claim with everything its newsroom page shows: article, sources, rulings (with the
    corrections), comments, the claims merged into it, the claim it was merged into.
    One query per relation, whatever their sizes. Raises Claim.DoesNotExist."""
    return (
        with_overdue(claims_open_to(user))
        .select_related("article", "assignee", "merged_into")
        .prefetch_related(
            Prefetch("sources", queryset=Source.objects.select_related("added_by")),
            Prefetch("rulings", queryset=Ruling.objects.select_related("rating", "reviewer", "approved_by")),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
            Prefetch(
                "merged_claims", queryset=Claim.objects.only("pk", "text", "status", "merged_into").order_by("pk")
            ),
        )
        .get(pk=pk)
    )


def claim_history(*, claim: Claim) -> QuerySet[Event]:
    """The claim's events and those of the duplicates merged into it, oldest first (one query)."""
    return (
        Event.objects.filter(Q(claim=claim) | Q(claim__merged_into=claim))
        .select_related("actor")
        .order_by("created_at", "id")
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


def current_version_of(*, pk: int) -> Ruling | None:
    """The published ruling that replaced a corrected one (following the chain of
    corrections), so that an old fact-check address keeps working. None if there is none."""
    ruling = Ruling.objects.filter(pk=pk, status=Ruling.Status.SUPERSEDED).only("pk").first()
    seen = 0
    while ruling is not None and seen < 100:  # a chain of corrections is short; never loop forever
        successor = Ruling.objects.filter(supersedes=ruling).only("pk", "status").first()
        if successor is None or successor.status == Ruling.Status.PUBLISHED:
            return successor
        ruling, seen = successor, seen + 1
    return None


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


# --- Reads of the REST API (reviews/api.py) -------------------------------------------------


def claim_comments(*, claim: Claim) -> QuerySet:
    """A claim's comments, oldest first, with their authors."""
    from .models import Comment

    return Comment.objects.filter(claim=claim).select_related("author").order_by("created_at", "id")


def claim_detail_with_comments(*, user, pk: int) -> Claim:
    """``claim_detail`` plus the comments, which the API's claim JSON carries. Raises Claim.DoesNotExist."""
    from django.db.models import prefetch_related_objects

    from .models import Comment

    claim = claim_detail(user=user, pk=pk)
    # A no-op if claim_detail already prefetches them.
    prefetch_related_objects([claim], Prefetch("comments", queryset=Comment.objects.select_related("author")))
    return claim


def claims_to_take(user) -> QuerySet[Claim]:
    """Claims ``user`` may try to take: the ones they see, and for reviewers every accepted
    claim, so that the workflow (not a 404) says whether this desk lets them self-assign."""
    qs = claims_visible_to(user)
    if roles.is_reviewer(user) and not roles.is_editor(user):
        qs = qs | Claim.objects.filter(status=Claim.Status.ACCEPTED, assignee=None)
    return qs
