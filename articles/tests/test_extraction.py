"""The first extractor, behind the permanent ``extract(text)`` interface."""

import itertools
import json
from pathlib import Path

import pytest

from articles.extraction import CHECKWORTHY_THRESHOLD, extract, extract_sentence

GOLD = Path(__file__).resolve().parents[3] / "shared" / "eval" / "seed-claims.jsonl"


def _gold():
    if not GOLD.exists():
        pytest.skip("shared evaluation data not present")
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_seed_units_are_cut_exactly(seed_text):
    gold = _gold()
    got = extract(seed_text)
    assert [(c.start, c.end) for c in got] == [(g["start"], g["end"]) for g in gold]
    assert all(seed_text[c.start : c.end] == c.text for c in got)


def test_seed_speakers_match_the_annotation(seed_text):
    gold = _gold()
    got = extract(seed_text)
    for g, c in zip(gold, got, strict=True):
        expected = "" if g["speaker"] == "author" else g["speaker"]
        assert c.speaker == expected, g["text"]


def test_seed_clear_calls_are_decided(seed_text):
    gold = _gold()
    got = extract(seed_text)
    for g, c in zip(gold, got, strict=True):
        if g["checkworthy"] == 2:
            assert c.checkworthy, g["text"]
        if g["checkworthy"] == 0:
            assert not c.checkworthy, g["text"]
        assert c.checkworthy == (c.checkworthiness >= CHECKWORTHY_THRESHOLD)


def test_multi_sentence_quote_stays_one_unit_with_its_attribution():
    text = '"Let\'s not allow barriers to be put up in NATO. This does not provide benefit," Rutte said. Next one.'
    units = extract(text)
    assert units[0].text.endswith("Rutte said.")
    assert units[1].text == "Next one."


@pytest.mark.parametrize(
    "text,count",
    [
        ("The U.S. economy grew 3.5% in Sept. last year. Dr. Smith agreed.", 2),
        ("Meet at 9 a.m. Tomorrow is fine.", 2),
        ("J. K. Rowling wrote it. Then she left.", 2),
        ("Headline without a stop\nBody sentence one. Body two.", 3),
        ("Wait... What happened? Nobody knows!", 3),
        ("", 0),
        ("   \n\t  ", 0),
        ("one long line with no punctuation at all", 1),
    ],
)
def test_segmentation_cases(text, count):
    units = extract(text)
    assert len(units) == count
    for unit in units:
        assert text[unit.start : unit.end] == unit.text
        assert unit.text == unit.text.strip()


def test_any_unicode_keeps_exact_offsets():
    text = "Türkiye 🇹🇷 spent 5% more. שלום עולם. Ça va? 😀 Yes."
    units = extract(text)
    assert units and all(text[u.start : u.end] == u.text for u in units)
    spans = [(u.start, u.end) for u in units]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_extract_sentence_scores_the_whole_line():
    unit = extract_sentence("NATO's 32 countries agreed to spend 3.5% of GDP on defence by 2035.")
    assert unit.start == 0 and unit.claim_type == "quantity" and unit.checkworthy
    assert 0.0 <= unit.checkworthiness <= 1.0
