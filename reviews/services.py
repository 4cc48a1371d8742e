"""Writes of the editorial workflow. Every function: keyword-only arguments, one
transaction, the claim row locked, the transition checked, the write, the event row."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Claim
from articles.validation import clean_text, clean_url
from factcheck import roles

from .events import record_event
from .models import Assignment, Rating, Ruling, Source
from .workflow import SOURCE_STATES, NotAllowed, WorkflowError, check_transition, may_edit_sources

User = get_user_model()


def _lock(claim: Claim) -> Claim:
    """Reload the claim under a row lock so two concurrent actions serialise."""
    return Claim.objects.select_for_update().select_related("article").get(pk=claim.pk)


def _move(claim: Claim, *, actor, name: str, note: str = "", **fields) -> Claim:
    transition = check_transition(actor, claim, name)
    old = claim.status
    claim.status = transition.target
    for key, value in fields.items():
        setattr(claim, key, value)
    claim.save(update_fields=["status", "updated_at", *fields])
    record_event(
        article=claim.article,
        claim=claim,
        actor=actor,
        action=f"claim.{name}",
        from_state=old,
        to_state=claim.status,
        note=note,
    )
    return claim


@transaction.atomic
def claim_accept(*, claim: Claim, actor, note: str = "") -> Claim:
    return _move(_lock(claim), actor=actor, name="accept", note=note)


@transaction.atomic
def claim_reject(*, claim: Claim, actor, note: str = "") -> Claim:
    return _move(_lock(claim), actor=actor, name="reject", note=note)


@transaction.atomic
def claim_assign(
    *,
    claim: Claim,
    reviewer,
    actor,
    priority: int | None = None,
    due_date: datetime.date | None = None,
    note: str = "",
) -> Claim:
    """Hand a claim to a reviewer (or to another one). The old assignment is closed, not deleted."""
    claim = _lock(claim)
    if not roles.is_reviewer(reviewer):
        raise ValidationError({"reviewer": "This user is not a reviewer."})
    fields = {"assignee": reviewer}
    if priority is not None:
        if priority not in Claim.Priority.values:
            raise ValidationError({"priority": "Unknown priority."})
        fields["priority"] = priority
    if due_date is not None:
        fields["due_date"] = due_date
    check_transition(actor, claim, "assign")
    if claim.assignee_id == reviewer.pk and claim.status == Claim.Status.ASSIGNED:
        raise WorkflowError(f"This claim is already assigned to {reviewer.get_username()}.")
    Assignment.objects.filter(claim=claim, active=True).update(active=False)
    Assignment.objects.create(claim=claim, reviewer=reviewer, assigned_by=actor)
    return _move(claim, actor=actor, name="assign", note=note or f"to {reviewer.get_username()}", **fields)


def _check_source_access(claim: Claim, actor) -> None:
    if not may_edit_sources(actor, claim):
        raise NotAllowed("Only the assigned reviewer or an editor can change this claim's sources.")
    if claim.status not in SOURCE_STATES:
        raise WorkflowError(f"Sources cannot be changed on a claim that is {claim.get_status_display().lower()}.")


@transaction.atomic
def source_add(
    *,
    claim: Claim,
    actor,
    title: str,
    url: str = "",
    kind: str = Source.Kind.PRIMARY_DOCUMENT,
    publisher: str = "",
    excerpt: str = "",
    accessed_on: datetime.date | None = None,
) -> Source:
    claim = _lock(claim)
    _check_source_access(claim, actor)
    if kind not in Source.Kind.values:
        raise ValidationError({"kind": "Unknown source kind."})
    source = Source.objects.create(
        claim=claim,
        kind=kind,
        url=clean_url(url, field="url"),
        title=clean_text(title, field="title", max_length=300).strip(),
        publisher=clean_text(publisher, field="publisher", required=False, max_length=200).strip(),
        excerpt=clean_text(excerpt, field="excerpt", required=False, max_length=20_000).strip(),
        accessed_on=accessed_on,
        added_by=actor,
    )
    record_event(article=claim.article, claim=claim, actor=actor, action="source.added", note=source.title)
    return source


@transaction.atomic
def source_remove(*, source: Source, actor) -> None:
    claim = _lock(source.claim)
    _check_source_access(claim, actor)
    record_event(article=claim.article, claim=claim, actor=actor, action="source.removed", note=source.title)
    source.delete()


@transaction.atomic
def ruling_submit(*, claim: Claim, actor, rating: Rating, summary: str, explanation: str) -> Ruling:
    """The assigned reviewer proposes a verdict; an editor approves or returns it."""
    claim = _lock(claim)
    check_transition(actor, claim, "submit")
    if not rating.active:
        raise ValidationError({"rating": "This rating is no longer in use."})
    summary = clean_text(summary, field="summary", max_length=200).strip()
    explanation = clean_text(explanation, field="explanation", max_length=50_000).strip()
    if settings.RULING_REQUIRES_SOURCE and not claim.sources.exists():
        raise WorkflowError("Add at least one source before submitting a ruling.", code="source_required")
    ruling = Ruling.objects.create(claim=claim, rating=rating, summary=summary, explanation=explanation, reviewer=actor)
    _move(claim, actor=actor, name="submit", note=f"{rating.name}: {summary}")
    return ruling


def _lock_ruling(ruling: Ruling) -> tuple[Ruling, Claim]:
    claim = _lock(ruling.claim)
    ruling = Ruling.objects.select_for_update().select_related("rating", "reviewer").get(pk=ruling.pk)
    return ruling, claim


def _check_live(ruling: Ruling, expected: str) -> None:
    if ruling.status != expected:
        raise WorkflowError(f"This ruling is {ruling.get_status_display().lower()}, not {expected}.")


def _check_four_eyes(ruling: Ruling, actor) -> None:
    if ruling.reviewer_id == actor.pk:
        raise NotAllowed("A ruling must be approved by someone other than the reviewer who wrote it.")


@transaction.atomic
def ruling_return(*, ruling: Ruling, actor, note: str) -> Ruling:
    ruling, claim = _lock_ruling(ruling)
    check_transition(actor, claim, "return")
    _check_live(ruling, Ruling.Status.SUBMITTED)
    _check_four_eyes(ruling, actor)
    note = clean_text(note, field="note", max_length=5000).strip()
    ruling.status = Ruling.Status.RETURNED
    ruling.return_note = note
    ruling.save(update_fields=["status", "return_note", "updated_at"])
    _move(claim, actor=actor, name="return", note=note)
    return ruling


@transaction.atomic
def ruling_approve(*, ruling: Ruling, actor, note: str = "") -> Ruling:
    ruling, claim = _lock_ruling(ruling)
    check_transition(actor, claim, "approve")
    _check_live(ruling, Ruling.Status.SUBMITTED)
    _check_four_eyes(ruling, actor)
    ruling.status = Ruling.Status.APPROVED
    ruling.approved_by = actor
    ruling.approved_at = timezone.now()
    ruling.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _move(claim, actor=actor, name="approve", note=note)
    return ruling


@transaction.atomic
def ruling_publish(*, ruling: Ruling, actor) -> Ruling:
    ruling, claim = _lock_ruling(ruling)
    check_transition(actor, claim, "publish")
    _check_live(ruling, Ruling.Status.APPROVED)
    ruling.status = Ruling.Status.PUBLISHED
    ruling.published_at = timezone.now()
    ruling.save(update_fields=["status", "published_at", "updated_at"])
    _move(claim, actor=actor, name="publish")
    return ruling
