"""Claim type and check-worthiness, by transparent rules.

A first scorer: the next engine replaces it with a trained model behind the same functions.
"""

import re

_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|trillion|dozen|half|twice|double|triple)\b",
    re.I,
)
_QUANTITY = re.compile(
    r"%|\bper ?cent\b|\b(?:million|billion|trillion|largest|smallest|most|fewest|more than|less than|"
    r"increase[ds]?|decrease[ds]?|rose|fell|doubled|tripled|average|rate|gdp|budget|spending|"
    r"very large|highest|lowest|record)\b",
    re.I,
)
_PREDICTION = re.compile(
    r"\b(?:will|would|could|might|may|going to|by 20\d\d|starting from 20\d\d|within \w+ (?:years|months|weeks)|"
    r"next year|in the future|forecast|expected to|predict)\b",
    re.I,
)
_CAUSATION = re.compile(
    r"\b(?:because|caused?|causes|leads? to|led to|results? in|resulted|due to|helps?|boosts?|"
    r"as a result|thanks to|drives?|linked to|so that|as some)\b",
    re.I,
)
_LAW = re.compile(
    r"\b(?:law|laws|illegal|legal|legislation|regulations?|rules?|banned|ban|statute|constitution|treaty)\b", re.I
)
_PERSONAL = re.compile(r"\b(?:I|we)\s+(?:visited|saw|met|went|have seen|was|were|had|grew up|experienced)\b")
_NOT_A_CLAIM = re.compile(r"^\W*(?:let's|let us|we must|we should|please|why|how|what|who|should)\b", re.I)
_CHECKABLE_VERBS = re.compile(
    r"\b(?:has|have|had|is|are|was|were|invested|signed|allow|allows|negotiated|dedicate|spent|"
    r"rose|fell|increased|decreased|grew|not working)\b",
    re.I,
)

CLAIM_TYPES = ("quantity", "prediction", "causation", "law_or_rule", "personal_experience", "other", "not_a_claim")


def claim_type(text: str) -> str:
    body = text.strip()
    if not body or body.endswith("?") or _NOT_A_CLAIM.search(body):
        return "not_a_claim"
    if _PERSONAL.search(body):
        return "personal_experience"
    if _NUMBER.search(body) and _QUANTITY.search(body):
        return "quantity"
    if _PREDICTION.search(body):
        return "prediction"
    if _CAUSATION.search(body):
        return "causation"
    if _LAW.search(body):
        return "law_or_rule"
    if _QUANTITY.search(body):
        return "quantity"
    return "other"


def checkworthiness(text: str, kind: str) -> float:
    """A score in 0..1: how much a fact-checker would want to check this unit."""
    if kind == "not_a_claim":
        return 0.1
    if kind == "personal_experience":
        return 0.15
    score = 0.35
    if _NUMBER.search(text):
        score += 0.2
    if _QUANTITY.search(text):
        score += 0.15
    if kind in ("causation", "quantity"):
        score += 0.1
    if _CHECKABLE_VERBS.search(text):
        score += 0.15
    if kind == "prediction":
        score -= 0.05
    if len(text) < 40:
        score -= 0.15
    return round(max(0.0, min(1.0, score)), 3)
