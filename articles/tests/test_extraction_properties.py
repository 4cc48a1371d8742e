"""Properties of the units for any text at all (hypothesis).

For every text: units are sorted, non-overlapping and within bounds; ``text[start:end]`` is the
unit; each unit is non-empty with no whitespace at either end; and the units cover the text: every
non-whitespace character lies in exactly one unit (what lies between units is whitespace).
"""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.extraction import CHECKWORTHY_THRESHOLD, detect_language, extract
from articles.extraction.classify import CLAIM_TYPES, claim_type
from articles.extraction.segment import split_sentences

# Pieces that exercise the segmenter's rules, mixed into arbitrary text.
TRICKY = [
    ".",
    ". ",
    "?",
    "!",
    "...",
    "…",
    "。",
    "？",
    "؟",
    "।",
    '"',
    "“",
    "”",
    "‘",
    "’",
    "'",
    "(",
    ")",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\u2028",
    " ",
    "\t",
    "\u00a0",
    "U.S.",
    "Dr.",
    "Sept.",
    "a.m.",
    "3.5%",
    "J.",
    "No.",
    "1.",
    "- ",
    "The",
    "He",
    "said",
    "asked",
    "Smith",
    "«",
    "»",
    "😀",
    "שלום",
    "Türkiye",
    "İ",
    "\x00",
    "\ud7ff",
]
texts = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=4)), max_size=40).map("".join),
)


def check_units(text: str, spans: list[tuple[int, int]]) -> None:
    assert spans == sorted(spans)
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        unit = text[start:end]
        assert unit == unit.strip()
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start
        assert not text[end:start].strip()  # whitespace, or nothing after "。"
    # Coverage: nothing but whitespace before the first unit, after the last, or anywhere if none.
    first = spans[0][0] if spans else len(text)
    last = spans[-1][1] if spans else len(text)
    assert not text[:first].strip()
    assert not text[last:].strip()


# No example database: failures print their example, and the project tree stays clean.
@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_segmentation_invariants_hold_for_any_text(text):
    check_units(text, split_sentences(text))


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_extract_invariants_hold_for_any_text(text):
    units = extract(text)
    check_units(text, [(u.start, u.end) for u in units])
    for unit in units:
        assert text[unit.start : unit.end] == unit.text
        assert unit.claim_type in CLAIM_TYPES
        assert 0.0 <= unit.checkworthiness <= 1.0
        assert unit.checkworthy == (unit.checkworthiness >= CHECKWORTHY_THRESHOLD)


@settings(max_examples=300, deadline=None, database=None)
@given(texts, st.sampled_from(["en", "und", "de", "zh"]))
def test_claim_type_is_always_a_known_type(text, language):
    assert claim_type(text, language) in CLAIM_TYPES


@settings(max_examples=300, deadline=None, database=None)
@given(texts)
def test_detect_language_always_answers_a_code(text):
    code = detect_language(text)
    assert code == "und" or (len(code) == 2 and code.isalpha() and code.islower())
