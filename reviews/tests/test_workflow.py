"""The workflow rules, at the service layer that every interface calls."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from articles import services as article_services
from articles.models import Claim
from reviews import services
from reviews.models import Assignment, Event, Notification, Rating, Ruling
from reviews.workflow import TRANSITIONS, Conflict, NotAllowed, WorkflowError, available_transitions

pytestmark = pytest.mark.django_db
S = Claim.Status


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


# --- Every transition: who may make it, from where, and the event it writes ------------------
#
# These run on a small hand-made article (no extraction) so that each case is cheap: the
# matrix has one test per (transition, state, persona) that matters.

BODY = "\n".join(f"The minister said exports rose by {i} percent in 202{i}." for i in range(4))
# The order in which a claim can reach each state; used to pick representative cases.
ORDER = [
    S.CANDIDATE,
    S.ACCEPTED,
    S.REJECTED,
    S.MERGED,
    S.ASSIGNED,
    S.IN_REVIEW,
    S.SUBMITTED,
    S.RETURNED,
    S.APPROVED,
    S.PUBLISHED,
    S.CORRECTED,
]
_REVIEWED = ("accept", "assign", "draft", "submit")
PATH = {
    S.CANDIDATE: (),
    S.ACCEPTED: ("accept",),
    S.REJECTED: ("reject",),
    S.MERGED: ("merge",),
    S.ASSIGNED: ("accept", "assign"),
    S.IN_REVIEW: ("accept", "assign", "draft"),
    S.SUBMITTED: _REVIEWED,
    S.RETURNED: (*_REVIEWED, "return"),
    S.APPROVED: (*_REVIEWED, "approve"),
    S.PUBLISHED: (*_REVIEWED, "approve", "publish"),
    S.CORRECTED: (*_REVIEWED, "approve", "publish", "correct"),
}
# Who may make a transition of each kind (the reviewer persona is the assignee on every path).
ALLOWED = {
    "editor": ("editor", "editor2", "admin_user"),
    "assignee": ("reviewer",),
    "reviewer": ("reviewer", "other_reviewer"),
}
PERSONAS = ("editor", "editor2", "admin_user", "reviewer", "other_reviewer", "outsider")
RULING_TRANSITIONS = {"return", "approve", "publish", "correct"}
STATES_WITH_A_RULING = {S.IN_REVIEW, S.SUBMITTED, S.RETURNED, S.APPROVED, S.PUBLISHED, S.CORRECTED}
STATES_WITH_THE_ASSIGNEE = {s for s in ORDER if s in STATES_WITH_A_RULING or s == S.ASSIGNED}


class Desk:
    """The personas and a claim (with a spare to merge into), moved through the services."""

    def __init__(self, request):
        for persona in PERSONAS:
            setattr(self, persona, request.getfixturevalue(persona))
        article = article_services.article_create(submitted_by=self.editor, title="Exports", body=BODY, extract=False)
        lines = BODY.split("\n")
        self.claims = [
            Claim.objects.create(article=article, start=BODY.index(line), end=BODY.index(line) + len(line), text=line)
            for line in lines
        ]
        self.claim, self.spare = self.claims[:2]
        self.rating = Rating.objects.get(slug="false")

    def bring(self, state: str) -> Claim:
        """Take the claim to ``state`` along its usual path, each step by its usual persona."""
        actors = {"draft": self.reviewer, "submit": self.reviewer}
        for step in PATH[state]:
            self.attempt(step, actors.get(step, self.editor), assignee=self.reviewer)
        self.claim.refresh_from_db()
        assert self.claim.status == state
        return self.claim

    def attempt(self, name: str, actor, *, assignee=None) -> str:
        """Make transition (or step) ``name`` as ``actor``; return the note its event carries."""
        claim = Claim.objects.get(pk=self.claim.pk)
        ruling = claim.rulings.order_by("-id").first()
        rating, summary, explanation = self.rating, "Exports did not rise", "Customs data show a fall."
        match name:
            case "accept":
                services.claim_accept(claim=claim, actor=actor, note="Worth a check")
                return "Worth a check"
            case "reject":
                services.claim_reject(claim=claim, actor=actor, note="Opinion")
                return "Opinion"
            case "merge":
                services.claim_merge(claim=claim, into=self.spare, actor=actor)
                return f"into claim {self.spare.pk}"
            case "assign":
                to = assignee or self.other_reviewer
                services.claim_assign(claim=claim, reviewer=to, actor=actor)
                return f"to {to.username}"
            case "self_assign":
                services.claim_self_assign(claim=claim, actor=actor)
                return "taken by the reviewer"
            case "start":
                services.claim_start_review(claim=claim, actor=actor)
                return ""
            case "draft":
                services.ruling_save_draft(
                    claim=claim, actor=actor, rating=rating, summary=summary, explanation=explanation
                )
                return ""
            case "submit":
                services.ruling_submit(
                    claim=claim, actor=actor, rating=rating, summary=summary, explanation=explanation
                )
                return f"{rating.name}: {summary}"
            case "return":
                services.ruling_return(ruling=ruling, actor=actor, note="Cite the customs data.")
                return "Cite the customs data."
            case "approve":
                services.ruling_approve(ruling=ruling, actor=actor, note="Solid.")
                return "Solid."
            case "publish":
                services.ruling_publish(ruling=ruling, actor=actor)
                return ""
            case "correct":
                services.ruling_correct(
                    ruling=ruling,
                    actor=actor,
                    rating=Rating.objects.get(slug="mostly-false"),
                    summary=summary,
                    explanation=explanation,
                    correction_note="The 2024 figure was revised.",
                )
                return "The 2024 figure was revised."
        raise AssertionError(name)


@pytest.fixture
def desk(request, settings):
    settings.REVIEWER_SELF_ASSIGN = True
    settings.RULING_REQUIRES_SOURCE = False  # the source rule has its own tests (test_rulings.py)
    return Desk(request)


def _snapshot(claim: Claim) -> dict:
    """Everything a refused transition must leave as it was."""
    return {
        "claim": Claim.objects.filter(pk=claim.pk).values("status", "version", "assignee", "merged_into").get(),
        "events": list(Event.objects.values_list("pk", flat=True)),
        "assignments": list(Assignment.objects.values_list("pk", "active")),
        "rulings": list(Ruling.objects.values_list("pk", "status", "version")),
        "notifications": Notification.objects.count(),
    }


def _first_source(transition) -> str:
    return min(transition.sources, key=ORDER.index)


def _allowed_cases():
    for t in TRANSITIONS.values():
        for state in sorted(t.sources, key=ORDER.index):
            for persona in ALLOWED[t.who]:
                yield pytest.param(t.name, state, persona, id=f"{t.name}-from-{state}-by-{persona}")


def _refused_persona_cases():
    for t in TRANSITIONS.values():
        for persona in PERSONAS:
            if persona not in ALLOWED[t.who]:
                yield pytest.param(t.name, persona, id=f"{t.name}-by-{persona}")


def _refused_state_cases():
    for t in TRANSITIONS.values():
        for state in ORDER:
            if state in t.sources:
                continue
            if t.name in RULING_TRANSITIONS and state not in STATES_WITH_A_RULING:
                continue  # no ruling to pass: the call cannot even be made
            if t.who == "assignee" and state not in STATES_WITH_THE_ASSIGNEE:
                continue  # nobody is the assignee: refused as NotAllowed, covered above
            yield pytest.param(t.name, state, id=f"{t.name}-from-{state}")


@pytest.mark.parametrize(("name", "state", "persona"), list(_allowed_cases()))
def test_transition_is_allowed_and_writes_its_event(desk, name, state, persona):
    claim = desk.bring(state)
    before_version = claim.version
    seen = set(Event.objects.values_list("pk", flat=True))
    actor = getattr(desk, persona)

    note = desk.attempt(name, actor)

    claim.refresh_from_db()
    assert claim.status == TRANSITIONS[name].target
    assert claim.version == before_version + 1
    events = [
        (e.action, e.from_state, e.to_state, e.actor_id, e.note)
        for e in Event.objects.filter(claim=claim, action__startswith="claim.").exclude(pk__in=seen)
    ]
    assert events == [(f"claim.{name}", state, TRANSITIONS[name].target, actor.pk, note)]


@pytest.mark.parametrize(("name", "persona"), list(_refused_persona_cases()))
def test_transition_is_refused_to_other_personas(desk, name, persona):
    claim = desk.bring(_first_source(TRANSITIONS[name]))
    before = _snapshot(claim)

    with pytest.raises(NotAllowed) as exc:
        desk.attempt(name, getattr(desk, persona))

    assert exc.value.status_code == 403
    assert exc.value.message.startswith("Only ")
    assert _snapshot(claim) == before


@pytest.mark.parametrize(("name", "state"), list(_refused_state_cases()))
def test_transition_is_refused_from_other_states(desk, name, state):
    claim = desk.bring(state)
    before = _snapshot(claim)
    actor = getattr(desk, ALLOWED[TRANSITIONS[name].who][-1])  # other_reviewer takes: never the assignee

    with pytest.raises(WorkflowError) as exc:
        desk.attempt(name, actor)

    assert not isinstance(exc.value, NotAllowed)
    assert exc.value.status_code == 409
    assert exc.value.message.endswith(f"a claim that is {claim.get_status_display().lower()}.")
    assert _snapshot(claim) == before


def test_refusal_messages_read_as_sentences(desk):
    with pytest.raises(NotAllowed, match=r"^Only the assigned reviewer can start reviewing this claim\.$"):
        desk.attempt("start", desk.editor)
    with pytest.raises(NotAllowed, match=r"^Only the assigned reviewer can submit a ruling on this claim\.$"):
        desk.attempt("submit", desk.reviewer)
    with pytest.raises(WorkflowError, match=r"^Cannot take a claim that is candidate\.$"):
        desk.attempt("self_assign", desk.reviewer)


# --- Merging ------------------------------------------------------------------------------------


def test_merge_points_the_duplicate_at_the_other_claim(desk):
    services.claim_merge(claim=desk.claim, into=desk.spare, actor=desk.editor)
    desk.claim.refresh_from_db()
    assert desk.claim.status == S.MERGED
    assert desk.claim.merged_into == desk.spare
    assert list(desk.spare.merged_claims.all()) == [desk.claim]


def test_a_claim_cannot_be_merged_into_itself(desk):
    before = _snapshot(desk.claim)
    with pytest.raises(ValidationError) as exc:
        services.claim_merge(claim=desk.claim, into=desk.claim, actor=desk.editor)
    assert "into" in exc.value.message_dict
    assert _snapshot(desk.claim) == before


def test_a_claim_cannot_be_merged_into_a_merged_claim(desk):
    third = desk.claims[2]
    services.claim_merge(claim=desk.spare, into=third, actor=desk.editor)
    before = _snapshot(desk.claim)
    with pytest.raises(ValidationError, match="itself merged"):
        services.claim_merge(claim=desk.claim, into=desk.spare, actor=desk.editor)
    assert _snapshot(desk.claim) == before


def test_a_merged_claim_cannot_be_changed(desk):
    desk.bring(S.MERGED)
    with pytest.raises(WorkflowError, match="merged claim"):
        services.claim_update(claim=desk.claim, actor=desk.editor, priority=Claim.Priority.HIGH)


# --- Starting the review ------------------------------------------------------------------------


def test_the_first_source_starts_the_review(desk):
    claim = desk.bring(S.ASSIGNED)
    services.source_add(claim=claim, actor=desk.reviewer, title="Customs data", url="https://example.org/customs")
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW
    actions = list(Event.objects.filter(claim=claim).values_list("action", "actor"))
    assert actions[-2:] == [("claim.start", desk.reviewer.pk), ("source.added", desk.reviewer.pk)]


def test_the_first_draft_starts_the_review(desk):
    claim = desk.bring(S.ASSIGNED)
    desk.attempt("draft", desk.reviewer)
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW
    assert Event.objects.filter(claim=claim).last().action == "claim.start"


def test_a_second_source_or_draft_does_not_start_it_again(desk):
    claim = desk.bring(S.IN_REVIEW)
    services.source_add(claim=claim, actor=desk.reviewer, title="Customs data", url="https://example.org/customs")
    desk.attempt("draft", desk.reviewer)
    assert Event.objects.filter(claim=claim, action="claim.start").count() == 1


def test_an_editors_source_does_not_start_the_reviewers_review(desk):
    claim = desk.bring(S.ASSIGNED)
    services.source_add(claim=claim, actor=desk.editor, title="Customs data", url="https://example.org/customs")
    claim.refresh_from_db()
    assert claim.status == S.ASSIGNED


# --- Self-assignment ------------------------------------------------------------------------------


def test_reviewers_take_claims_where_the_desk_allows_it(desk):
    claim = desk.bring(S.ACCEPTED)
    services.claim_self_assign(claim=claim, actor=desk.reviewer)
    claim.refresh_from_db()
    assert (claim.status, claim.assignee) == (S.ASSIGNED, desk.reviewer)
    assignment = Assignment.objects.get(claim=claim, active=True)
    assert (assignment.reviewer, assignment.assigned_by) == (desk.reviewer, desk.reviewer)
    assert not Notification.objects.exists()  # nobody is told what they did themselves


def test_self_assignment_is_refused_where_the_desk_does_not_allow_it(desk, settings):
    settings.REVIEWER_SELF_ASSIGN = False
    claim = desk.bring(S.ACCEPTED)
    before = _snapshot(claim)
    with pytest.raises(NotAllowed, match="does not let reviewers take claims"):
        services.claim_self_assign(claim=claim, actor=desk.reviewer)
    assert _snapshot(claim) == before
    assert "self_assign" not in {t.name for t in available_transitions(desk.reviewer, claim)}


def test_self_assignment_is_offered_to_reviewers_only_where_allowed(desk):
    claim = desk.bring(S.ACCEPTED)
    assert "self_assign" in {t.name for t in available_transitions(desk.reviewer, claim)}
    assert "self_assign" not in {t.name for t in available_transitions(desk.editor, claim)}


# --- Editing a claim: versions ------------------------------------------------------------------


def test_claim_update_bumps_the_version_and_records_the_change(desk):
    claim = desk.claim
    due = datetime.date(2025, 7, 1)
    services.claim_update(
        claim=claim, actor=desk.editor, expected_version=1, priority=Claim.Priority.URGENT, due_date=due
    )
    claim.refresh_from_db()
    assert (claim.priority, claim.due_date, claim.version) == (Claim.Priority.URGENT, due, 2)
    event = Event.objects.get(claim=claim, action="claim.updated")
    assert event.note == "priority Normal → Urgent; due — → 2025-07-01"
    assert event.actor == desk.editor


def test_claim_update_with_a_stale_version_is_a_conflict_and_changes_nothing(desk):
    services.claim_update(claim=desk.claim, actor=desk.editor2, expected_version=1, priority=Claim.Priority.HIGH)
    before = _snapshot(desk.claim)

    with pytest.raises(Conflict) as exc:
        services.claim_update(
            claim=desk.claim, actor=desk.editor, expected_version=1, priority=Claim.Priority.LOW, due_date=None
        )

    assert exc.value.status_code == 409 and exc.value.code == "conflict"
    assert "version 1, now 2" in exc.value.message
    assert _snapshot(desk.claim) == before
    desk.claim.refresh_from_db()
    assert desk.claim.priority == Claim.Priority.HIGH


def test_a_transition_with_a_stale_version_is_a_conflict(desk):
    services.claim_update(claim=desk.claim, actor=desk.editor2, priority=Claim.Priority.HIGH)
    before = _snapshot(desk.claim)
    with pytest.raises(Conflict):
        services.claim_accept(claim=desk.claim, actor=desk.editor, expected_version=1)
    assert _snapshot(desk.claim) == before


def test_claim_update_without_a_change_writes_nothing(desk):
    before = _snapshot(desk.claim)
    services.claim_update(claim=desk.claim, actor=desk.editor, priority=desk.claim.priority)
    assert _snapshot(desk.claim) == before


@pytest.mark.parametrize("persona", ["reviewer", "other_reviewer", "outsider"])
def test_only_editors_update_claims(desk, persona):
    before = _snapshot(desk.claim)
    with pytest.raises(NotAllowed):
        services.claim_update(claim=desk.claim, actor=getattr(desk, persona), priority=Claim.Priority.URGENT)
    assert _snapshot(desk.claim) == before
