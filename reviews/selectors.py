"""Reads of the workflow: the queue, a claim with everything on its page, published rulings."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import Left, RowNumber
from django.utils import timezone

from articles.models import Claim
from articles.selectors import claim_scope, claims_visible_to
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


def _queue_filtered(
    *,
    user,
    status: str = "",
    reviewer_id: int | None = None,
    article_id: int | None = None,
    claim_type: str = "",
    min_score: float | None = None,
    max_score: float | None = None,
    speaker: str = "",
    overdue: bool = False,
    mine: bool = False,
    unassigned: bool = False,
    awaiting_approval: bool = False,
    include_takeable: bool = False,
) -> QuerySet[Claim]:
    """The claims ``user`` may see, narrowed by the queue's filters; neither ordered nor joined."""
    qs = claims_open_to(user) if include_takeable else claims_visible_to(user)
    if status:
        qs = qs.filter(status=status)
    if reviewer_id:
        qs = qs.filter(assignee_id=reviewer_id)
    if article_id:
        qs = qs.filter(article_id=article_id)
    if claim_type:
        qs = qs.filter(claim_type=claim_type)
    if min_score is not None:
        qs = qs.filter(checkworthiness__gte=min_score)
    if max_score is not None:
        qs = qs.filter(checkworthiness__lte=max_score)
    if speaker:
        qs = qs.filter(speaker__icontains=speaker)
    if overdue:
        qs = qs.filter(overdue_q())
    if mine:
        qs = qs.filter(assignee_id=user.pk)
    if unassigned:
        qs = qs.filter(assignee=None)
    if awaiting_approval:
        mine_submitted = Ruling.objects.filter(claim=OuterRef("pk"), status=Ruling.Status.SUBMITTED, reviewer=user)
        qs = qs.filter(status=Claim.Status.SUBMITTED).exclude(Exists(mine_submitted))
    return qs


def _queue_rows(qs: QuerySet[Claim]) -> QuerySet[Claim]:
    """What a queue row or board card shows: article title and assignee joined, no article body."""
    return with_overdue(qs.select_related("article", "assignee").defer("article__body", "article__extraction_error"))


def claim_queue(*, user, sort: str = "priority", **filters) -> QuerySet[Claim]:
    """The claim queue with its filters (the keyword arguments of ``_queue_filtered``), most
    check-worthy first. Article bodies are never loaded.

    ``awaiting_approval``: submitted rulings that ``user`` did not write (four eyes);
    ``include_takeable``: also the claims a reviewer may take themselves (see claims_open_to)."""
    qs = _queue_rows(_queue_filtered(user=user, **filters))
    return qs.order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["priority"])[1])


def claim_list(*, user) -> QuerySet[Claim]:
    """The API's claim list (before its query-string filters): the queue's claims in the
    queue's order, with the assignee's username (not the article, whose title the API does
    not show, nor the user's password hash and dates). Built in as few steps as the query
    needs, and without the queue's ``is_overdue`` annotation (the serializer computes it from
    the row): building and compiling the query was most of the list's cost
    (docs/benchmarks.md, "API list endpoint").

    Its SQL depends on nothing but ``claim_list_sql_key(user)``: the list's pages compile it
    once per key (articles.filters.OneQueryPaginator)."""
    return (
        claims_visible_to(user)
        .annotate(assignee_username=F("assignee__username"))
        .only(*_CLAIM_COLUMNS)
        .order_by(*QUEUE_SORTS["priority"][1], "pk")
    )


def claim_list_sql_key(user) -> tuple:
    """Everything the SQL of ``claim_list(user=user)`` depends on: who sees which claims
    (articles.selectors.claim_scope, from which claims_visible_to builds its query)."""
    return ("claim_list", *claim_scope(user))


_CLAIM_COLUMNS = tuple(f.name for f in Claim._meta.concrete_fields)


MERGE_TARGETS = 200  # the claim page suggests at most this many of the article's claims


def merge_targets(claim: Claim) -> list[Claim]:
    """Claims of the same article that ``claim`` may be merged into, in text order: live (not
    stale) and not duplicates themselves. The claim page suggests them; any claim's number is
    still accepted (a duplicate may sit in another article)."""
    return list(
        Claim.objects.filter(article_id=claim.article_id, stale=False)
        .exclude(pk=claim.pk)
        .exclude(status=Claim.Status.MERGED)
        .only("pk", "text")
        .order_by("start", "pk")[:MERGE_TARGETS]
    )


# The board's columns, in workflow order. Rejected and merged claims are out of the work and
# shown only as counts below the board.
BOARD_STATES = (
    Claim.Status.CANDIDATE,
    Claim.Status.ACCEPTED,
    Claim.Status.ASSIGNED,
    Claim.Status.IN_REVIEW,
    Claim.Status.SUBMITTED,
    Claim.Status.RETURNED,
    Claim.Status.APPROVED,
    Claim.Status.PUBLISHED,
    Claim.Status.CORRECTED,
)
BOARD_COLLAPSED = (Claim.Status.REJECTED, Claim.Status.MERGED)
BOARD_PER_COLUMN = 25
BOARD_TEXT_CHARS = 120  # a card shows this much of the claim
# What a card shows (templates/reviews/claim_board.html); nothing else is loaded.
BOARD_CARD_FIELDS = (
    "status",
    "article_id",
    "article__title",
    "speaker",
    "checkworthiness",
    "priority",
    "due_date",
    "assignee_id",
    "assignee__username",
)


@dataclass
class BoardColumn:
    status: str
    label: str
    total: int
    claims: list[Claim] = field(default_factory=list)

    @property
    def more(self) -> int:
        """Claims in the column beyond the cards shown."""
        return self.total - len(self.claims)


@dataclass
class Board:
    columns: list[BoardColumn]
    collapsed: list[BoardColumn]

    @property
    def total(self) -> int:
        return sum(c.total for c in self.columns) + sum(c.total for c in self.collapsed)


def claim_board(*, user, sort: str = "priority", per_column: int = BOARD_PER_COLUMN, **filters) -> Board:
    """The board: per workflow state its claim count and its first ``per_column`` claims in the
    queue's sort order, with the queue's filters. Three queries whatever the number of claims:

    1. the count per state (GROUP BY status);
    2. the ids of the first cards of every column at once: ROW_NUMBER() over each state's
       claims in the sort order, kept where it is at most ``per_column``. The window runs over
       the claim table alone: with the joins of the cards in it, SQLite took 100-300 ms on
       10,000 claims instead of 10;
    3. those cards, with their article and assignee."""
    filtered = _queue_filtered(user=user, **filters)
    counts = dict(filtered.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n"))
    order = [*QUEUE_SORTS.get(sort, QUEUE_SORTS["priority"])[1], "pk"]
    first_ids = list(
        filtered.filter(status__in=BOARD_STATES)
        .annotate(board_rank=Window(RowNumber(), partition_by=F("status"), order_by=order))
        .filter(board_rank__lte=per_column)
        .values_list("pk", flat=True)
    )
    cards: dict[str, list[Claim]] = {}
    rows = (
        _queue_rows(Claim.objects.filter(pk__in=first_ids))
        .annotate(card_text=Left("text", BOARD_TEXT_CHARS + 1))
        .only(*BOARD_CARD_FIELDS)
        .order_by(*order)
    )
    for claim in rows:
        # Cut here rather than with |truncatechars: the filter cost a tenth of the page's time.
        if len(claim.card_text) > BOARD_TEXT_CHARS:
            claim.card_text = claim.card_text[: BOARD_TEXT_CHARS - 1].rstrip() + "…"
        cards.setdefault(claim.status, []).append(claim)
    labels = dict(Claim.Status.choices)
    return Board(
        columns=[BoardColumn(s, labels[s], counts.get(s, 0), cards.get(s, [])) for s in BOARD_STATES],
        collapsed=[BoardColumn(s, labels[s], counts.get(s, 0)) for s in BOARD_COLLAPSED],
    )


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


def events_visible_to(user) -> QuerySet[Event]:
    """The audit trail as ``user`` may read it: editors everything; reviewers the events of the
    claims they may see (not the article-level ones). Oldest first, actor joined; rows are
    appended in id order, so paging forward through it never skips or repeats an event."""
    qs = Event.objects.select_related("actor")
    if not roles.is_editor(user):
        qs = qs.filter(claim__in=claims_visible_to(user))
    return qs.order_by("created_at", "id")


def comments_visible_to(user) -> QuerySet[Comment]:
    """Comments on the claims ``user`` may see, oldest first, authors joined."""
    qs = Comment.objects.select_related("author")
    if not roles.is_editor(user):
        qs = qs.filter(claim__in=claims_visible_to(user))
    return qs.order_by("created_at", "id")
