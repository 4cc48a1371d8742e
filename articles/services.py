"""Writes to articles and their claims."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from factcheck import roles
from factcheck.webhooks.services import enqueue_for_event as enqueue_webhooks
from reviews.events import record_event
from reviews.models import Event
from reviews.workflow import Conflict, NotAllowed, WorkflowError

from . import extraction, reconcile
from .models import Article, ArticleIdempotencyKey, Claim
from .validation import clean_article, clean_article_field, clean_body

logger = logging.getLogger(__name__)
Status = Article.ExtractionStatus
# Events that make a candidate claim an editor's own (reviews.services.claims.claim_add/claim_recut).
HAND_MADE_ACTIONS = ("claim.added", "claim.recut")


def _enqueue_extraction(article_id: int) -> None:
    """Send the extraction task. A broker outage is logged, not raised: the article is
    saved as pending and the periodic sweep enqueues it again when the broker is back."""
    from .tasks import extract_article

    try:
        extract_article.delay(article_id)
    except Exception:
        logger.warning("Could not enqueue extraction of article %s; the sweep will retry", article_id, exc_info=True)


def enqueue_extraction_on_commit(article_id: int) -> None:
    transaction.on_commit(lambda: _enqueue_extraction(article_id), robust=True)


@transaction.atomic
def article_create(
    *,
    submitted_by,
    body: str,
    title: str = "",
    source_url: str = "",
    outlet: str = "",
    byline: str = "",
    published_on: datetime.date | None = None,
    language: str = "en",
    extract: bool = True,
) -> Article:
    """Store an article and, after commit, enqueue its extraction.

    ``submitted_by=None`` is the system itself (seed loading, bulk import commands)."""
    if submitted_by is not None and not roles.is_editor(submitted_by):
        raise NotAllowed("Only editors can submit articles.")
    fields = clean_article(
        body=body, title=title, source_url=source_url, outlet=outlet, byline=byline, language=language
    )
    article = Article.objects.create(
        **fields,
        published_on=published_on,
        submitted_by=submitted_by if submitted_by and submitted_by.is_authenticated else None,
        extraction_requested_at=timezone.now() if extract else None,
    )
    record_event(article=article, actor=submitted_by, action="article.submitted", to_state=article.extraction_status)
    if extract:
        enqueue_extraction_on_commit(article.pk)
    return article


@transaction.atomic
def article_request_extraction(*, article: Article, actor) -> Article:
    """Queue the article for (re-)extraction. Existing claims are kept."""
    if not roles.is_editor(actor):
        raise NotAllowed("Only editors can re-extract articles.")
    old = article.extraction_status
    Article.objects.filter(pk=article.pk).update(
        extraction_status=Status.PENDING, extraction_error="", extraction_requested_at=timezone.now()
    )
    article.refresh_from_db()
    record_event(
        article=article, actor=actor, action="article.extraction_requested", from_state=old, to_state=Status.PENDING
    )
    enqueue_extraction_on_commit(article.pk)
    return article


def _claim_for_extraction(article_id: int) -> bool:
    """Claim-then-act: move the article to running with a conditional UPDATE. Only one
    worker wins; a re-delivered message for a finished article changes nothing. A run
    left behind by a killed worker becomes claimable again once it is stale."""
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.EXTRACTION_STALE_SECONDS)
    claimable = Article.objects.filter(_q_claimable(stale), pk=article_id)
    return claimable.update(extraction_status=Status.RUNNING, extraction_requested_at=now, extraction_error="") == 1


def _q_claimable(stale: datetime.datetime) -> Q:
    return Q(extraction_status=Status.PENDING) | Q(extraction_status=Status.RUNNING, extraction_requested_at__lt=stale)


def article_extract(*, article_id: int) -> int | None:
    """Run the pipeline on one article and store its claims. Returns the number of new
    claims, or None when there was nothing to do (gone, or already claimed or done).

    1. Claim the article (conditional UPDATE to running).
    2. Run the pure-Python pipeline outside any transaction: it may take a while.
    3. In one transaction, with the article row locked and still ours: reconcile the stored
       claims with the new units (kept, moved, refreshed, new; gone ones deleted if untouched,
       marked stale if they carry work), mark done, write the event. A second run finds every
       claim in place and changes nothing.
    """
    if not _claim_for_extraction(article_id):
        return None
    article = Article.objects.only("id", "body", "extraction_status", "version").filter(pk=article_id).first()
    if article is None:
        return None
    try:
        candidates = extraction.extract(article.body)
    except Exception as exc:
        logger.exception("Extraction of article %s failed", article_id)
        with transaction.atomic():
            Article.objects.filter(pk=article_id).update(
                extraction_status=Status.FAILED, extraction_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            record_event(
                article=article,
                actor=None,
                action="article.extraction_failed",
                from_state=Status.RUNNING,
                to_state=Status.FAILED,
                note=str(exc)[:500],
            )
        return None
    with transaction.atomic():
        # Deleted, or edited (new version) or re-queued while we ran: the newer run will store claims.
        ours = Article.objects.select_for_update().filter(
            pk=article_id, extraction_status=Status.RUNNING, version=article.version
        )
        if not ours.exists():
            return None
        counts = _apply_plan(article, candidates)
        Article.objects.filter(pk=article_id).update(
            extraction_status=Status.DONE,
            extracted_at=timezone.now(),
            detected_language=extraction.detect_language(article.body),
        )
        event = record_event(
            article=article,
            actor=None,
            action="article.extracted",
            from_state=Status.RUNNING,
            to_state=Status.DONE,
            note=", ".join(f"{n} {what}" for what, n in counts.items() if n) or "no changes",
        )
        enqueue_webhooks(event)  # outgoing webhooks, written with the event, sent after commit
    return counts["new"]


def _new_claim(article_id: int, c: extraction.ClaimCandidate) -> Claim:
    return Claim(
        article_id=article_id,
        start=c.start,
        end=c.end,
        text=c.text,
        checkworthiness=c.checkworthiness,
        checkworthy=c.checkworthy,
        claim_type=c.claim_type,
        speaker=c.speaker[:200],
        priority=_priority(c.checkworthiness),
    )


def _priority(score: float) -> int:
    return Claim.Priority.HIGH if score >= 0.75 else Claim.Priority.NORMAL


def _apply_plan(article: Article, candidates: list[extraction.ClaimCandidate]) -> dict[str, int]:
    """Reconcile the stored claims with the new units (see articles/reconcile.py). Runs inside
    the caller's transaction, with the article row locked."""
    rows = list(
        Claim.objects.filter(article=article).values_list(
            "pk", "start", "end", "text", "status", "stale", *reconcile.MODEL_FIELDS
        )
    )
    # A candidate an editor added or re-cut by hand is work too: the pipeline may never find
    # that span, and must not delete it or overwrite its values. Looked up for this article's
    # claims by id (index event_claim), never as a subquery: PostgreSQL planned that as a scan
    # of the whole event table per extraction, which made a 100,000-article import slow down
    # as it went.
    ids = [row[0] for row in rows]
    hand_made = Event.objects.filter(claim_id__in=ids, action__in=HAND_MADE_ACTIONS)
    by_hand = set(hand_made.values_list("claim_id", flat=True)) if ids else set()
    stored = [
        reconcile.StoredClaim(
            pk=pk,
            start=start,
            end=end,
            text=text,
            has_work=status != Claim.Status.CANDIDATE or pk in by_hand,
            stale=stale,
            model_values=tuple(model),
        )
        for pk, start, end, text, status, stale, *model in rows
    ]
    plan = reconcile.plan(stored, candidates, article.body)
    if plan.delete:
        Claim.objects.filter(pk__in=plan.delete).delete()
    # Moving claims may pass through each other's old spans: take them out of the live-span
    # constraint first, then put each back at its new place.
    moving = [pk for pk, _ in plan.move]
    if plan.mark_stale or moving:
        Claim.objects.filter(pk__in=plan.mark_stale + moving).update(stale=True)
    for pk, c in plan.move:
        Claim.objects.filter(pk=pk).update(start=c.start, end=c.end, stale=False)
    for pk, c in plan.refresh:
        Claim.objects.filter(pk=pk).update(
            **{name: getattr(c, name) for name in reconcile.MODEL_FIELDS}, priority=_priority(c.checkworthiness)
        )
    Claim.objects.bulk_create([_new_claim(article.pk, c) for c in plan.new], batch_size=500)
    for claim in Claim.objects.filter(pk__in=plan.mark_stale).only("pk", "status", "article_id"):
        record_event(
            article=article,
            claim=claim,
            actor=None,
            action="claim.stale",
            from_state=claim.status,
            to_state=claim.status,
            note="Its text is no longer in the article.",
        )
    return {
        "new": len(plan.new),
        "moved": len(plan.move),
        "refreshed": len(plan.refresh),
        "stale": len(plan.mark_stale),
        "removed": len(plan.delete),
    }


def articles_needing_extraction(*, limit: int = 500) -> list[int]:
    """Pending articles not picked up in time, and runs left behind by a dead worker."""
    stale = timezone.now() - datetime.timedelta(seconds=settings.EXTRACTION_STALE_SECONDS)
    return list(
        Article.objects.filter(_q_claimable(stale), extraction_requested_at__lt=stale)
        .order_by("extraction_requested_at")
        .values_list("id", flat=True)[:limit]
    )


# --- Editing ---------------------------------------------------------------------------------

EDITABLE_FIELDS = ("title", "body", "source_url", "outlet", "byline", "published_on", "language")


def _clean_changes(changes: dict, *, body: str) -> dict:
    """The rules of article_create, for the fields given. ``body`` is the body after the edit
    (an emptied title falls back to its first line)."""
    cleaned = {name: clean_article_field(name, value, body=body) for name, value in changes.items()}
    return cleaned


@transaction.atomic
def article_update(*, article: Article, actor, expected_version: int | None = None, **changes) -> Article:
    """Edit an article's text or metadata (editors). Only the fields given change.

    1. Lock the row; refuse the edit if it is based on an older version (409 conflict).
    2. Clean the changes with article_create's rules; fields whose value stays the same are dropped,
       so an edit that changes nothing writes nothing.
    3. A new body re-queues extraction (unless the article still waits for its first one): the
       reconciliation keeps every claim that carries work, flagging those whose text is gone as
       stale. A run already going for the old body sees the new version and stores nothing.
    4. Bump the version and write the event, in this transaction.
    """
    if not roles.is_editor(actor):
        raise NotAllowed("Only editors can edit articles.")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            f"This article was changed by someone else since you opened it (version {expected_version}, now "
            f"{locked.version}). Reload it to see their change; nothing was saved."
        )
    body = clean_body(changes["body"]) if "body" in changes else locked.body
    changed = {
        name: value for name, value in _clean_changes(changes, body=body).items() if getattr(locked, name) != value
    }
    if not changed:
        return locked
    old_status = locked.extraction_status
    waiting_for_first_run = old_status == Status.PENDING and locked.extraction_requested_at is None
    reextract = "body" in changed and not waiting_for_first_run
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.version += 1
    fields = [*changed, "version", "updated_at"]
    if reextract:
        locked.extraction_status = Status.PENDING
        locked.extraction_error = ""
        locked.extraction_requested_at = timezone.now()
        fields += ["extraction_status", "extraction_error", "extraction_requested_at"]
    locked.save(update_fields=fields)
    record_event(
        article=locked,
        actor=actor,
        action="article.updated",
        from_state=old_status,
        to_state=locked.extraction_status,
        note="Changed: " + ", ".join(name for name in EDITABLE_FIELDS if name in changed),
    )
    if reextract:
        enqueue_extraction_on_commit(locked.pk)
    return locked


# --- Idempotent submission ----------------------------------------------------------------------

IDEMPOTENCY_KEY_TTL = datetime.timedelta(hours=24)


class IdempotencyKeyReused(WorkflowError):
    status_code = 422
    code = "idempotency_key_reused"


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: dict
    replayed: bool


@transaction.atomic
def article_create_idempotent(
    *, submitted_by, key: str, fingerprint: str, render: Callable[[Article], dict], **fields
) -> StoredResponse:
    """article_create, at most once per (user, key) within IDEMPOTENCY_KEY_TTL: a retry gets the
    first response again. ``fingerprint`` identifies the request body; ``render`` turns the new
    article into the response body that is stored and replayed.

    1. Delete expired keys (everyone's, through the created_at index): no periodic job needed.
    2. Claim the key by inserting its row first. A concurrent request with the same key blocks
       on the unique constraint until this transaction ends (PostgreSQL; SQLite serialises the
       writes), then fails its insert and replays our committed response.
    3. Create the article and store the response on the key row in this same transaction: a
       refused or failed creation rolls the key back too, so a corrected retry is not blocked.
    """
    if not roles.is_editor(submitted_by):
        raise NotAllowed("Only editors can submit articles.")
    ArticleIdempotencyKey.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_KEY_TTL).delete()
    try:
        with transaction.atomic():  # a savepoint: the failed INSERT must not abort the whole transaction
            record = ArticleIdempotencyKey.objects.create(user=submitted_by, key=key, fingerprint=fingerprint)
    except IntegrityError:
        existing = ArticleIdempotencyKey.objects.get(user=submitted_by, key=key)
        if existing.fingerprint != fingerprint:
            raise IdempotencyKeyReused(
                "This Idempotency-Key was already used for a different request in the last 24 hours; "
                "send a new key for a new article."
            ) from None
        return StoredResponse(status=existing.response_status, body=existing.response_body, replayed=True)
    article = article_create(submitted_by=submitted_by, **fields)
    record.article = article
    record.response_status = 201
    record.response_body = render(article)
    record.save(update_fields=["article", "response_status", "response_body"])
    return StoredResponse(status=201, body=record.response_body, replayed=False)
