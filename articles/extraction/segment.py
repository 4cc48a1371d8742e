"""Sentence segmentation that keeps exact offsets.

A unit is a sentence, except that a quotation running over several sentences stays one unit
with its attribution. Line breaks are hard boundaries (headings, list items, paragraphs), except
a single break inside a sentence that was wrapped (the next line starts in lower case).

Speed: compiled regexes find the candidates (line contents, quotation spans, runs of sentence
terminators); Python looks only at those candidates, never at each character.
"""

import re


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Titles and other abbreviations that are never the last word of a sentence.
_NEVER_FINAL = _word_set(
    "mr mrs ms messrs mme mlle dr prof sen sens rep reps gov govs gen gens col lt maj capt cmdr adm sgt cpl "
    "pvt supt insp det "
    "atty hon rev fr pres st mt vs cf e.g i.e approx ca viz"
)
# Abbreviations that end a sentence only before a word that usually starts one ("in the U.S. The").
_USUALLY_INSIDE = _word_set(
    "u.s u.k u.n e.u d.c n.y l.a inc ltd co corp plc llc bros jr sr dept est ft tue tues thu thur thurs fri"
)
# Capitalised only: as lower-case words they are ordinary words that may end a sentence ("ill.").
_CAPITALISED = _word_set(
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nev "
    "okla ore pa tenn tex va vt wash wis wyo"
)
# Abbreviations that stand before a number ("No. 10", "Fig. 3").
_BEFORE_NUMBER = _word_set("no nos vol fig pp p art sec ch para op")
# Abbreviations that often end a sentence: split before any capital ("at 9 a.m. Tomorrow").
_FINAL = frozenset(("a.m", "p.m", "etc"))
ABBREVIATIONS = _NEVER_FINAL | _USUALLY_INSIDE | _CAPITALISED | _BEFORE_NUMBER | _FINAL

# Words that start a sentence; after "U.S." or "Sept." they mark a sentence end.
_STARTERS = _word_set(
    "the a an he she it they we i you this that these those there his her its their our my your but and or "
    "so yet in on at as after before when while if although though because since for with without by from "
    "to during under over meanwhile however still now then also some many most other both each every all "
    "no not why what how who where which one last next earlier later today yesterday tomorrow asked"
)

_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() breaks on
_RARE_BREAKS = _BREAKS[2:]
# The content of each line, without its leading and trailing whitespace.
_LINE_CONTENT = re.compile(rf"\S(?:[^{_BREAKS}]*\S)?")
_CJK_TERMINATORS = "\u3002\uff01\uff1f\uff61"  # 。！？｡: no space follows them
_TERMINATORS = ".?!\u2026\u203c\u2047\u2048\u2049\u061f\u06d4\u0964\u0965\u0589\u1362\u104b"
_RARE_TERMINATORS = _TERMINATORS[3:]
_CLOSERS = "\"'\u201d\u2019\u00bb\u203a)]}\u300d\u300f\uff09\u3011\u3009\u300b"
_LINE_ENDS = frozenset(_TERMINATORS + _CJK_TERMINATORS + ":")
# After a terminator, these continue the sentence rather than start a new one (a dash follows a
# dateline, "WASHINGTON, D.C. - ", or leads to the name under a quotation).
_CONTINUATION = ",;:)]}%-\u2013\u2014\u2015" + _TERMINATORS + _CJK_TERMINATORS
_ESC = re.escape
# A candidate sentence end: a run of terminators ("?!", "...") with the closing quotes and brackets
# that belong to it, then (on the same line) spaces and a character that may start a sentence:
# not a lower-case ASCII letter or a continuation. Groups: terminators, closers, next character.
# The regexes reject most non-candidates ("3.5", "U.S.-led", "e.g., the", "and so... on") before
# Python sees them. Each starts with one literal character, which the regex engine finds about as
# fast as str.find; a pattern that starts with a character class is ten times slower.
# A run starts only where no terminator precedes it (the lookbehind) and never gives back what it
# matched (possessive quantifiers): otherwise a long run of dots would be re-scanned from each dot.
_NOT_AFTER_TERMINATOR = f"(?<![{_ESC(_TERMINATORS)}].)"
_AFTER = f"[{_ESC(_TERMINATORS)}]*+)([{_ESC(_CLOSERS)}]*+)(?=[^\\S{_BREAKS}]+([^\\sa-z{_ESC(_CONTINUATION)}]))"
_CANDIDATES = tuple(re.compile(f"({_ESC(ch)}{_NOT_AFTER_TERMINATOR}{_AFTER}") for ch in ".?!")
_RARE_CANDIDATE = re.compile(f"([{_ESC(_RARE_TERMINATORS)}]{_NOT_AFTER_TERMINATOR}{_AFTER}")
# CJK terminators need no space after them.
_CJK_CANDIDATE = re.compile(f"([{_ESC(_CJK_TERMINATORS)}]+)([{_ESC(_CLOSERS)}]*)(?=[^\\S{_BREAKS}]*(\\S))")

_QUOTE_CHARS = frozenset("\"\u201d\u2019\u00bb\u300d\u300f'")
# Quotations, each within one line. A straight quote opens after a non-word character and closes
# before one, so inch marks (6'2") do not pair up; an unclosed quote pairs with nothing. Straight
# and curly double quotes have a regex each (a literal first character is fast); the rest share one.
_QUOTATIONS = (
    re.compile(rf'"(?<!\w")(?=\S)[^"{_BREAKS}]{{0,3000}}(?<=\S)"(?!\w)'),
    re.compile(f"\u201c[^\u201c\u201d{_BREAKS}]{{0,3000}}\u201d"),
)
_RARE_QUOTES = "\u00ab\u201e\u300c\u300e\u2018"
# Two apostrophes as quotation marks, as The New York Times' archive writes them: ''Quote,'' he said.
# The literal comes first (its lookbehind after it) so that the engine finds candidates at
# str.find speed; a leading lookbehind made it try every position of the text (5x slower).
_DOUBLED_APOSTROPHES = re.compile(f"''(?<!\\w'')(?=\\S)[^{_BREAKS}]{{0,3000}}?(?<=\\S)''(?!\\w)")
_RARE_QUOTATION = re.compile(
    f"\u00ab[^\u00ab\u00bb{_BREAKS}]{{0,3000}}\u00bb"
    f"|\u201e[^\u201e\u201c\u201d{_BREAKS}]{{0,3000}}[\u201c\u201d]"
    f"|\u300c[^\u300c\u300d{_BREAKS}]{{0,3000}}\u300d"
    f"|\u300e[^\u300e\u300f{_BREAKS}]{{0,3000}}\u300f"
    # A right single quote followed by a letter is an apostrophe ("they\u2019re").
    f"|\u2018(?:[^\u2018\u2019{_BREAKS}]|\u2019(?=\\w)){{0,3000}}\u2019"
)
# "Rutte asked." after a quotation that ends in "?" keeps the quotation's unit going.
_ATTRIBUTION = re.compile(
    r"(?P<first>[A-Z][\w'\u2019.-]*)\s+(?:(?:[A-Z][\w'\u2019.-]*|of|the|de|van|von)\s+){0,5}"
    r"(?:said|says|asked|asks|added|adds|told|tells|wrote|writes|replied|replies|stated|states|noted|notes|"
    r"explained|continued|warned|warns|insisted|tweeted|shouted|exclaimed|wondered|answered|responded|"
    r"argued|recalled|declared|joked|quipped|concluded)[.,;]"
)
_QUOTE_OPENERS = "\"'\u201c\u2018\u00ab\u201e"
_OPENERS = "\"'\u201c\u2018\u00ab\u201e([{"
_LIST_MARKS = " \t\u2022*-\u2013\u2014"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return sorted, non-overlapping (start, end) spans of the units in ``text``.

    1. Blocks: the contents of lines (or of a sentence wrapped over several lines).
    2. Candidates: runs of terminators followed by a possible sentence start, found by regexes.
    3. A candidate inside a quotation, after an abbreviation or before a quotation's attribution
       does not end its unit; any other candidate does.
    """
    spans: list[tuple[int, int]] = []
    candidates = iter(_candidates(text))
    candidate = next(candidates, None)
    quotes = _quotations(text)
    q = 0
    blocks = _blocks(text)
    for block_start, block_end in blocks:
        unit_start = block_start
        while candidate is not None and candidate.start() < block_end:
            run_end = candidate.end()
            # Skip the quotations that end before this run; is the run inside the next one?
            while q < len(quotes) and quotes[q][1] <= run_end:
                q += 1
            if not (q < len(quotes) and quotes[q][0] < run_end) and _ends_sentence(text, candidate, block_start):
                spans.append((unit_start, run_end))
                unit_start = candidate.start(3)
            candidate = next(candidates, None)
        spans.append((unit_start, block_end))
        if candidate is None:
            spans.extend(blocks)  # no candidates left: each remaining block is one unit
    return spans


def _candidates(text: str) -> list[re.Match]:
    """Candidate sentence ends in text order; a run found by two regexes ("!?") counts once."""
    found = [m for pattern in _CANDIDATES for m in pattern.finditer(text)]
    if any(ch in text for ch in _RARE_TERMINATORS):
        found.extend(_RARE_CANDIDATE.finditer(text))
    if any(ch in text for ch in _CJK_TERMINATORS):
        found.extend(_CJK_CANDIDATE.finditer(text))
    found.sort(key=re.Match.start)
    unique, last_end = [], -1
    for match in found:
        if match.end() > last_end:
            unique.append(match)
            last_end = match.end()
    return unique


def _quotations(text: str) -> list[tuple[int, int]]:
    """The spans of quotations, sorted by start (quotations in different styles may nest)."""
    spans = [m.span() for pattern in _QUOTATIONS for m in pattern.finditer(text)]
    if any(ch in text for ch in _RARE_QUOTES):
        spans.extend(m.span() for m in _RARE_QUOTATION.finditer(text))
    if "''" in text:
        spans.extend(m.span() for m in _DOUBLED_APOSTROPHES.finditer(text))
    spans.sort()
    return spans


def _blocks(text: str):
    """Runs of text between hard line boundaries, without surrounding whitespace.

    A line joins the previous one only when the break wraps a sentence: exactly one line break
    between them, the previous line not ending a sentence or a heading with ":", and the next
    line starting with a lower-case letter.
    """
    block_start = block_end = -1
    for start, end in _line_contents(text):
        if (
            block_end >= 0
            and text[start].islower()
            and text[block_end - 1] not in _LINE_ENDS
            and _is_single_break(text[block_end:start])
        ):
            block_end = end
            continue
        if block_end >= 0:
            yield block_start, block_end
        block_start, block_end = start, end
    if block_end >= 0:
        yield block_start, block_end


def _line_contents(text: str):
    """(start, end) of each line's content without surrounding whitespace; blank lines are skipped."""
    if any(ch in text for ch in _RARE_BREAKS) or text.count("\r") != text.count("\r\n"):
        for match in _LINE_CONTENT.finditer(text):
            yield match.span()
        return
    # The common case, "\n" (or "\r\n") line ends: str.split and added-up offsets, with no match
    # object per line (the regex above, for every kind of break, is ~5x slower).
    start = 0
    for line in text.split("\n"):
        right = line.rstrip()
        if right:
            yield start + len(right) - len(right.lstrip()), start + len(right)
        start += len(line) + 1


def _is_single_break(gap: str) -> bool:
    breaks = sum(gap.count(ch) for ch in _BREAKS)
    return breaks == 1 or (breaks == 2 and "\r\n" in gap)


def _ends_sentence(text: str, candidate: re.Match, block_start: int) -> bool:
    """Decide whether a candidate run of terminators ends a sentence."""
    if candidate.re is _CJK_CANDIDATE:
        return True
    if candidate.group(3).islower():
        return False  # a lower-case letter beyond ASCII
    closers = candidate.group(2)
    if closers:
        # '"Why should we pay?" Smith asked.' keeps the quotation and its attribution together.
        return not (
            text[candidate.end(1) - 1] in "?!"
            and closers[-1] in _QUOTE_CHARS
            and _is_attribution(text, candidate.start(3))
        )
    if candidate.group(1) != ".":
        return True
    return not _is_abbreviation(text, block_start, candidate.start(), candidate.start(3))


def _is_attribution(text: str, start: int) -> bool:
    match = _ATTRIBUTION.match(text, start)
    return match is not None and match.group("first").lower() not in _STARTERS


def _is_abbreviation(text: str, block_start: int, dot: int, next_start: int) -> bool:
    """True when the period at ``dot`` closes an abbreviation, an initial or a list number."""
    window = text[max(block_start, dot - 24) : dot]
    if not window or window[-1].isspace():
        return False
    token = window.rsplit(None, 1)[-1].lstrip(_OPENERS)
    if not token:
        return False
    low = token.lower()
    nxt = text[next_start]
    initial = len(token) == 1 and token.isalpha()
    if low in _NEVER_FINAL:
        return True
    if low in _BEFORE_NUMBER and not initial:
        return nxt.isdigit()
    if low in _FINAL:
        return nxt.isdigit()
    if token.isdigit():
        # "1. First item": a list number at the start of a line.
        lead = dot - len(token) - block_start
        return lead < 8 and not text[block_start : dot - len(token)].strip(_LIST_MARKS)
    inside = (
        initial
        or low in _USUALLY_INSIDE
        or (low in _CAPITALISED and token[0].isupper() and token[1:].islower())
        or ("." in low and _is_dotted_acronym(low))  # the test first: most words are plain
    )
    if not inside:
        return False
    # A quotation may open the next sentence; a bracket continues this one.
    word = text[next_start : next_start + 16].split(None, 1)[0].lstrip(_QUOTE_OPENERS).rstrip(",;:")
    return word.lower() not in _STARTERS


def _is_dotted_acronym(token: str) -> bool:
    """ "u.s", "a.k.a", "w.va", "ph.d": short runs of letters joined by periods."""
    parts = token.split(".")
    return len(parts) > 1 and all(0 < len(part) <= 3 and part.isalpha() for part in parts)
