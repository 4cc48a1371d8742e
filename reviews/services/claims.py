"""Triage: accept, reject, merge, start review, editing a claim's priority and due date, and
adding or re-cutting a claim's span of the article text."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from articles import extraction
from articles.models import Article, Claim
from articles.validation import clean_text
from factcheck import roles

from ..events import record_event
from ..workflow import NotAllowed, WorkflowError
from .base import check_version, lock_claim, move

_UNSET = object()
# As for claims the worker finds (articles.services): very check-worthy claims start high.
HIGH_PRIORITY_SCORE = 0.75


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


# Claims nobody works on any more (verdict out, turned down, or folded into another): a
# priority or due date means nothing there, so the claim page does not offer the form.
CLOSED_STATES = frozenset({Claim.Status.PUBLISHED, Claim.Status.CORRECTED, Claim.Status.REJECTED, Claim.Status.MERGED})


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
    if claim.status in CLOSED_STATES:
        state = claim.get_status_display().lower()
        raise WorkflowError(f"A {state} claim's priority and due date cannot be changed: nobody works on it any more.")
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


# --- Claim boundaries: editors add a claim from a passage, or re-cut one ---------------------

# A claim is a sentence or two; a longer selection is almost always a slip of the mouse.
MAX_CLAIM_CHARS = 2000
# Only untouched claims may be re-cut: once a reviewer works on a claim, its sources and
# ruling are about that exact text.
RECUT_STATES = frozenset({Claim.Status.CANDIDATE, Claim.Status.ACCEPTED})


def may_recut(user, claim: Claim) -> bool:
    """Whether ``user`` may change the claim's boundaries now (for buttons; the service decides)."""
    return roles.is_editor(user) and claim.status in RECUT_STATES and not claim.stale and claim.assignee_id is None


def _same_words(a: str, b: str) -> bool:
    # A browser's selection renders paragraph breaks and runs of spaces its own way.
    return a.split() == b.split()


def _locate(body: str, text: str, *, near: int | None) -> tuple[int, int]:
    """Where ``text`` is in ``body``: the only occurrence, or the one nearest ``near``."""
    needle = text.strip()
    if not needle:
        raise ValidationError({"text": "Give the claim's text."})
    found, pos = [], body.find(needle)
    while pos != -1 and len(found) < 1000:
        found.append(pos)
        pos = body.find(needle, pos + 1)
    if not found:
        raise ValidationError({"text": "This text is not in the article; copy it exactly, or select it in the text."})
    if len(found) > 1 and near is None:
        raise ValidationError(
            {"text": f"This text is in the article {len(found)} times; select the one you mean in the text."}
        )
    start = min(found, key=lambda p: abs(p - near)) if near is not None else found[0]
    return start, start + len(needle)


def _clean_span(body: str, start, end, text: str | None, *, near: int | None = None) -> tuple[int, int]:
    """The span ``body[start:end]`` trimmed of surrounding whitespace, checked; or, without
    offsets, the span of ``text``. With both, the text must be what the offsets point at (it
    is not when the page was opened on an older body)."""
    if start is None and end is None:
        if text is None:
            raise ValidationError({"start": "Select the claim's text in the article."})
        start, end = _locate(body, text, near=near)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise ValidationError({"start": "The start and end of the selection must be whole numbers."})
    if not 0 <= start < end <= len(body):
        raise ValidationError(
            {"start": f"The selection ({start}–{end}) is not inside the article's text (0–{len(body)})."}
        )
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValidationError({"start": "The selection holds only spaces; select the claim's words."})
    if end - start > MAX_CLAIM_CHARS:
        raise ValidationError(
            {"start": f"The selection is {end - start:,} characters long; a claim is at most {MAX_CLAIM_CHARS:,}."}
        )
    if text is not None and not _same_words(text, body[start:end]):
        raise ValidationError(
            {"text": "The selected text is not what the article says at that place. Reload the page and select again."}
        )
    return start, end


def _check_free(article_id: int, start: int, end: int, *, exclude: int | None = None) -> None:
    """Refuse a span overlapping another live claim: the article page could mark only one."""
    clash = (
        Claim.objects.filter(article_id=article_id, stale=False, start__lt=end, end__gt=start)
        .exclude(pk=exclude)
        .order_by("start")
        .only("pk", "text", "status")
        .first()
    )
    if clash is not None:
        excerpt = clash.text if len(clash.text) <= 60 else clash.text[:57] + "…"
        raise ValidationError(
            {
                "start": f"The selection overlaps claim {clash.pk} (“{excerpt}”, {clash.get_status_display().lower()})."
                " Change that claim, or select text outside it."
            }
        )


def _lock_article(article_id: int) -> Article:
    # Adding and re-cutting check the article's other claims for overlap: serialise them per
    # article (re-extraction holds the same lock while it moves claims).
    return Article.objects.select_for_update().only("id", "body").get(pk=article_id)


def _quote(text: str, limit: int = 120) -> str:
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


@transaction.atomic
def claim_add(
    *, article: Article, actor, start: int | None = None, end: int | None = None, text: str | None = None
) -> Claim:
    """An editor marks a passage the pipeline missed as a candidate claim.

    1. Offsets are positions in the body as stored (code points), trimmed of whitespace;
       without offsets, ``text`` is looked up (it must occur once).
    2. The span may not overlap a live claim.
    3. The pipeline scores the passage on its own (score, type, speaker named in it)."""
    if not roles.is_editor(actor):
        raise NotAllowed("Only editors can add claims.")
    if text is not None:
        text = clean_text(text, field="text", required=False)
    article = _lock_article(article.pk)
    start, end = _clean_span(article.body, start, end, text)
    _check_free(article.pk, start, end)
    passage = article.body[start:end]
    scored = extraction.extract_sentence(passage)  # a millisecond once the model is loaded
    claim = Claim.objects.create(
        article=article,
        start=start,
        end=end,
        text=passage,
        checkworthiness=scored.checkworthiness,
        checkworthy=scored.checkworthy,
        claim_type=scored.claim_type,
        speaker=scored.speaker[:200],
        priority=Claim.Priority.HIGH if scored.checkworthiness >= HIGH_PRIORITY_SCORE else Claim.Priority.NORMAL,
    )
    record_event(
        article=article,
        claim=claim,
        actor=actor,
        action="claim.added",
        to_state=claim.status,
        note=f"characters {start}–{end}: {_quote(passage)}",
    )
    return claim


@transaction.atomic
def claim_recut(
    *,
    claim: Claim,
    actor,
    start: int | None = None,
    end: int | None = None,
    text: str | None = None,
    expected_version: int | None = None,
) -> Claim:
    """An editor moves a claim's boundaries (its text is always ``body[start:end]``).

    Without offsets, ``text`` is looked up in the body, the occurrence nearest the claim.
    Refused once a reviewer has the claim. The pipeline re-scores the new text; a speaker it
    cannot see in the new text alone is kept (it usually came from the surrounding quote)."""
    if not roles.is_editor(actor):
        raise NotAllowed("Only editors can change a claim's text.")
    if text is not None:
        text = clean_text(text, field="text", required=False)
    article = _lock_article(claim.article_id)
    claim = lock_claim(claim)
    check_version(claim, expected_version, "claim")
    if claim.stale:
        raise WorkflowError("This claim's text is no longer in the article, so it cannot be re-cut.")
    worked = claim.assignee_id is not None or claim.sources.exists() or claim.rulings.exists()
    if claim.status not in RECUT_STATES or worked:
        raise WorkflowError(
            f"This claim is {claim.get_status_display().lower()} and has reviewer work; its text can no longer"
            " be changed. Reject it and add a new claim instead."
        )
    start, end = _clean_span(article.body, start, end, text, near=claim.start)
    if (start, end) == (claim.start, claim.end):
        return claim
    _check_free(article.pk, start, end, exclude=claim.pk)
    old_span, old_text = (claim.start, claim.end), claim.text
    passage = article.body[start:end]
    scored = extraction.extract_sentence(passage)
    claim.start, claim.end, claim.text = start, end, passage
    claim.checkworthiness, claim.checkworthy = scored.checkworthiness, scored.checkworthy
    claim.claim_type = scored.claim_type
    claim.speaker = scored.speaker[:200] or claim.speaker
    claim.version += 1
    claim.save(
        update_fields=[
            "start",
            "end",
            "text",
            "checkworthiness",
            "checkworthy",
            "claim_type",
            "speaker",
            "version",
            "updated_at",
        ]
    )
    record_event(
        article=article,
        claim=claim,
        actor=actor,
        action="claim.recut",
        from_state=claim.status,
        to_state=claim.status,
        note=f"characters {old_span[0]}–{old_span[1]} → {start}–{end}: {_quote(old_text)} → {_quote(passage)}",
    )
    return claim
