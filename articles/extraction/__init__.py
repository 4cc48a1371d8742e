"""The claim extraction pipeline: pure Python, no Django imports.

``extract(text)`` returns the claim candidates of an article, in order, with exact
code-point offsets (``text[c.start:c.end] == c.text``). The worker, the
``extract_claims`` command and the tests all call this one function. ``detect_language(text)``
tells the language of an article (ISO 639-1, "und" when unsure).
"""

from .language import detect_language
from .pipeline import CHECKWORTHY_THRESHOLD, ClaimCandidate, extract, extract_sentence, extract_sentences

__all__ = [
    "CHECKWORTHY_THRESHOLD",
    "ClaimCandidate",
    "detect_language",
    "extract",
    "extract_sentence",
    "extract_sentences",
]
