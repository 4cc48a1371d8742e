"""The pipeline: segment, attribute, classify, score."""

from dataclasses import asdict, dataclass

from .classify import checkworthiness, claim_type
from .segment import split_sentences
from .speakers import SpeakerResolver

# Units scoring at or above this are decided check-worthy.
CHECKWORTHY_THRESHOLD = 0.5


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


def _candidate(text: str, start: int, end: int, resolver: SpeakerResolver) -> ClaimCandidate:
    unit = text[start:end]
    kind = claim_type(unit)
    score = checkworthiness(unit, kind)
    return ClaimCandidate(
        start=start,
        end=end,
        text=unit,
        checkworthiness=score,
        checkworthy=score >= CHECKWORTHY_THRESHOLD,
        claim_type=kind,
        speaker=resolver.speaker_of(unit),
    )


def extract(text: str) -> list[ClaimCandidate]:
    """Split ``text`` into claim units with exact offsets, speaker, type and score."""
    resolver = SpeakerResolver()
    return [_candidate(text, start, end, resolver) for start, end in split_sentences(text)]


def extract_sentence(sentence: str) -> ClaimCandidate:
    """Score one pre-split unit as a whole (the ``--sentences`` mode)."""
    return _candidate(sentence, 0, len(sentence), SpeakerResolver())
