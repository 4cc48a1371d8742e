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


@dataclass
class Plan:
    unchanged: list[int] = field(default_factory=list)
    refresh: list[tuple[int, ClaimCandidate]] = field(default_factory=list)  # untriaged, new model output
    move: list[tuple[int, ClaimCandidate]] = field(default_factory=list)  # same text, new offsets
    mark_stale: list[int] = field(default_factory=list)  # text gone, work kept
    delete: list[int] = field(default_factory=list)  # text gone, nothing done on it
    new: list[ClaimCandidate] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.refresh or self.move or self.mark_stale or self.delete or self.new)


def _model_values(candidate: ClaimCandidate) -> tuple:
    return tuple(getattr(candidate, name) for name in MODEL_FIELDS)


def plan(stored: list[StoredClaim], candidates: list[ClaimCandidate]) -> Plan:
    """1. A live claim whose span and text are a unit again is kept (its model fields refreshed
          if nobody has triaged it and the pipeline now says otherwise).
    2. A claim whose text is a unit elsewhere (the body was edited above it) moves there,
       nearest first; a stale claim whose text comes back is revived the same way.
    3. A claim whose text is gone is marked stale if it carries work, else deleted.
    4. Units left over become new claims.
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
    for claim in rest:
        options = by_text.get(claim.text)
        if options:
            best = min(options, key=lambda c: abs(c.start - claim.start))
            options.remove(best)
            del free[(best.start, best.end)]
            result.move.append((claim.pk, best))
        elif claim.has_work:
            if not claim.stale:
                result.mark_stale.append(claim.pk)
            else:
                result.unchanged.append(claim.pk)
        else:
            result.delete.append(claim.pk)
    result.new = sorted(free.values(), key=lambda c: c.start)
    return result
