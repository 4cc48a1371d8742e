"""Reads of the library of known fact-checks (other organisations' ClaimReviews)."""

import re

from django.db.models import Q, QuerySet

from .models import KnownFactCheck

# Words that say nothing about what a claim is about.
_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers him his how i if in into is it its itself just me more most my no nor
    not now of off on once only or other our out over own said same says she should so some such than
    that the their them then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your year years per cent percent""".split()  # noqa: SIM905 (a block of words reads better than 130 quoted strings)
)
_WORD = re.compile(r"\w+")
SIMILAR_CANDIDATES = 200  # rows read to rank; a bound on the work whatever the library's size


def known_factchecks(*, q: str = "", publisher: str = "", rating: str = "") -> QuerySet[KnownFactCheck]:
    """The library, newest first: ``q`` words in the claim, claimant or publisher; ``publisher``
    and ``rating`` match the whole name, ignoring case. The raw markup is not loaded."""
    qs = known_search(KnownFactCheck.objects.select_related("imported_by").defer("raw"), q)
    if publisher:
        qs = qs.filter(publisher_name__iexact=publisher)
    if rating:
        qs = qs.filter(rating_name__iexact=rating)
    return qs.order_by(*KnownFactCheck._meta.ordering)


def known_search(qs: QuerySet[KnownFactCheck], q: str) -> QuerySet[KnownFactCheck]:
    """Rows with every word of ``q`` (the first ten) in the claim, the claimant or the publisher."""
    for word in q.split()[:10]:
        qs = qs.filter(
            Q(claim_reviewed__icontains=word) | Q(claimant__icontains=word) | Q(publisher_name__icontains=word)
        )
    return qs


def key_terms(text: str, limit: int = 8) -> list[str]:
    """The longest distinct content words of ``text``: a cheap stand-in for rarity."""
    words = {w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in _STOPWORDS and not w.isdigit()}
    return sorted(words, key=lambda w: (-len(w), w))[:limit]


def known_factchecks_similar(text: str, limit: int = 5) -> list[KnownFactCheck]:
    """Fact-checks by others that look like ``text`` ("already checked by others"): rows whose
    claim contains at least two of its key terms (one, for a one-term text), ranked by the
    share of the text's content words they contain, ties newest first. Simple word overlap;
    enough to surface a candidate for a person to judge, not to decide anything."""
    terms = key_terms(text)
    if not terms:
        return []
    any_term = Q()
    for term in terms:
        any_term |= Q(claim_reviewed__icontains=term)
    rows = list(known_factchecks().filter(any_term)[:SIMILAR_CANDIDATES])
    words = set(key_terms(text, limit=50))
    need = 2 if len(terms) > 1 else 1
    scored = []
    for row in rows:
        theirs = set(_WORD.findall(row.claim_reviewed.lower()))
        shared = len(words & theirs)
        if shared >= need:
            scored.append((shared / len(words), row))
    scored.sort(key=lambda pair: -pair[0])  # stable: the newest-first order breaks ties
    return [row for _, row in scored[:limit]]
