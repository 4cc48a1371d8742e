"""The pipeline: segment, attribute, classify, score. Works on whole documents so that each
stage can batch (the scorer) or look around (speakers)."""

import re
from dataclasses import asdict, dataclass

from . import checkworthiness
from .classify import claim_type
from .language import detect_language
from .segment import split_sentences
from .speakers import attribute_speakers

# Full Fact's taxonomy marks opinions, questions and exhortations as "not a claim", and a
# speaker's own experience is rarely checkable: the model (trained on debate sentences) does not
# know either, so their score is halved. See docs/extraction.md.
UNCHECKABLE_TYPES = frozenset({"not_a_claim", "personal_experience"})
UNCHECKABLE_FACTOR = 0.5
# Wire copy frames quotes with sentences about the speech event itself ("X made the remarks
# during a forum", "her comments came during a visit"): context, not claims. The debate-trained
# model cannot tell them from claims, so they are strongly discounted.
SPEECH_EVENT = re.compile(
    r"\b(?:made|delivered|gave|offered)\s+(?:the|these|those|his|her|their|its)\s+"
    r"(?:statements?|remarks?|comments?|speech|address)\b"
    r"|\b(?:statements?|remarks?|comments?|warnings?)\s+came\s+(?:during|at|after|as|in)\b"
    r"|\banswered\s+questions\s+from\b",
    re.IGNORECASE,
)
SPEECH_EVENT_FACTOR = 0.3


def _may_be_speech_event(unit: str) -> bool:
    """Every SPEECH_EVENT match holds one of these words. `in` on a lowered unit runs at memchr
    speed, while the regex's alternation of word-anchored words costs about 6% of the pipeline;
    written out rather than as any() over a tuple, which costs a generator per unit."""
    low = unit.lower()
    return (
        "made" in low or "gave" in low or "came" in low or "offered" in low or "delivered" in low or "answered" in low
    )


CHECKWORTHY_THRESHOLD = checkworthiness.THRESHOLD


@dataclass(frozen=True, slots=True)
class ClaimCandidate:
    start: int
    end: int
    text: str
    checkworthiness: float
    checkworthy: bool
    claim_type: str
    speaker: str

    def as_dict(self) -> dict:
        return asdict(self)


def _candidates(
    spans: list[tuple[int, int]], units: list[str], speakers: list[str], language: str
) -> list[ClaimCandidate]:
    scores = checkworthiness.score(units)  # one batch: the scorer is fastest that way
    threshold = checkworthiness.THRESHOLD
    out = []
    for (start, end), unit, score, speaker in zip(spans, units, scores, speakers, strict=True):
        kind = claim_type(unit, language)
        if kind in UNCHECKABLE_TYPES:
            score *= UNCHECKABLE_FACTOR
        elif _may_be_speech_event(unit) and SPEECH_EVENT.search(unit):
            score *= SPEECH_EVENT_FACTOR
        # Positional: keyword arguments cost a third of a frozen dataclass's construction.
        out.append(ClaimCandidate(start, end, unit, score, score >= threshold, kind, speaker))
    return out


def extract(text: str) -> list[ClaimCandidate]:
    """Split ``text`` into claim units with exact offsets, speaker, type and score.

    Any text is accepted: any script (units are cut at "。", "؟", "।" too), no punctuation at
    all, only whitespace. Claim types use English cue words only when the text is English (or
    its language is undetermined); ``detect_language`` tells the article's language.
    """
    spans = split_sentences(text)
    if not spans:
        return []
    units = [text[start:end] for start, end in spans]
    return _candidates(spans, units, attribute_speakers(text, spans), detect_language(text))


def extract_sentences(sentences: list[str]) -> list[ClaimCandidate]:
    """Score pre-split units, each as a whole and on its own (the ``--sentences`` mode).

    One candidate per sentence, in order; an empty sentence gives an empty candidate.
    """
    units = [sentence for sentence in sentences if sentence]
    spans = [(0, len(unit)) for unit in units]
    speakers = [attribute_speakers(unit, [span])[0] for unit, span in zip(units, spans, strict=True)]
    language = detect_language(" ".join(units[:200]))
    scored = iter(_candidates(spans, units, speakers, language))
    return [next(scored) if sentence else _empty() for sentence in sentences]


def _empty() -> ClaimCandidate:
    return ClaimCandidate(0, 0, "", 0.0, False, "not_a_claim", "")


def extract_sentence(sentence: str) -> ClaimCandidate:
    return extract_sentences([sentence])[0]
