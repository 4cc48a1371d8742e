"""The pipeline: segment, attribute, classify, score. Works on whole documents so that each
stage can batch (the scorer) or look around (speakers)."""

from dataclasses import asdict, dataclass

from . import checkworthiness
from .classify import claim_type
from .segment import split_sentences
from .speakers import attribute_speakers

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


def _candidates(text: str, spans: list[tuple[int, int]], speakers: list[str]) -> list[ClaimCandidate]:
    units = [text[start:end] for start, end in spans]
    scores = checkworthiness.score(units)
    return [
        ClaimCandidate(
            start=start,
            end=end,
            text=unit,
            checkworthiness=score,
            checkworthy=score >= checkworthiness.THRESHOLD,
            claim_type=claim_type(unit),
            speaker=speaker,
        )
        for (start, end), unit, score, speaker in zip(spans, units, scores, speakers, strict=True)
    ]


def extract(text: str) -> list[ClaimCandidate]:
    """Split ``text`` into claim units with exact offsets, speaker, type and score."""
    spans = split_sentences(text)
    return _candidates(text, spans, attribute_speakers(text, spans))


def extract_sentences(sentences: list[str]) -> list[ClaimCandidate]:
    """Score pre-split units, each as a whole and on its own (the ``--sentences`` mode)."""
    out = []
    for sentence in sentences:
        spans = [(0, len(sentence))] if sentence else []
        speakers = attribute_speakers(sentence, spans)
        out.extend(_candidates(sentence, spans, speakers) if spans else [_empty()])
    return out


def _empty() -> ClaimCandidate:
    return ClaimCandidate(0, 0, "", 0.0, False, "not_a_claim", "")


def extract_sentence(sentence: str) -> ClaimCandidate:
    return extract_sentences([sentence])[0]
