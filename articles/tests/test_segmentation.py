"""Sentence segmentation: a unit is a sentence, a quotation over several sentences stays one unit
with its attribution, and offsets are exact."""

import time

import pytest

from articles.extraction.segment import split_sentences


def units(text: str) -> list[str]:
    spans = split_sentences(text)
    return [text[start:end] for start, end in spans]


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "The U.S. economy grew 3.5% in Sept. last year. Dr. Smith agreed.",
            ["The U.S. economy grew 3.5% in Sept. last year.", "Dr. Smith agreed."],
        ),
        ("Meet at 9 a.m. Tomorrow is fine.", ["Meet at 9 a.m.", "Tomorrow is fine."]),
        ("J. K. Rowling wrote it. Then she left.", ["J. K. Rowling wrote it.", "Then she left."]),
        (
            "Vice President Joseph R. Biden Jr. and the Rev. Al Sharpton came.",
            ["Vice President Joseph R. Biden Jr. and the Rev. Al Sharpton came."],
        ),
        (
            "Plessy v. Ferguson and Brown v. Board of Education.",
            ["Plessy v. Ferguson and Brown v. Board of Education."],
        ),
        ("See No. 10 Downing St. for details. Done.", ["See No. 10 Downing St. for details.", "Done."]),
        ("He said no. Then he left.", ["He said no.", "Then he left."]),
        (
            "He lives in the U.S. The rest live in the U.K. now.",
            ["He lives in the U.S.", "The rest live in the U.K. now."],
        ),
        (
            "It is lying to the S.E.C. (at least, not that we know).",
            ["It is lying to the S.E.C. (at least, not that we know)."],
        ),
        ("Sen. Tim Kaine (D-Va.) said so. He left.", ["Sen. Tim Kaine (D-Va.) said so.", "He left."]),
        (
            "She flew to Fort Myers, Fla. The storm hit. He was ill. Doctors came.",
            ["She flew to Fort Myers, Fla.", "The storm hit.", "He was ill.", "Doctors came."],
        ),
        ("FAIRVIEW, W.Va. - The coal was piled high.", ["FAIRVIEW, W.Va. - The coal was piled high."]),
        ("He has a Ph.D. The job is his.", ["He has a Ph.D.", "The job is his."]),
        (
            "Of the 10 judges, six agreed. That was 60.5 percent.",
            ["Of the 10 judges, six agreed.", "That was 60.5 percent."],
        ),
    ],
)
def test_abbreviations_initials_and_decimals(text, expected):
    assert units(text) == expected


def test_ellipses_end_a_sentence_only_before_a_new_one():
    assert units("Wait... What happened? Nobody knows!") == ["Wait...", "What happened?", "Nobody knows!"]
    assert units("And then… the lights went out.") == ["And then… the lights went out."]
    assert units("and then . . . The end.") == ["and then . . .", "The end."]


def test_quotation_over_several_sentences_stays_with_its_attribution():
    text = '"Let\'s not allow barriers to be put up in NATO. This does not provide benefit," Rutte said. Next one.'
    assert units(text) == [text[: text.index(" Next")], "Next one."]


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "“We will win. We are strong,” she said. Later she left.",
            ["“We will win. We are strong,” she said.", "Later she left."],
        ),
        (
            "‘We will win. They’re weak,’ she said. Later.",
            ["‘We will win. They’re weak,’ she said.", "Later."],
        ),
        (
            '"Why should we pay?" Smith asked. Nobody answered.',
            ['"Why should we pay?" Smith asked.', "Nobody answered."],
        ),
        (
            "“How many times?” President Barack Obama asked, visibly angry. Silence.",
            ["“How many times?” President Barack Obama asked, visibly angry.", "Silence."],
        ),
        (
            'Japan called it an "outlaw nation." Russia insisted on calm.',
            ['Japan called it an "outlaw nation."', "Russia insisted on calm."],
        ),
        (
            "He said: «Nous gagnerons. Toujours.» Puis il partit.",
            ["He said: «Nous gagnerons. Toujours.»", "Puis il partit."],
        ),
        (
            "Mr. King said it was ''not in line with our policy.'' The network agreed.",
            ["Mr. King said it was ''not in line with our policy.''", "The network agreed."],
        ),
    ],
)
def test_curly_straight_and_other_quotes(text, expected):
    assert units(text) == expected


def test_an_unclosed_or_inch_quote_does_not_swallow_the_paragraph():
    assert units("He is 6'2\" tall. Then we left. Done.") == ["He is 6'2\" tall.", "Then we left.", "Done."]
    assert units('"We will win. We are strong.') == ['"We will win.', "We are strong."]


def test_parentheses():
    assert units("Growth was 2% (see Fig. 3). The end.") == ["Growth was 2% (see Fig. 3).", "The end."]
    assert units("He left. (He had to.) Then it rained.") == ["He left.", "(He had to.)", "Then it rained."]


def test_headings_list_items_and_paragraphs_are_units():
    text = "Breaking news\n\nBody sentence one. Body two.\n\n1. First item.\n2. Second item\n- third item\n• fourth"
    assert units(text) == [
        "Breaking news",
        "Body sentence one.",
        "Body two.",
        "1. First item.",
        "2. Second item",
        "- third item",
        "• fourth",
    ]


def test_a_sentence_wrapped_over_lines_is_one_unit():
    text = "The government said it would\nraise taxes next year. Then it did.\nA heading\nbelow it"
    assert units(text) == [
        "The government said it would\nraise taxes next year.",
        "Then it did.",
        "A heading\nbelow it",
    ]


def test_windows_line_ends_and_unusual_breaks():
    assert units("One line.\r\nTwo line.\r\n") == ["One line.", "Two line."]
    assert units("One.\rTwo.\u2028Three.\x0cFour.") == ["One.", "Two.", "Three.", "Four."]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("这是第一句。这是第二句！第三句？", 3),
        ("שלום עולם. מה נשמע? טוב.", 3),
        ("هذا سؤال؟ نعم هذا صحيح.", 2),
        ("यह पहला वाक्य है। यह दूसरा है।", 2),
        ("Правительство согласилось. Оно начало.", 2),
        ("Le gouvernement a tranché. Évidemment, il a gagné.", 2),
    ],
)
def test_other_scripts_are_segmented(text, expected):
    assert len(units(text)) == expected


def test_emoji_and_flags_keep_exact_offsets():
    text = "Türkiye 🇹🇷 spent 5% more. 😀 Yes."
    assert units(text) == ["Türkiye 🇹🇷 spent 5% more.", "😀 Yes."]


@pytest.mark.parametrize("text", ["", " ", "\n\n\t  \r\n", "\u00a0\u3000"])
def test_whitespace_only_has_no_units(text):
    assert split_sentences(text) == []


def test_a_megabyte_without_punctuation_is_one_unit_quickly():
    text = "word " * 200_000
    started = time.perf_counter()
    spans = split_sentences(text)
    assert spans == [(0, len(text) - 1)]
    assert time.perf_counter() - started < 2


def test_a_megabyte_article_is_segmented_quickly(seed_text):
    text = "\n\n".join([seed_text] * (1_000_000 // len(seed_text) + 1))
    started = time.perf_counter()
    spans = split_sentences(text)
    assert len(spans) == 19 * (1_000_000 // len(seed_text) + 1)
    assert time.perf_counter() - started < 2


def test_doubled_apostrophes_quote_like_double_quotes():
    text = "''It's tinkering,'' said Alan Cole. ''I wouldn't call it reform. There aren't many.'' Next."
    units = [text[a:b] for a, b in split_sentences(text)]
    assert units == [
        "''It's tinkering,'' said Alan Cole.",
        "''I wouldn't call it reform. There aren't many.''",
        "Next.",
    ]


def test_plural_titles_do_not_end_a_sentence():
    text = "This led Sens. Jon Tester and Reps. Ann Kuster to act. Fine."
    assert [text[a:b] for a, b in split_sentences(text)] == [text[:-6], "Fine."]
