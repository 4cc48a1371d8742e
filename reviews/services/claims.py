"""Triage: accept, reject, merge, start review, and editing a claim's priority and due date."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.models import Claim
from articles.validation import clean_text
from factcheck import roles

from ..events import record_event
from ..workflow import NotAllowed, WorkflowError
from .base import check_version, lock_claim, move

_UNSET = object()


@transaction.atomic
def claim_accept(*, claim: Claim, actor, note: str = "", expected_version: int | None = None) -> Claim:
    claim = lock_claim(claim)
    check_version(claim, expected_version, "claim")
    move(claim, actor=actor, name="accept", note=note)
    return claim


@transaction.atomic
def claim_reject(*, claim: Claim, actor, note: str = "", expected_version: int | None = None) -> Claim:
    claim = lock_claim(claim)
    check_version(claim, expected_version, "claim")
    move(claim, actor=actor, name="reject", note=note)
    return claim


@transaction.atomic
def claim_merge(*, claim: Claim, into: Claim, actor, note: str = "", expected_version: int | None = None) -> Claim:
    """Fold a duplicate into another claim: the duplicate keeps its row and history."""
    if claim.pk == into.pk:
        raise ValidationError({"into": "A claim cannot be merged into itself."})
    # Lock both in id order so two opposite merges cannot deadlock.
    first, second = sorted([claim.pk, into.pk])
    locked = {pk: lock_claim(pk) for pk in (first, second)}
    claim, into = locked[claim.pk], locked[into.pk]
    check_version(claim, expected_version, "claim")
    if into.status == Claim.Status.MERGED:
        raise ValidationError({"into": "That claim was itself merged; merge into the claim it points to."})
    move(claim, actor=actor, name="merge", note=note or f"into claim {into.pk}", merged_into=into)
    return claim


@transaction.atomic
def claim_start_review(*, claim: Claim, actor, expected_version: int | None = None) -> Claim:
    claim = lock_claim(claim)
    check_version(claim, expected_version, "claim")
    move(claim, actor=actor, name="start")
    return claim


def start_if_assigned(claim: Claim, actor) -> None:
    """Adding evidence or drafting a ruling is starting the review: say so in the history."""
    if claim.status == Claim.Status.ASSIGNED and claim.assignee_id == actor.pk:
        move(claim, actor=actor, name="start")


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    actor,
    expected_version: int | None = None,
    priority: int | None = None,
    due_date: datetime.date | object | None = _UNSET,
    note: str = "",
) -> Claim:
    """Editors change a claim's priority and due date (``due_date=None`` clears it)."""
    claim = lock_claim(claim)
    if not roles.is_editor(actor):
        raise NotAllowed("Only editors can change a claim's priority or due date.")
    check_version(claim, expected_version, "claim")
    if claim.status in (Claim.Status.MERGED,):
        raise WorkflowError("A merged claim cannot be changed.")
    changes = []
    if priority is not None and priority != claim.priority:
        if priority not in Claim.Priority.values:
            raise ValidationError({"priority": "Unknown priority."})
        changes.append(f"priority {Claim.Priority(claim.priority).label} → {Claim.Priority(priority).label}")
        claim.priority = priority
    if due_date is not _UNSET and due_date != claim.due_date:
        changes.append(f"due {claim.due_date or '—'} → {due_date or '—'}")
        claim.due_date = due_date
    if not changes:
        return claim
    claim.version += 1
    claim.save(update_fields=["priority", "due_date", "version", "updated_at"])
    note = clean_text(note, field="note", required=False, max_length=2000).strip()
    record_event(
        article=claim.article,
        claim=claim,
        actor=actor,
        action="claim.updated",
        note="; ".join(changes) + (f" ({note})" if note else ""),
    )
    return claim
