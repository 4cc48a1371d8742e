"""Rulings: the reviewer drafts and submits; another editor returns or approves; an editor
publishes; a published ruling changes only through a correction, which keeps the old one."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Claim
from articles.validation import clean_text

from ..events import record_event
from ..models import Rating, Ruling
from ..workflow import OPEN_FOR_REVIEW, NotAllowed, WorkflowError, check_transition
from .base import check_version, lock_claim, move
from .claims import start_if_assigned
from .notifications import Kind, claim_url, notify


def _clean(rating: Rating, summary: str, explanation: str) -> dict:
    if not rating.active:
        raise ValidationError({"rating": "This rating is no longer in use."})
    return {
        "rating": rating,
        "summary": clean_text(summary, field="summary", max_length=200).strip(),
        "explanation": clean_text(explanation, field="explanation", max_length=50_000).strip(),
    }


def _draft_of(claim: Claim) -> Ruling | None:
    return Ruling.objects.select_for_update().filter(claim=claim, status=Ruling.Status.DRAFT).first()


def _write_draft(claim: Claim, actor, fields: dict, expected_version: int | None) -> Ruling:
    draft = _draft_of(claim)
    if draft is None:
        return Ruling.objects.create(claim=claim, reviewer=actor, status=Ruling.Status.DRAFT, **fields)
    check_version(draft, expected_version, "ruling")
    for key, value in fields.items():
        setattr(draft, key, value)
    draft.reviewer = actor  # after a reassignment, the new reviewer takes over the draft
    draft.version += 1
    draft.save()
    return draft


@transaction.atomic
def ruling_save_draft(
    *, claim: Claim, actor, rating: Rating, summary: str, explanation: str, expected_version: int | None = None
) -> Ruling:
    """The assigned reviewer saves work in progress; nobody else sees it as a verdict yet."""
    claim = lock_claim(claim)
    if claim.assignee_id != actor.pk:
        raise NotAllowed("Only the assigned reviewer can draft a ruling on this claim.")
    if claim.status not in OPEN_FOR_REVIEW:
        raise WorkflowError(f"Cannot draft a ruling on a claim that is {claim.get_status_display().lower()}.")
    draft = _write_draft(claim, actor, _clean(rating, summary, explanation), expected_version)
    start_if_assigned(claim, actor)
    return draft


@transaction.atomic
def ruling_submit(
    *, claim: Claim, actor, rating: Rating, summary: str, explanation: str, expected_version: int | None = None
) -> Ruling:
    """The assigned reviewer proposes a verdict (their draft, if any, becomes it)."""
    claim = lock_claim(claim)
    check_transition(actor, claim, "submit")
    fields = _clean(rating, summary, explanation)
    if settings.RULING_REQUIRES_SOURCE and not claim.sources.exists():
        raise WorkflowError("Add at least one source before submitting a ruling.", code="source_required")
    ruling = _write_draft(claim, actor, fields, expected_version)
    ruling.status = Ruling.Status.SUBMITTED
    ruling.reviewer = actor
    ruling.save(update_fields=["status", "reviewer", "updated_at"])
    move(claim, actor=actor, name="submit", note=f"{rating.name}: {fields['summary']}")
    return ruling


def _lock_ruling(ruling: Ruling) -> tuple[Ruling, Claim]:
    claim = lock_claim(ruling.claim_id)
    # Only the ruling's row: not the rating's or the reviewer's, which other rulings share.
    ruling = Ruling.objects.select_for_update(of=("self",)).select_related("rating", "reviewer").get(pk=ruling.pk)
    return ruling, claim


def _check_status(ruling: Ruling, expected: str) -> None:
    if ruling.status != expected:
        raise WorkflowError(f"This ruling is {ruling.get_status_display().lower()}, not {expected}.")


def _check_four_eyes(ruling: Ruling, actor) -> None:
    if ruling.reviewer_id == actor.pk:
        raise NotAllowed("A ruling must be approved by someone other than the reviewer who wrote it.")


def _decide(ruling: Ruling, actor, *, name: str, status: str, note: str, expected_version: int | None, **fields):
    """Return or approve a submitted ruling (the four-eyes decisions) and tell its reviewer."""
    ruling, claim = _lock_ruling(ruling)
    check_transition(actor, claim, name)
    _check_status(ruling, Ruling.Status.SUBMITTED)
    check_version(ruling, expected_version, "ruling")
    _check_four_eyes(ruling, actor)
    ruling.status = status
    ruling.version += 1
    for key, value in fields.items():
        setattr(ruling, key, value)
    ruling.save()
    event = move(claim, actor=actor, name=name, note=note)
    verb = "returned" if name == "return" else "approved"
    notify(
        recipient=ruling.reviewer,
        kind=Kind.RETURNED if name == "return" else Kind.APPROVED,
        key=f"event:{event.pk}",
        claim=claim,
        subject=f"Your ruling on claim {claim.pk} was {verb}",
        body=f"{actor.get_username()} {verb} your ruling ({ruling.rating.name}: {ruling.summary})."
        + (f"\n\nTheir note:\n{note}" if note else "")
        + f"\n\n{claim_url(claim)}\n",
    )
    return ruling


@transaction.atomic
def ruling_return(*, ruling: Ruling, actor, note: str, expected_version: int | None = None) -> Ruling:
    note = clean_text(note, field="note", max_length=5000).strip()
    return _decide(
        ruling,
        actor,
        name="return",
        status=Ruling.Status.RETURNED,
        note=note,
        expected_version=expected_version,
        return_note=note,
    )


@transaction.atomic
def ruling_approve(*, ruling: Ruling, actor, note: str = "", expected_version: int | None = None) -> Ruling:
    note = clean_text(note, field="note", required=False, max_length=5000).strip()
    return _decide(
        ruling,
        actor,
        name="approve",
        status=Ruling.Status.APPROVED,
        note=note,
        expected_version=expected_version,
        approved_by=actor,
        approved_at=timezone.now(),
    )


@transaction.atomic
def ruling_publish(*, ruling: Ruling, actor) -> Ruling:
    ruling, claim = _lock_ruling(ruling)
    check_transition(actor, claim, "publish")
    _check_status(ruling, Ruling.Status.APPROVED)
    ruling.status = Ruling.Status.PUBLISHED
    ruling.published_at = timezone.now()
    ruling.version += 1
    ruling.save(update_fields=["status", "published_at", "version", "updated_at"])
    move(claim, actor=actor, name="publish")
    return ruling


@transaction.atomic
def ruling_correct(
    *,
    ruling: Ruling,
    actor,
    rating: Rating,
    summary: str,
    explanation: str,
    correction_note: str,
    expected_version: int | None = None,
) -> Ruling:
    """Revise a published ruling. The old one is kept (superseded) and the public page shows
    the correction with its note; the new ruling is published at once, by an editor."""
    ruling, claim = _lock_ruling(ruling)
    check_transition(actor, claim, "correct")
    _check_status(ruling, Ruling.Status.PUBLISHED)
    check_version(ruling, expected_version, "ruling")
    fields = _clean(rating, summary, explanation)
    note = clean_text(correction_note, field="correction_note", max_length=5000).strip()
    ruling.status = Ruling.Status.SUPERSEDED
    ruling.version += 1
    ruling.save(update_fields=["status", "version", "updated_at"])
    corrected = Ruling.objects.create(
        claim=claim,
        reviewer=actor,
        status=Ruling.Status.PUBLISHED,
        published_at=timezone.now(),
        supersedes=ruling,
        correction_note=note,
        **fields,
    )
    move(claim, actor=actor, name="correct", note=note)
    record_event(
        article=claim.article,
        claim=claim,
        actor=actor,
        action="ruling.corrected",
        note=f"{ruling.rating.name} → {rating.name}",
    )
    return corrected
