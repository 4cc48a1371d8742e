"""Score the extraction pipeline against a newsroom's own annotated articles.

Gold format: JSON lines in the shape of ``seed-claims.jsonl`` (see docs/extraction.md), one
object per claim unit: ``start``, ``end`` (code-point offsets into the article text), ``text``,
``checkworthy`` (2 = clearly worth checking, 1 = borderline, not scored, 0 = not),
``claim_type`` and ``speaker`` ("author" for the outlet's own voice). Pure Python, no Django.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .extraction import ClaimCandidate, extract

AUTHOR = "author"
_TOKEN = re.compile(r"[^\W\d_][\w.'-]+")
_NAME_STOP = frozenset({"the", "of", "and", "mr", "mrs", "ms", "dr", "president", "minister", "prime"})


class GoldError(ValueError):
    """A gold file that cannot be read; the message names the file and line."""


@dataclass
class GoldArticle:
    text: str
    units: list[dict]
    name: str


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    exact: int = 0  # gold units cut exactly
    tp: int = 0  # check-worthy: gold 2 decided yes
    fn: int = 0  # gold 2 decided no
    fp: int = 0  # gold 0 decided yes
    speaker_n: int = 0
    speaker_exact: int = 0
    speaker_match: int = 0
    author_n: int = 0
    author_ok: int = 0
    type_ok: int = 0
    errors: list[str] = field(default_factory=list)


def load_gold(paths: list[Path], text_path: Path | None = None) -> list[GoldArticle]:
    """Read gold files. Units are grouped by their ``article`` field (a path to the article's
    text, relative to the gold file) or, without one, belong to ``text_path`` or to the
    ``.txt`` file of the same name beside the gold file."""
    groups: dict[Path, list[dict]] = defaultdict(list)
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise GoldError(f"{path}: cannot read: {exc}") from None
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                unit = json.loads(line)
                start, end = int(unit["start"]), int(unit["end"])
            except (ValueError, KeyError, TypeError) as exc:
                raise GoldError(f"{path}:{number}: not a gold unit ({exc})") from None
            if not 0 <= start < end:
                raise GoldError(f"{path}:{number}: start and end must satisfy 0 <= start < end")
            article = unit.get("article")
            source = (path.parent / article) if article else (text_path or path.with_suffix(".txt"))
            groups[source].append(unit)
    articles = []
    for source, units in groups.items():
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise GoldError(f"{source}: cannot read the article text: {exc}") from None
        articles.append(GoldArticle(text=text, units=sorted(units, key=lambda u: u["start"]), name=str(source)))
    return articles


def _tokens(name: str) -> set[str]:
    return {t for t in _TOKEN.findall(name.lower()) if t not in _NAME_STOP and len(t) > 2}


def _best(unit: dict, predicted: list[ClaimCandidate]) -> ClaimCandidate | None:
    best, overlap = None, 0
    for candidate in predicted:
        shared = min(unit["end"], candidate.end) - max(unit["start"], candidate.start)
        if shared > overlap:
            best, overlap = candidate, shared
    return best


def score_article(article: GoldArticle, counts: Counts) -> None:
    predicted = extract(article.text)
    counts.gold += len(article.units)
    counts.predicted += len(predicted)
    spans = {(c.start, c.end) for c in predicted}
    for unit in article.units:
        best = _best(unit, predicted)
        if (unit["start"], unit["end"]) in spans:
            counts.exact += 1
        elif len(counts.errors) < 50:
            counts.errors.append(
                f"{article.name}: boundary {unit['start']}-{unit['end']}: {unit.get('text', '')[:70]!r}"
            )
        decided = bool(best and best.checkworthy)
        worthy = unit.get("checkworthy")
        if worthy == 2:
            counts.tp += decided
            counts.fn += not decided
        elif worthy == 0:
            counts.fp += decided
        if best is not None and best.claim_type == unit.get("claim_type"):
            counts.type_ok += 1
        gold_speaker = (unit.get("speaker") or "").strip()
        said = best.speaker if best else ""
        if gold_speaker.lower() == AUTHOR or not gold_speaker:
            counts.author_n += 1
            counts.author_ok += not said
        else:
            counts.speaker_n += 1
            counts.speaker_exact += said.lower() == gold_speaker.lower()
            counts.speaker_match += bool(_tokens(said) & _tokens(gold_speaker))


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def summary(counts: Counts) -> dict[str, float | int]:
    precision = _ratio(counts.tp, counts.tp + counts.fp)
    recall = _ratio(counts.tp, counts.tp + counts.fn)
    return {
        "gold_units": counts.gold,
        "units_predicted": counts.predicted,
        "boundary_precision": _ratio(counts.exact, counts.predicted),
        "boundary_recall": _ratio(counts.exact, counts.gold),
        "checkworthy_precision": precision,
        "checkworthy_recall": recall,
        "checkworthy_f1": _ratio(2 * precision * recall, precision + recall) if precision + recall else 0.0,
        "speaker_accuracy": _ratio(counts.speaker_exact, counts.speaker_n),
        "speaker_partial_accuracy": _ratio(counts.speaker_match, counts.speaker_n),
        "author_voice_accuracy": _ratio(counts.author_ok, counts.author_n),
        "claim_type_accuracy": _ratio(counts.type_ok, counts.gold),
    }


def evaluate(paths: list[Path], text_path: Path | None = None) -> tuple[dict, Counts]:
    counts = Counts()
    for article in load_gold(paths, text_path):
        score_article(article, counts)
    return summary(counts), counts
