"""Re-extraction without losing work: match the claims already stored for an article against
the units the pipeline found in its (possibly edited) body.

Pure functions over plain values, so every rule is testable without a database; the service
``articles.services.article_extract`` applies the plan in one transaction.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from .extraction import ClaimCandidate

# Fields the pipeline owns: refreshed on claims nobody has triaged yet.
MODEL_FIELDS = ("checkworthiness", "checkworthy", "claim_type", "speaker")


@dataclass(frozen=True)
class StoredClaim:
    pk: int
    start: int
    end: int
    text: str
    has_work: bool  # triaged, assigned, sourced or ruled: never deleted
    stale: bool
    model_values: tuple  # current values of MODEL_FIELDS


@dataclass(frozen=True)
class Span:
    """A place in the body that is not one of the pipeline's units (see ``_place``)."""

    start: int
    end: int


@dataclass
class Plan:
    unchanged: list[int] = field(default_factory=list)
    refresh: list[tuple[int, ClaimCandidate]] = field(default_factory=list)  # untriaged, new model output
    move: list[tuple[int, ClaimCandidate | Span]] = field(default_factory=list)  # same text, new offsets
    mark_stale: list[int] = field(default_factory=list)  # text gone, work kept
    delete: list[int] = field(default_factory=list)  # text gone, nothing done on it
    new: list[ClaimCandidate] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.refresh or self.move or self.mark_stale or self.delete or self.new)


def _model_values(candidate: ClaimCandidate) -> tuple:
    return tuple(getattr(candidate, name) for name in MODEL_FIELDS)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _place(claim: StoredClaim, body: str, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Where a claim with work that is not a unit (cut by hand, or the pipeline now splits its
    sentence differently) still stands in ``body``: its own span if the text is there, else the
    nearest occurrence of its text that no kept claim covers."""
    if not claim.text:
        return None
    best = None
    position = body.find(claim.text)
    while position != -1:
        span = (position, position + len(claim.text))
        if not _overlaps(*span, taken) and (best is None or abs(position - claim.start) < abs(best[0] - claim.start)):
            best = span
        position = body.find(claim.text, position + 1)
    return best


def plan(stored: list[StoredClaim], candidates: list[ClaimCandidate], body: str | None = None) -> Plan:
    """1. A live claim whose span and text are a unit again is kept (its model fields refreshed
          if nobody has triaged it and the pipeline now says otherwise).
    2. A claim whose text is a unit elsewhere (the body was edited above it) moves there,
       nearest first; a stale claim whose text comes back is revived the same way.
    3. A claim with work whose text is not a unit but still in ``body`` stays (or moves to the
       nearest copy of its text); units overlapping it are not added, so an editor's own cut
       is not undone by the next run.
    4. A claim whose text is gone is marked stale if it carries work, else deleted.
    5. Units left over become new claims.
    """
    result = Plan()
    free = {(c.start, c.end): c for c in candidates}
    rest = []
    for claim in stored:
        candidate = free.get((claim.start, claim.end))
        if candidate is not None and not claim.stale and candidate.text == claim.text:
            del free[(claim.start, claim.end)]
            if not claim.has_work and claim.model_values != _model_values(candidate):
                result.refresh.append((claim.pk, candidate))
            else:
                result.unchanged.append(claim.pk)
        else:
            rest.append(claim)

    by_text: dict[str, list[ClaimCandidate]] = defaultdict(list)
    for candidate in free.values():
        by_text[candidate.text].append(candidate)
    placed: list[StoredClaim] = []
    for claim in rest:
        options = by_text.get(claim.text)
        if options:
            best = min(options, key=lambda c: abs(c.start - claim.start))
            options.remove(best)
            del free[(best.start, best.end)]
            result.move.append((claim.pk, best))
        elif claim.has_work:
            placed.append(claim)
        else:
            result.delete.append(claim.pk)
    # Step 3, after every unit has found its claim: kept units' spans are taken.
    taken = [(c.start, c.end) for c in stored if c.pk in set(result.unchanged) | {p for p, _ in result.refresh}]
    taken += [(c.start, c.end) for _, c in result.move]
    found: list[tuple[int, int]] = []
    for claim in placed:
        span = _place(claim, body, taken) if body is not None else None
        if span is None:
            (result.unchanged if claim.stale else result.mark_stale).append(claim.pk)
            continue
        taken.append(span)
        found.append(span)
        if span == (claim.start, claim.end) and not claim.stale:
            result.unchanged.append(claim.pk)
        else:
            result.move.append((claim.pk, Span(*span)))
    result.new = sorted((c for c in free.values() if not _overlaps(c.start, c.end, found)), key=lambda c: c.start)
    return result
