"""Sentence segmentation that keeps exact offsets.

A unit is a sentence, except that a quotation running over several sentences stays one unit
with its attribution. Lines are hard boundaries (headings, list items, paragraphs).
"""

import re

# Tokens that end with a period without ending a sentence.
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thurs",
        "fri",
        "sat",
        "sun",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "a.m",
        "p.m",
        "e.g",
        "i.e",
        "d.c",
        "n.y",
        "l.a",
        "approx",
        "dept",
        "est",
        "fig",
        "vol",
    ]
)
# Abbreviations that often end a sentence: split after them when a capital follows.
FINAL_ABBREVIATIONS = frozenset({"a.m", "p.m", "etc"})
OPEN_QUOTES = "\u201c\u2018"
CLOSE_QUOTES = "\u201d\u2019"
TERMINATORS = ".!?"
_LINE = re.compile(r"[^\n]+")


def _is_abbreviation(line: str, dot: int, next_char: str) -> bool:
    """True when the period at ``dot`` closes an abbreviation or an initial."""
    start = dot
    while start > 0 and not line[start - 1].isspace() and line[start - 1] not in '"(\u201c':
        start -= 1
    token = line[start:dot].lower()
    if token in FINAL_ABBREVIATIONS:
        return not next_char.isupper()
    if token in ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "J.", "U.S", "a.m"
    return bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", token))


def _split_line(line: str, offset: int) -> list[tuple[int, int]]:
    spans = []
    begin = 0
    in_straight = False
    curly_depth = 0
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch == '"':
            in_straight = not in_straight
        elif ch in OPEN_QUOTES and ch == "\u201c":
            curly_depth += 1
        elif ch == "\u201d":
            curly_depth = max(0, curly_depth - 1)
        elif ch in TERMINATORS:
            j = i + 1
            while j < n and line[j] in TERMINATORS:
                j += 1  # "?!" and ellipses "..."
            # Closing quotes and brackets belong to the sentence they end.
            while j < n and line[j] in '"\u201d\u2019)]':
                if line[j] == '"':
                    in_straight = not in_straight
                elif line[j] == "\u201d":
                    curly_depth = max(0, curly_depth - 1)
                j += 1
            inside_quote = in_straight or curly_depth > 0
            at_break = j < n and line[j].isspace()
            if at_break and not inside_quote:
                k = j
                while k < n and line[k].isspace():
                    k += 1
                nxt = line[k] if k < n else ""
                abbreviation = ch == "." and j == i + 1 and _is_abbreviation(line, i, nxt)
                if nxt and not abbreviation and (nxt.isupper() or nxt.isdigit() or nxt in "\"\u201c(['"):
                    spans.append((begin, j))
                    begin = k
            i = j
            continue
        i += 1
    spans.append((begin, n))
    out = []
    for s, e in spans:
        while s < e and line[s].isspace():
            s += 1
        while e > s and line[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((offset + s, offset + e))
    return out


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return sorted, non-overlapping (start, end) spans of the units in ``text``."""
    spans: list[tuple[int, int]] = []
    for match in _LINE.finditer(text):
        spans.extend(_split_line(match.group(), match.start()))
    return spans
