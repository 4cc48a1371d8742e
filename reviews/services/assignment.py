"""Handing claims to reviewers: one, many, self-assignment and least-loaded auto-assignment."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from articles.models import Claim
from factcheck import roles

from ..models import Assignment
from ..workflow import OPEN_STATES, WorkflowError
from .base import check_version, lock_claim, move
from .notifications import Kind, claim_url, notify


@dataclass
class BulkResult:
    done: list[Claim] = field(default_factory=list)
    refused: list[tuple[Claim, str]] = field(default_factory=list)


def _hand_over(claim: Claim, *, reviewer, actor, name: str, priority=None, due_date=None, note: str = "") -> Claim:
    """The assignment write shared by every way of assigning (the claim is locked)."""
    fields = {"assignee": reviewer}
    if priority is not None:
        if priority not in Claim.Priority.values:
            raise ValidationError({"priority": "Unknown priority."})
        fields["priority"] = priority
    if due_date is not None:
        fields["due_date"] = due_date
    if claim.assignee_id == reviewer.pk and claim.status == Claim.Status.ASSIGNED:
        raise WorkflowError(f"This claim is already assigned to {reviewer.get_username()}.")
    Assignment.objects.filter(claim=claim, active=True).update(active=False)
    Assignment.objects.create(claim=claim, reviewer=reviewer, assigned_by=actor)
    event = move(claim, actor=actor, name=name, note=note or f"to {reviewer.get_username()}", **fields)
    if reviewer.pk != actor.pk:
        due = f"\nDue: {claim.due_date:%d %b %Y}" if claim.due_date else ""
        notify(
            recipient=reviewer,
            kind=Kind.ASSIGNED,
            key=f"event:{event.pk}",
            claim=claim,
            subject=f"Claim {claim.pk} assigned to you",
            body=f"{actor.get_username()} assigned you a claim to check:\n\n{claim.text}\n\n"
            f"From: {claim.article.title}{due}\n\n{claim_url(claim)}\n",
        )
    return claim


def _check_reviewer(reviewer) -> None:
    if not roles.is_reviewer(reviewer):
        raise ValidationError({"reviewer": "This user is not a reviewer."})


@transaction.atomic
def claim_assign(
    *,
    claim: Claim,
    reviewer,
    actor,
    priority: int | None = None,
    due_date: datetime.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Claim:
    """An editor hands a claim to a reviewer, or to another one: the old assignment is closed,
    not deleted."""
    claim = lock_claim(claim)
    check_version(claim, expected_version, "claim")
    _check_reviewer(reviewer)
    return _hand_over(
        claim, reviewer=reviewer, actor=actor, name="assign", priority=priority, due_date=due_date, note=note
    )


@transaction.atomic
def claim_self_assign(*, claim: Claim, actor, expected_version: int | None = None) -> Claim:
    """A reviewer takes an accepted claim, where the desk allows it (REVIEWER_SELF_ASSIGN)."""
    claim = lock_claim(claim)
    check_version(claim, expected_version, "claim")
    return _hand_over(claim, reviewer=actor, actor=actor, name="self_assign", note="taken by the reviewer")


@transaction.atomic
def claims_assign(
    *, claims: list[Claim], reviewer, actor, priority: int | None = None, due_date: datetime.date | None = None
) -> BulkResult:
    """Assign many claims at once. Each claim succeeds or is refused on its own (with the
    reason); one refusal does not undo the others."""
    _check_reviewer(reviewer)
    result = BulkResult()
    for claim in claims:
        try:
            with transaction.atomic():
                locked = lock_claim(claim)
                result.done.append(
                    _hand_over(
                        locked, reviewer=reviewer, actor=actor, name="assign", priority=priority, due_date=due_date
                    )
                )
        except WorkflowError as exc:
            result.refused.append((claim, exc.message))
    return result


def reviewer_loads():
    """Active reviewers with their open workload and cap, least loaded first."""
    # A correlated count per reviewer: joining every claim and counting DISTINCT costs ~10x more.
    open_claims = (
        Claim.objects.filter(assignee=OuterRef("pk"), status__in=OPEN_STATES)
        .order_by()
        .values("assignee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        get_user_model()
        .objects.filter(groups__name=roles.REVIEWERS, is_active=True)
        .exclude(reviewer_profile__available=False)
        .select_related("reviewer_profile")
        .annotate(open_load=Coalesce(Subquery(open_claims), Value(0)))
        .order_by("open_load", "username")
    )


def reviewer_cap(reviewer) -> int:
    profile = getattr(reviewer, "reviewer_profile", None)
    return profile.max_open if profile and profile.max_open else settings.REVIEWER_MAX_OPEN


@transaction.atomic
def claims_auto_assign(*, claims: list[Claim], actor) -> BulkResult:
    """Give each claim (most urgent first) to the available reviewer with the fewest open
    claims, never above a reviewer's cap. Claims nobody can take stay unassigned (refused).

    The reviewers' rows are locked for the run, so two auto-assignments at once cannot both
    fill the same reviewer past the cap."""
    # Lock first, then count: loads read before the lock could be stale by the time it is held.
    pool = get_user_model().objects.filter(groups__name=roles.REVIEWERS, is_active=True)
    list(pool.order_by("pk").select_for_update(of=("self",)).values_list("pk"))
    reviewers = list(reviewer_loads())
    loads = {r.pk: r.open_load for r in reviewers}
    result = BulkResult()
    for claim in sorted(claims, key=lambda c: (-c.priority, -c.checkworthiness, c.pk)):
        free = [r for r in reviewers if loads[r.pk] < reviewer_cap(r)]
        if not free:
            result.refused.append((claim, "Every available reviewer is at their maximum of open claims."))
            continue
        reviewer = min(free, key=lambda r: (loads[r.pk], r.username))
        try:
            with transaction.atomic():
                result.done.append(_hand_over(lock_claim(claim), reviewer=reviewer, actor=actor, name="assign"))
            loads[reviewer.pk] += 1
        except WorkflowError as exc:
            result.refused.append((claim, exc.message))
    return result
