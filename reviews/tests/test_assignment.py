"""Assignment: one claim, many at once, and auto-assignment by open workload."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from articles import services as article_services
from articles.models import Claim
from factcheck.roles import REVIEWERS
from reviews import services
from reviews.models import Assignment, Event, ReviewerProfile
from reviews.services.assignment import reviewer_cap, reviewer_loads
from reviews.workflow import WorkflowError

pytestmark = pytest.mark.django_db
S = Claim.Status
FULL = "Every available reviewer is at their maximum of open claims."


@pytest.fixture
def make_claims(editor):
    """``make_claims(n)``: n accepted claims of a fresh article, in text order."""
    made = []

    def make(n: int, *, status: str = S.ACCEPTED) -> list[Claim]:
        body = "\n".join(f"Claim {len(made) + i}: exports rose by {i} percent." for i in range(n))
        article = article_services.article_create(submitted_by=editor, title="Exports", body=body, extract=False)
        claims = []
        for line in body.split("\n"):
            start = body.index(line)
            claims.append(
                Claim.objects.create(article=article, start=start, end=start + len(line), text=line, status=status)
            )
        made.extend(claims)
        return claims

    return make


@pytest.fixture
def third_reviewer(django_user_model):
    user = django_user_model.objects.create_user(username="una", email="una@example.org")
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


def _loads() -> dict[str, int]:
    return {r.username: r.open_load for r in reviewer_loads()}


def _give(claims, reviewer, editor) -> None:
    for claim in claims:
        services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)


def _assignees(result) -> list[str]:
    return [Claim.objects.get(pk=c.pk).assignee.username for c in result.done]


# --- One claim ----------------------------------------------------------------------------------


def test_assigning_sets_the_assignee_priority_and_due_date(make_claims, editor, reviewer):
    (claim,) = make_claims(1)
    due = datetime.date(2025, 7, 1)
    services.claim_assign(claim=claim, reviewer=reviewer, actor=editor, priority=Claim.Priority.URGENT, due_date=due)
    claim.refresh_from_db()
    assert (claim.status, claim.assignee, claim.priority, claim.due_date) == (S.ASSIGNED, reviewer, 4, due)
    assignment = Assignment.objects.get(claim=claim)
    assert (assignment.reviewer, assignment.assigned_by, assignment.active) == (reviewer, editor, True)


def test_assigning_twice_to_the_same_reviewer_is_refused(make_claims, editor, reviewer):
    (claim,) = make_claims(1)
    _give([claim], reviewer, editor)
    with pytest.raises(WorkflowError, match="already assigned to rita"):
        services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
    assert Assignment.objects.filter(claim=claim).count() == 1


def test_an_unknown_priority_is_refused(make_claims, editor, reviewer):
    (claim,) = make_claims(1)
    with pytest.raises(ValidationError):
        services.claim_assign(claim=claim, reviewer=reviewer, actor=editor, priority=9)
    assert not Assignment.objects.exists()


# --- Many at once -------------------------------------------------------------------------------


def test_bulk_assignment_keeps_the_claims_it_could_assign(make_claims, editor, reviewer):
    first, refused, last = make_claims(3)
    services.claim_reject(claim=refused, actor=editor)

    result = services.claims_assign(claims=[first, refused, last], reviewer=reviewer, actor=editor)

    assert result.done == [first, last]
    assert result.refused == [(refused, "Cannot assign a claim that is rejected.")]
    assert sorted(Claim.objects.filter(assignee=reviewer).values_list("pk", flat=True)) == [first.pk, last.pk]
    assert not Assignment.objects.filter(claim=refused).exists()
    assert not Event.objects.filter(claim=refused, action="claim.assign").exists()


def test_bulk_assignment_only_to_a_reviewer(make_claims, editor, editor2):
    claims = make_claims(2)
    with pytest.raises(ValidationError):
        services.claims_assign(claims=claims, reviewer=editor2, actor=editor)
    assert not Assignment.objects.exists()


def test_bulk_assignment_by_a_non_editor_refuses_every_claim(make_claims, reviewer):
    claims = make_claims(2)
    result = services.claims_assign(claims=claims, reviewer=reviewer, actor=reviewer)
    assert result.done == []
    assert [reason for _, reason in result.refused] == ["Only an editor can assign this claim."] * 2
    assert not Assignment.objects.exists()


# --- Workload -----------------------------------------------------------------------------------


def test_open_load_counts_only_claims_still_being_worked_on(make_claims, editor, reviewer, other_reviewer):
    open_claims, closed = make_claims(4), make_claims(1)
    _give(open_claims + closed, reviewer, editor)
    services.claim_start_review(claim=open_claims[1], actor=reviewer)
    Claim.objects.filter(pk=closed[0].pk).update(status=S.PUBLISHED)
    assert _loads() == {"otto": 0, "rita": 4}


def test_reviewers_who_are_away_or_inactive_have_no_load_listed(reviewer, other_reviewer, third_reviewer):
    ReviewerProfile.objects.create(user=other_reviewer, available=False)
    third_reviewer.is_active = False
    third_reviewer.save()
    assert list(_loads()) == ["rita"]


def test_the_cap_is_the_desks_unless_the_profile_sets_one(reviewer, other_reviewer, settings):
    settings.REVIEWER_MAX_OPEN = 7
    ReviewerProfile.objects.create(user=reviewer, max_open=3)
    ReviewerProfile.objects.create(user=other_reviewer)
    caps = {r.username: reviewer_cap(r) for r in reviewer_loads()}
    assert caps == {"rita": 3, "otto": 7}


# --- Auto-assignment ----------------------------------------------------------------------------


def test_auto_assignment_gives_the_least_loaded_reviewer_the_next_claim(
    make_claims, editor, reviewer, other_reviewer, third_reviewer
):
    _give(make_claims(2), other_reviewer, editor)
    _give(make_claims(1), third_reviewer, editor)
    (claim,) = make_claims(1)

    result = services.claims_auto_assign(claims=[claim], actor=editor)

    assert _assignees(result) == ["rita"]


def test_auto_assignment_breaks_ties_by_username(make_claims, editor, reviewer, other_reviewer, third_reviewer):
    result = services.claims_auto_assign(claims=make_claims(3), actor=editor)
    assert _assignees(result) == ["otto", "rita", "una"]


def test_auto_assignment_spreads_claims_evenly(make_claims, editor, reviewer, other_reviewer, third_reviewer):
    _give(make_claims(2), reviewer, editor)

    result = services.claims_auto_assign(claims=make_claims(7), actor=editor)

    assert len(result.done) == 7 and result.refused == []
    assert _loads() == {"otto": 3, "rita": 3, "una": 3}


def test_auto_assignment_takes_the_most_urgent_claims_first(make_claims, editor, reviewer, settings):
    settings.REVIEWER_MAX_OPEN = 1
    low, urgent = make_claims(2)
    Claim.objects.filter(pk=urgent.pk).update(priority=Claim.Priority.URGENT)
    urgent.refresh_from_db()

    result = services.claims_auto_assign(claims=[low, urgent], actor=editor)

    assert result.done == [urgent]
    assert result.refused == [(low, FULL)]


def test_auto_assignment_respects_the_desks_maximum(make_claims, editor, reviewer, other_reviewer, settings):
    settings.REVIEWER_MAX_OPEN = 2
    _give(make_claims(1), reviewer, editor)
    claims = make_claims(5)

    result = services.claims_auto_assign(claims=claims, actor=editor)

    assert len(result.done) == 3
    assert result.refused == [(claims[3], FULL), (claims[4], FULL)]
    assert _loads() == {"otto": 2, "rita": 2}
    assert Claim.objects.filter(pk__in=[claims[3].pk, claims[4].pk], status=S.ACCEPTED).count() == 2


def test_auto_assignment_respects_a_reviewers_own_maximum(make_claims, editor, reviewer, other_reviewer, settings):
    settings.REVIEWER_MAX_OPEN = 10
    ReviewerProfile.objects.create(user=other_reviewer, max_open=1)

    result = services.claims_auto_assign(claims=make_claims(4), actor=editor)

    assert sorted(_assignees(result)) == ["otto", "rita", "rita", "rita"]


def test_auto_assignment_skips_reviewers_who_are_away(make_claims, editor, reviewer, other_reviewer):
    ReviewerProfile.objects.create(user=other_reviewer, available=False)
    result = services.claims_auto_assign(claims=make_claims(3), actor=editor)
    assert _assignees(result) == ["rita", "rita", "rita"]


def test_auto_assignment_with_nobody_available_assigns_nothing(make_claims, editor, reviewer):
    ReviewerProfile.objects.create(user=reviewer, available=False)
    claims = make_claims(2)
    result = services.claims_auto_assign(claims=claims, actor=editor)
    assert result.done == [] and result.refused == [(c, FULL) for c in claims]
    assert not Assignment.objects.exists()


def test_auto_assignment_reports_claims_it_may_not_assign_and_goes_on(make_claims, editor, reviewer, other_reviewer):
    first, merged, last = make_claims(3)
    services.claim_merge(claim=merged, into=first, actor=editor)
    merged.refresh_from_db()

    result = services.claims_auto_assign(claims=[first, merged, last], actor=editor)

    assert result.refused == [(merged, "Cannot assign a claim that is merged.")]
    assert _assignees(result) == ["otto", "rita"]  # the refusal did not count towards anyone's load


def test_auto_assignment_notifies_each_reviewer(make_claims, editor, reviewer, other_reviewer):
    services.claims_auto_assign(claims=make_claims(2), actor=editor)
    assert sorted(reviewer.notifications.values_list("kind", flat=True)) == ["assigned"]
    assert sorted(other_reviewer.notifications.values_list("kind", flat=True)) == ["assigned"]
