"""The claim workflow: which transition may be made, by whom, from which states.

Every interface (web UI, REST API, admin actions) goes through the service functions in
``reviews/services.py``, which call ``check_transition`` here before writing anything.
"""

from dataclasses import dataclass

from django.conf import settings

from articles.models import Claim
from factcheck import roles

S = Claim.Status


class WorkflowError(Exception):
    """A refused action. ``code`` is machine-readable; ``message`` is shown to the user."""

    status_code = 409
    code = "invalid_transition"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotAllowed(WorkflowError):
    status_code = 403
    code = "permission_denied"


class Conflict(WorkflowError):
    """Someone else saved the same claim or ruling since this user loaded it."""

    code = "conflict"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    who: str  # "editor", "assignee", or "reviewer" (self-assignment, where the desk allows it)
    label: str
    verb: str = ""  # for messages ("Cannot {verb} a claim that is ..."); the label, lower-cased, if empty


OPEN_FOR_REVIEW = frozenset({S.ASSIGNED, S.IN_REVIEW, S.RETURNED})

TRANSITIONS = {
    t.name: t
    for t in (
        Transition("accept", frozenset({S.CANDIDATE, S.REJECTED}), S.ACCEPTED, "editor", "Accept"),
        Transition("reject", frozenset({S.CANDIDATE, S.ACCEPTED}), S.REJECTED, "editor", "Reject"),
        Transition("merge", frozenset({S.CANDIDATE, S.ACCEPTED, S.REJECTED}), S.MERGED, "editor", "Merge"),
        Transition("assign", frozenset({S.CANDIDATE, S.ACCEPTED} | OPEN_FOR_REVIEW), S.ASSIGNED, "editor", "Assign"),
        Transition("self_assign", frozenset({S.ACCEPTED}), S.ASSIGNED, "reviewer", "Take this claim", "take"),
        Transition("start", frozenset({S.ASSIGNED}), S.IN_REVIEW, "assignee", "Start review", "start reviewing"),
        Transition("submit", OPEN_FOR_REVIEW, S.SUBMITTED, "assignee", "Submit ruling", "submit a ruling on"),
        Transition("return", frozenset({S.SUBMITTED}), S.RETURNED, "editor", "Return to reviewer", "return"),
        Transition("approve", frozenset({S.SUBMITTED}), S.APPROVED, "editor", "Approve"),
        Transition("publish", frozenset({S.APPROVED}), S.PUBLISHED, "editor", "Publish"),
        Transition("correct", frozenset({S.PUBLISHED, S.CORRECTED}), S.CORRECTED, "editor", "Correct"),
    )
}

# Claims that still need work: counted as a reviewer's open load, flagged when overdue.
OPEN_STATES = frozenset({S.ASSIGNED, S.IN_REVIEW, S.RETURNED, S.SUBMITTED})
# Claims whose verdict is out: shown publicly.
PUBLIC_STATES = frozenset({S.PUBLISHED, S.CORRECTED})

# States in which the assigned reviewer may still add evidence.
SOURCE_STATES = frozenset({S.ASSIGNED, S.IN_REVIEW, S.RETURNED, S.SUBMITTED})


def may_act(user, claim: Claim, transition: Transition) -> bool:
    if transition.who == "editor":
        return roles.is_editor(user)
    if transition.who == "reviewer":
        return settings.REVIEWER_SELF_ASSIGN and roles.is_reviewer(user)
    return roles.is_reviewer(user) and claim.assignee_id == user.pk


def may_edit_sources(user, claim: Claim) -> bool:
    """Who may change a claim's evidence: an editor or the assigned reviewer."""
    return roles.is_editor(user) or (roles.is_reviewer(user) and claim.assignee_id == user.pk)


def may_change_sources(user, claim: Claim) -> bool:
    """Whether ``user`` may change the sources now (who, and in which state)."""
    return may_edit_sources(user, claim) and claim.status in SOURCE_STATES


def check_transition(user, claim: Claim, name: str) -> Transition:
    """Return the transition if ``user`` may make it on ``claim`` now; raise otherwise."""
    transition = TRANSITIONS[name]
    verb = transition.verb or transition.label.lower()
    if not may_act(user, claim, transition):
        who = {"editor": "an editor", "assignee": "the assigned reviewer", "reviewer": "a reviewer"}[transition.who]
        if transition.who == "reviewer" and not settings.REVIEWER_SELF_ASSIGN:
            raise NotAllowed("This desk does not let reviewers take claims themselves.")
        raise NotAllowed(f"Only {who} can {verb} this claim.")
    if claim.status not in transition.sources:
        raise WorkflowError(f"Cannot {verb} a claim that is {claim.get_status_display().lower()}.")
    return transition


def available_transitions(user, claim: Claim) -> list[Transition]:
    """The transitions ``user`` could make on ``claim`` now, for buttons in the UI."""
    return [t for t in TRANSITIONS.values() if claim.status in t.sources and may_act(user, claim, t)]
