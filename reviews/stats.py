"""Reads for the editors' dashboard and the public annotated article.

Every function here is a fixed number of queries that aggregate in the database: none of them
loads the claims table into Python, so the dashboard stays fast with tens of thousands of
claims. Loops in Python run over weeks, states or ratings, never over claims.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, FloatField, Func, OuterRef, Q, Subquery
from django.utils import timezone

from articles.models import Article, Claim

from .models import Event, Rating, Ruling
from .services.assignment import reviewer_cap, reviewer_loads
from .workflow import OPEN_STATES, PUBLIC_STATES

# The event actions that start and end a claim's time to publication.
ASSIGN_ACTIONS = ("claim.assign", "claim.self_assign")
PUBLISH_ACTION = "claim.publish"

WEEKS = 12
MEDIAN_DAYS = 90
# Published verdicts as they were handed down: a ruling later corrected still counts in its week.
VERDICT_STATUSES = (Ruling.Status.PUBLISHED, Ruling.Status.SUPERSEDED)


class Epoch(Func):
    """Seconds since 1970 of a timestamp, computed natively by the database: subtracting two
    timestamps through Django's DurationField calls a Python function per row on SQLite."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)")


@dataclass(frozen=True)
class StateCounts:
    by_state: list[tuple[str, str, int]]  # (status, label, count), in workflow order
    total: int
    overdue: int


@dataclass(frozen=True)
class ReviewerLoad:
    reviewer: object
    open_load: int
    cap: int

    @property
    def full(self) -> bool:
        return self.open_load >= self.cap


@dataclass(frozen=True)
class WeeklySeries:
    name: str
    colour: str
    values: list[int]


def claim_counts(*, today: datetime.date | None = None) -> StateCounts:
    """Claims per state and the overdue ones, in one pass over the claims table."""
    today = today or timezone.localdate()
    counts = Claim.objects.aggregate(
        **{f"state_{value}": Count("pk", filter=Q(status=value)) for value in Claim.Status.values},
        overdue=Count("pk", filter=Q(status__in=OPEN_STATES, due_date__lt=today)),
    )
    by_state = [(value, label, counts[f"state_{value}"]) for value, label in Claim.Status.choices]
    return StateCounts(by_state=by_state, total=sum(n for _, _, n in by_state), overdue=counts["overdue"])


def reviewer_workload() -> list[ReviewerLoad]:
    """Available reviewers with their open claims and cap, most loaded first (one query)."""
    loads = [ReviewerLoad(r, r.open_load, reviewer_cap(r)) for r in reviewer_loads()]
    return sorted(loads, key=lambda load: (-load.open_load, load.reviewer.get_username()))


def median_time_to_publication(*, days: int = MEDIAN_DAYS, now: datetime.datetime | None = None):
    """The median time from a claim's first assignment to its publication, over the claims
    published in the last ``days`` days; None if there are none. Returns (median, count).

    1. One row per publish event in the window, with the claim's first assignment found by a
       subquery on the event_claim index (claim, created_at).
    2. Count them; then fetch only the middle one or two durations, ordered in the database
       (portable: SQLite has no median aggregate, PostgreSQL's percentile_cont is not in the ORM).
    """
    now = now or timezone.now()
    first_assigned = (
        Event.objects.filter(claim_id=OuterRef("claim_id"), action__in=ASSIGN_ACTIONS)
        .order_by("created_at", "id")
        .values("created_at")[:1]
    )
    durations = (
        Event.objects.filter(action=PUBLISH_ACTION, created_at__gte=now - datetime.timedelta(days=days))
        .annotate(assigned_at=Subquery(first_assigned))
        .filter(assigned_at__isnull=False)
        .annotate(took=Epoch(F("created_at")) - Epoch(F("assigned_at")))
    )
    count = durations.count()
    if not count:
        return None, 0
    middle = list(durations.order_by("took", "id").values_list("took", flat=True)[(count - 1) // 2 : count // 2 + 1])
    return datetime.timedelta(seconds=round(sum(middle) / len(middle))), count


def week_starts(*, weeks: int = WEEKS, today: datetime.date | None = None) -> list[datetime.date]:
    """The Mondays of the last ``weeks`` ISO weeks, oldest first, this week last."""
    today = today or timezone.localdate()
    this_monday = today - datetime.timedelta(days=today.weekday())
    return [this_monday - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _week_counts(field: str, weeks: list[datetime.date]) -> dict[str, Count]:
    """One conditional count per week: ``w0`` is the oldest. Week boundaries are local
    midnights on Mondays, computed here, so the database compares plain timestamps (SQLite
    would otherwise call a Python function per row to truncate dates to weeks)."""
    bounds = [timezone.make_aware(datetime.datetime.combine(w, datetime.time.min)) for w in weeks]
    bounds.append(bounds[-1] + datetime.timedelta(weeks=1))
    return {
        f"w{i}": Count("pk", filter=Q(**{f"{field}__gte": bounds[i], f"{field}__lt": bounds[i + 1]}))
        for i in range(len(weeks))
    }


def _window(field: str, weeks: list[datetime.date]) -> Q:
    return Q(**{f"{field}__gte": timezone.make_aware(datetime.datetime.combine(weeks[0], datetime.time.min))})


def published_per_week(weeks: list[datetime.date]) -> list[int]:
    """How many claims were published in each of ``weeks`` (one query)."""
    counts = Event.objects.filter(_window("created_at", weeks), action=PUBLISH_ACTION).aggregate(
        **_week_counts("created_at", weeks)
    )
    return [counts[f"w{i}"] for i in range(len(weeks))]


def verdicts_per_week(weeks: list[datetime.date]) -> list[WeeklySeries]:
    """Published verdicts per week and rating, one series per rating in scale order (two
    queries: the counts grouped by rating, and the scale with its colours). Ratings never used
    in the window are left out, so the legend lists only what the chart shows."""
    rows = (
        Ruling.objects.filter(_window("published_at", weeks), status__in=VERDICT_STATUSES)
        .values("rating_id")
        .annotate(**_week_counts("published_at", weeks))
        .order_by()
    )
    counts = {row["rating_id"]: [row[f"w{i}"] for i in range(len(weeks))] for row in rows}
    return [
        WeeklySeries(rating.name, rating.colour, counts[rating.pk])
        for rating in Rating.objects.order_by("order", "id")  # the scale: a handful of rows
        if rating.pk in counts
    ]


# --- The public annotated article ---------------------------------------------------------------


def public_verdicts(*, article_id: int) -> list[Ruling]:
    """The live published rulings on an article's claims, in text order, with their rating."""
    return list(
        Ruling.objects.filter(
            claim__article_id=article_id, claim__status__in=PUBLIC_STATES, status=Ruling.Status.PUBLISHED
        )
        .select_related("rating", "claim")
        .order_by("claim__start", "claim_id")
    )


def public_article(*, pk: int) -> Article:
    """The article for its public annotated page: only what the page shows. Raises DoesNotExist."""
    return Article.objects.only("title", "body", "source_url", "outlet", "byline", "published_on").get(pk=pk)


def corrections(ruling: Ruling) -> list[Ruling]:
    """The superseded rulings of ``ruling``'s claim, newest first, with their ratings: each was
    replaced by a correction. No query when the ruling corrects nothing."""
    if not ruling.supersedes_id:
        return []
    return list(
        Ruling.objects.filter(claim_id=ruling.claim_id, status=Ruling.Status.SUPERSEDED)
        .select_related("rating")
        .order_by("-published_at", "-id")
    )
