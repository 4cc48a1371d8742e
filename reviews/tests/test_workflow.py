"""The workflow rules, at the service layer that every interface calls."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from articles.models import Claim
from reviews import services
from reviews.models import Assignment, Event, Rating, Ruling
from reviews.workflow import NotAllowed, WorkflowError, available_transitions

pytestmark = pytest.mark.django_db
S = Claim.Status


@pytest.fixture
def claim(article):
    return article.claims.get(text__startswith="Referring to Türkiye")


@pytest.fixture
def assigned(claim, editor, reviewer):
    services.claim_accept(claim=claim, actor=editor)
    return services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)


@pytest.fixture
def submitted(assigned, reviewer):
    services.source_add(claim=assigned, actor=reviewer, title="SIPRI arms industry database", url="https://sipri.org/")
    return services.ruling_submit(
        claim=assigned,
        actor=reviewer,
        rating=Rating.objects.get(slug="mostly-true"),
        summary="Türkiye has a very large defence industry",
        explanation="SIPRI lists several Turkish firms in its top 100.",
    )


def test_the_whole_path_writes_one_event_per_step(submitted, editor2):
    services.ruling_approve(ruling=submitted, actor=editor2)
    ruling = services.ruling_publish(ruling=submitted, actor=editor2)
    claim = ruling.claim
    claim.refresh_from_db()
    assert claim.status == S.PUBLISHED and ruling.status == Ruling.Status.PUBLISHED
    assert ruling.approved_by == editor2 and ruling.published_at is not None
    actions = list(Event.objects.filter(claim=claim).values_list("action", "from_state", "to_state"))
    assert actions == [
        ("claim.accept", "candidate", "accepted"),
        ("claim.assign", "accepted", "assigned"),
        ("claim.start", "assigned", "in_review"),
        ("source.added", "", ""),
        ("claim.submit", "in_review", "submitted"),
        ("claim.approve", "submitted", "approved"),
        ("claim.publish", "approved", "published"),
    ]


def test_reviewers_cannot_triage(claim, reviewer):
    with pytest.raises(NotAllowed):
        services.claim_accept(claim=claim, actor=reviewer)
    claim.refresh_from_db()
    assert claim.status == S.CANDIDATE and not Event.objects.filter(claim=claim).exists()


def test_refused_transition_names_the_state(claim, editor):
    services.claim_reject(claim=claim, actor=editor)
    with pytest.raises(WorkflowError, match="Cannot reject a claim that is rejected"):
        services.claim_reject(claim=claim, actor=editor)


def test_assign_only_to_reviewers_and_reassign_keeps_history(assigned, editor, other_reviewer, editor2):
    with pytest.raises(ValidationError):
        services.claim_assign(claim=assigned, reviewer=editor2, actor=editor)
    services.claim_assign(claim=assigned, reviewer=other_reviewer, actor=editor)
    assert Assignment.objects.filter(claim=assigned).count() == 2
    assert Assignment.objects.get(claim=assigned, active=True).reviewer == other_reviewer
    assigned.refresh_from_db()
    assert assigned.assignee == other_reviewer


def test_only_the_assignee_adds_sources_and_rules(assigned, other_reviewer):
    with pytest.raises(NotAllowed):
        services.source_add(claim=assigned, actor=other_reviewer, title="x")
    with pytest.raises(NotAllowed):
        services.ruling_submit(
            claim=assigned, actor=other_reviewer, rating=Rating.objects.first(), summary="s", explanation="e"
        )


def test_a_source_is_required_before_a_ruling(assigned, reviewer):
    with pytest.raises(WorkflowError) as exc:
        services.ruling_submit(
            claim=assigned, actor=reviewer, rating=Rating.objects.first(), summary="s", explanation="e"
        )
    assert exc.value.code == "source_required"
    assert not Ruling.objects.exists()


def test_source_url_is_validated(assigned, reviewer):
    with pytest.raises(ValidationError) as exc:
        services.source_add(claim=assigned, actor=reviewer, title="x", url="ftp://nope")
    assert "url" in exc.value.message_dict


def test_four_eyes_an_editor_cannot_approve_their_own_ruling(submitted, reviewer, editor):
    # Make the reviewer an editor too: the rule still holds.
    from django.contrib.auth.models import Group

    reviewer.groups.add(Group.objects.get(name="editors"))
    del reviewer._factcheck_groups
    with pytest.raises(NotAllowed, match="someone other"):
        services.ruling_approve(ruling=submitted, actor=reviewer)
    submitted.refresh_from_db()
    assert submitted.status == Ruling.Status.SUBMITTED


def test_the_database_also_refuses_self_approval(submitted, reviewer):
    with pytest.raises(IntegrityError):
        Ruling.objects.filter(pk=submitted.pk).update(approved_by=reviewer)


def test_return_and_resubmit(submitted, editor, reviewer):
    services.ruling_return(ruling=submitted, actor=editor, note="Cite the 2024 figures.")
    claim = submitted.claim
    claim.refresh_from_db()
    assert claim.status == S.RETURNED
    again = services.ruling_submit(
        claim=claim, actor=reviewer, rating=Rating.objects.get(slug="true"), summary="s2", explanation="e2"
    )
    assert Ruling.objects.filter(claim=claim).count() == 2
    assert again.status == Ruling.Status.SUBMITTED


def test_publish_needs_approval_first(submitted, editor):
    with pytest.raises(WorkflowError, match="submitted"):
        services.ruling_publish(ruling=submitted, actor=editor)


def test_available_transitions_per_persona(claim, editor, reviewer):
    assert {t.name for t in available_transitions(editor, claim)} == {"accept", "reject", "merge", "assign"}
    assert available_transitions(reviewer, claim) == []
