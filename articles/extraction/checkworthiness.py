"""Check-worthiness: a score in 0..1 per unit and the threshold that decides yes/no.

Stand-in rules until the trained model lands behind the same two names.
"""

from .classify import checkworthiness as _rule_score
from .classify import claim_type

# Units scoring at or above this are decided check-worthy.
THRESHOLD = 0.5


def score(units: list[str]) -> list[float]:
    return [_rule_score(unit, claim_type(unit)) for unit in units]
