"""The first extractor, behind the permanent ``extract(text)`` interface."""

import itertools
import json
from pathlib import Path

import pytest

from articles.extraction import CHECKWORTHY_THRESHOLD, extract, extract_sentence, extract_sentences

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


def test_seed_claim_types_match_the_annotation(seed_text):
    gold = _gold()
    got = extract(seed_text)
    assert [c.claim_type for c in got] == [g["claim_type"] for g in gold]


def test_extract_sentences_gives_one_candidate_per_line_in_order():
    lines = ["Unemployment fell to 4.2% in March.", "", "  ", "Let's get it done."]
    got = extract_sentences(lines)
    assert [c.text for c in got] == ["Unemployment fell to 4.2% in March.", "", "  ", "Let's get it done."]
    assert [c.claim_type for c in got] == ["quantity", "not_a_claim", "not_a_claim", "not_a_claim"]
    assert (got[1].start, got[1].end) == (0, 0)


@pytest.mark.parametrize("text", ["", "   \n\t ", "\n\n\n"])
def test_empty_or_blank_text_has_no_units(text):
    assert extract(text) == []


def test_a_megabyte_article_keeps_exact_offsets(seed_text):
    copies = 1_000_000 // len(seed_text) + 1
    text = "\n\n".join([seed_text] * copies)
    units = extract(text)
    assert len(units) == 19 * copies
    assert all(text[u.start : u.end] == u.text for u in units[:: max(1, len(units) // 50)])


def test_right_to_left_and_cjk_text_is_extracted():
    text = "هذا سؤال؟ نعم هذا صحيح. 这是第一句。这是第二句。"
    units = extract(text)
    assert [u.text for u in units] == [
        "هذا سؤال؟",
        "نعم هذا صحيح.",
        "这是第一句。",
        "这是第二句。",
    ]
    assert units[0].claim_type == "not_a_claim"


def test_uncheckable_types_are_discounted_below_the_threshold():
    exhortation = extract_sentence("Let's not allow barriers to be put up in NATO.")
    assert exhortation.claim_type == "not_a_claim" and not exhortation.checkworthy


def test_sentences_about_the_speech_event_are_context_not_claims():
    framed = extract_sentence(
        "The minister made the remarks during a televised town hall in Ottawa, where she answered questions "
        "from voters across Canada."
    )
    plain = extract_sentence(
        "The minister said Canada spent 2.1% of GDP on defence in 2024, up from 1.3% in 2019, in Ottawa."
    )
    assert not framed.checkworthy
    assert plain.checkworthy
