"""Who made a claim: direct quotes, reported speech, "according to", and back-references.

Names are resolved to the fullest form the article gives ("Rutte" -> "Mark Rutte",
"the Ukrainian president" -> "Volodymyr Zelenskyy", "He" -> the last person speaking).

How a document is read:

1. Quotations are masked (their text replaced by NUL characters of the same length), so that
   cue words inside quoted speech ("we said no") are never taken for the frame's cue.
2. One regex pass over the masked document finds every cue ("said", "warned", "according
   to", ...); only units with a cue, a quotation, a colon or a dash get any further work.
3. For each cue, the source is the noun phrase before it ("Rutte said", "X, an economist,
   said"), after it ('"...," said X', "according to X"), or the clause's subject for a
   participle (", adding that ...").
4. Units that are nothing but quotation take the speaker of the quotation they continue: the
   same paragraph, a following "X said." line, or the previous paragraph's quote.
"""

import re
from bisect import bisect_left, bisect_right

from .cues import ATTITUDES, FORMS, INVERTIBLE, find_cues
from .names import GROUP_NOUNS, kind_of, person_name, strip_possessive
from .phrases import (
    DASHES,
    FUNCTION,
    INTRO,
    KEPT_DETERMINERS,
    PREPOSITIONS,
    PRONOUNS,
    PUNCT_BOUNDARY,
    QUOTE_TOKENS,
    SUBORDINATORS,
    TOKEN,
    clause_subject,
    head_end,
    is_possessive,
    is_upper,
    phrase_after,
    phrase_before,
    skip_back,
)
from .quotes import MASK, mask_document
from .references import References, trim


def _words(text: str) -> frozenset[str]:
    """A word list written as one string."""
    return frozenset(text.split())


_Cue = tuple[int, int, str | None]  # start, end, verb form (None for "according to")
# How a cue frames its unit, the strongest first.
_FRAME, _MAIN, _SUBORDINATE = 0, 1, 2
_MAX_CUES = 40  # a unit with more cues is not prose; bounding them keeps odd input linear
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
_LETTER = re.compile(r"[^\W\d_]")
# The name after a closing quote and a dash, ending its paragraph: '"..." ― Jane Doe'.
_DASH_CREDIT = re.compile(r"[^\S\n]*((?:[A-Z][\w'\u2019.-]*[^\S\n]*){1,5})\.?[^\S\n]*$", re.MULTILINE)
_LEADING_NAME = re.compile(r"((?:[A-Z][\w'\u2019.-]*\s+){0,3}[A-Z][\w'\u2019-]*)\s+[a-z]")
_HEADLINE_SOURCE = re.compile(r"((?:[A-Z][\w'\u2019.-]*\s+){0,5}[A-Z][\w'\u2019.-]*):\s")
_NOT_HEADLINE_SOURCES = _words(
    "update note photo photos video watch read editor correction related breaking exclusive "
    "analysis opinion warning listen see"
)
# Openings that frame a unit as someone's statement without a reporting verb: a medium ("In a
# statement issued Tuesday, X ..."), a named document ("In the latest Gallup poll, ...") or an
# owner's plan ("Under Mrs. Clinton's plan, ...").
_OPENING = re.compile(
    r"(?:(?:In|During|Through)\s+(?:a|an|the|his|her|its|their)\s+[^,.;:\x00]{0,60}?\b"
    r"(?:statements?|interviews?|letters?|tweets?|posts?|speech(?:es)?|op-eds?|memos?|e-?mails?|"
    r"news\s+releases?|press\s+releases?|news\s+conferences?|press\s+conferences?|videos?|ads?|"
    r"messages?|remarks|testimony|filings?|columns?|essays?|commentary|editorials?"
    r"|(?P<document>polls?|surveys?|study|studies|reports?|analysis|audit))\b[^,;:\x00]{0,80},\s*"
    r"|(?:Under\s+)?(?P<owner>(?:[A-Z][\w.\u2019'-]*\s+){0,3}[A-Z][\w.-]*?)(?:'s|\u2019s)\s+"
    r"(?:[a-z][\w-]*\s+){0,2}(?:plans?|proposals?|platform|agenda)\b)"
)
_OPENING_WORDS = ("In ", "During ", "Through ", "Under ")
_DAYS = _words("monday tuesday wednesday thursday friday saturday sunday today yesterday tonight on in at last this")
_DOCUMENTS = _words(
    "report reports study studies analysis poll polls survey surveys statement memo letter "
    "filing filings data records documents figures estimate estimates release review audit "
    "investigation complaint ruling transcript video ad article story book"
)


def _may_open(masked: str, starts: list[int]) -> set[int]:
    """The units that _OPENING may match: those starting with one of _OPENING_WORDS or holding
    a possessive ("'s ") within their first 48 characters. A possessive is found by str.find over
    the whole document (a few hits) and placed by bisection, not looked for unit by unit."""
    found = {i for i, start in enumerate(starts) if masked.startswith(_OPENING_WORDS, start)}
    for mark in ("'s ", "\u2019s "):
        pos = masked.find(mark)
        while pos >= 0:
            # A unit starting up to 45 characters before the mark holds it in its first 48.
            found.update(range(bisect_left(starts, pos - 45), bisect_right(starts, pos)))
            pos = masked.find(mark, pos + 1)
    return found


def attribute_speakers(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The speaker of each unit ``text[start:end]``, in order; "" for the outlet's own voice."""
    if not spans:
        return []
    return _Document(text, spans).speakers()


class _Document:
    def __init__(self, text: str, spans: list[tuple[int, int]]):
        self.text = text
        self.spans = spans
        self.masked, self.quotations = mask_document(text)
        self.names = References(text)

    # -- the passes -------------------------------------------------------------------------

    def speakers(self) -> list[str]:
        """Only units with a cue, a quotation, an early colon or a dash credit get any work;
        the rest (most of a news article) are the outlet's own voice."""
        masked, spans = self.masked, self.spans
        starts = [s for s, _ in spans]
        cues: dict[int, list[_Cue]] = {}
        for cue in find_cues(masked, spans[0][0], spans[-1][1]):
            index = bisect_right(starts, cue[0]) - 1
            if index >= 0 and cue[1] <= spans[index][1]:
                cues.setdefault(index, []).append(cue)
        quoted: set[int] = set()  # units holding quoted words, or inside a longer quotation
        for quote_start, quote_end in self.quotations:
            index = max(0, bisect_right(starts, quote_start) - 1)
            while index < len(spans) and spans[index][0] < quote_end:
                if spans[index][1] > quote_start:
                    quoted.add(index)
                index += 1
        colons: set[int] = set()
        colon = masked.find(":", spans[0][0])
        while colon >= 0:
            index = bisect_right(starts, colon) - 1
            if index >= 0 and colon - spans[index][0] < 60:
                colons.add(index)
            colon = masked.find(":", colon + 1)
        credits = self._dash_credits()
        openings = {i for i in _may_open(masked, starts) if _OPENING.match(masked, *spans[i])}
        out = [""] * len(spans)
        bare_quote: set[int] = set()  # units that are nothing but quotation, or led by one
        for i in sorted(cues.keys() | quoted | colons | credits.keys() | openings):
            start, end = spans[i]
            # The cheap test first: the letter search scans all of a masked quotation.
            if i in quoted and (
                (MASK in masked[start + 1 : start + 3] and masked.count(MASK, start, end) * 2 > end - start)
                or not _LETTER.search(masked, start, end)
            ):
                bare_quote.add(i)
            speaker = self._headline_source(start, end) if i in colons else ""
            if not speaker and i in cues:
                speaker = self._unit_speaker(cues[i], start, end)
            if not speaker and i in credits:
                speaker = credits[i]
            if not speaker and i in openings:
                speaker = self._opening_source(start, end)
            out[i] = speaker
        self._continue_quotations(out, quoted, sorted(bare_quote))
        return out

    def _dash_credits(self) -> dict[int, str]:
        """Reader-comment style credits: '"..." ― Jane Doe' at the end of a paragraph."""
        credits: dict[int, str] = {}
        if "\u2015" not in self.text and "\u2014" not in self.text and "\u2013" not in self.text:
            return credits
        text = self.text
        matches = []
        for dash in "\u2015\u2014\u2013":
            # str.find runs at memchr speed; a regex over the whole text would visit every character.
            pos = text.find(dash)
            while pos >= 0:
                quote = text[max(0, pos - 3) : pos].rstrip()
                if quote.endswith(('"', "\u201d")):
                    match = _DASH_CREDIT.match(text, pos + 1)
                    if match:
                        matches.append(match)
                pos = text.find(dash, pos + 1)
        starts = [s for s, _ in self.spans]
        for match in sorted(matches, key=lambda m: m.start()):
            words = match.group(1).split()
            if not words or kind_of(words) != "person":
                continue
            name = self.names.book.resolve_person(person_name(trim(words)), match.start())
            index = bisect_right(starts, match.start()) - 1
            # The credit covers its paragraph and the quoted paragraphs that lead up to it.
            first_line = self.text.rfind("\n", 0, match.start()) + 1
            while index >= 0 and self.spans[index][1] > first_line:
                credits[index] = name
                index -= 1
            while (
                index >= 0
                and index not in credits  # an earlier credit's paragraphs stay its own
                and self.masked[self.spans[index][0] : self.spans[index][0] + 2].count(MASK)
            ):
                line_start = self.text.rfind("\n", 0, self.spans[index][0]) + 1
                while index >= 0 and self.spans[index][1] > line_start:
                    credits.setdefault(index, name)
                    index -= 1
        return credits

    def _paragraph_break(self, i: int) -> bool:
        """Whether units ``i - 1`` and ``i`` are in different paragraphs (lines)."""
        return self.text.find("\n", self.spans[i - 1][1], self.spans[i][0]) >= 0

    def _continue_quotations(self, out: list[str], quoted: set[int], bare_quote: list[int]) -> None:
        """Give each unattributed bare quotation the speaker of the quotation it continues."""
        n = len(out)
        for i in bare_quote:
            if out[i]:
                continue
            speaker = ""
            # 1. An attribution in the same paragraph: the nearest following one, else the
            #    nearest before ('"...," Tester said. "..."').
            j = i + 1
            while j < n and not speaker and not self._paragraph_break(j):
                speaker = out[j]
                j += 1
            j = i - 1
            while j >= 0 and not speaker and not self._paragraph_break(j + 1):
                speaker = out[j]
                j -= 1
            previous_paragraph = i > 0 and self._paragraph_break(i) and not self._lines_between(i - 1, i)
            if not speaker and previous_paragraph:
                previous_start, previous_end = self.spans[i - 1]
                if self.text[previous_start:previous_end].rstrip().endswith(":"):
                    # 2. "He said:" / "Sanders made the following comment:" introducing it.
                    speaker = out[i - 1] or self.names.resolve(
                        self._main_subject(previous_start, previous_end), previous_start
                    )
            if (
                not speaker
                and i + 1 < n
                and out[i + 1]
                and i + 1 not in quoted
                and self.spans[i + 1][1] - self.spans[i + 1][0] <= 70
                and self._paragraph_break(i + 1)
                and not self._lines_between(i, i + 1)
            ):
                speaker = out[i + 1]  # 3. A short attribution line after the quotation: "Graham asked."
            if not speaker and previous_paragraph and out[i - 1] and i - 1 in quoted:
                # 4. The previous paragraph's quotation continues.
                speaker = out[i - 1]
            out[i] = speaker

    def _lines_between(self, i: int, j: int) -> bool:
        """Whether a non-empty line (a paragraph with no unit) separates units ``i`` and ``j``."""
        return bool(self.text[self.spans[i][1] : self.spans[j][0]].strip())

    # -- sources ----------------------------------------------------------------------------

    def _unit_speaker(self, cues: list[_Cue], start: int, end: int) -> str:
        """The source of the unit's framing cue: a final or parenthetical attribution ("...,
        Graham said", "according to X") before a main clause's, before a subordinate one's
        ("when Patriot signaled ..., Mr. Barrett said" -> Mr. Barrett)."""
        found = []
        best = _SUBORDINATE + 1
        headline = None
        for cue in cues[:_MAX_CUES]:
            if best == _FRAME:
                break  # nothing outranks an earlier frame
            cue_start, _, form = cue
            if form and form[0].isupper() and cue_start != start:
                # A capitalised cue counts only in a title-case headline: "Lindsey Graham Says",
                # not "the United States".
                if headline is None:
                    words = _WORD.findall(self.text, start, end)
                    headline = sum(w[0].islower() for w in words) * 4 <= len(words)
                if not headline:
                    continue
            if best <= _MAIN and form and not _FRAME_MARK.search(self.masked, max(start, cue_start - 60), cue_start):
                continue  # a later cue outranks the first only as a frame, which follows a comma or quote
            source = self._source(cue, start, end)
            if source:
                found.append((source[1], cue_start, source[0]))
                best = min(best, source[1])
        if not found:
            self._initial_found(cues, start, found)
        if len(found) > 1:
            found.sort(key=lambda f: (f[0], f[1]))
        for _, position, words in found:
            if len(words) == 1 and words[0].lower() in ("he", "she"):
                # '"X scolded him: "...," she said': the antecedent is in the same unit.
                earlier = [f for f in found if f[1] < position and f[2][-1].lower() not in PRONOUNS]
                if earlier:
                    words = min(earlier, key=lambda f: f[1])[2]
                else:
                    # "Mrs. Clinton has been frank ... she has proposed": the unit's subject.
                    subject = _LEADING_NAME.match(self.masked, start, position)
                    names = subject.group(1).split() if subject else []
                    if (
                        names
                        and not any(w.lower().rstrip(".") in FUNCTION or is_possessive(w) for w in names)
                        and kind_of(names) == "person"
                    ):
                        words = names
            speaker = self.names.resolve(words, position)
            if speaker:
                return speaker
        return ""

    def _source(self, cue: _Cue, start: int, end: int, reach: int = 64) -> tuple[list[str], int] | None:
        """The source phrase of one cue and its rank: _FRAME, _MAIN or _SUBORDINATE."""
        masked = self.masked
        cue_start, cue_end, form = cue
        if form is None:  # "according to"
            words, _ = phrase_after(TOKEN.findall(masked, cue_end, min(end, cue_end + 200)), 0)
            for i in range(len(words) - 1, 0, -1):
                # "according to a report by the Wall Street Journal" -> Wall Street Journal
                if words[i] in ("by", "from") and is_upper(words[i + 1 : i + 2][0] if i + 1 < len(words) else ""):
                    if words[i - 1].lower() in _DOCUMENTS:
                        words = words[i + 1 :]
                    break
            return (words, _FRAME) if words else None
        low_form = form.lower()
        kind = FORMS.get(low_form)
        if kind == "noun":
            owner = self._owner(start, cue_start)
            if owner:
                return owner, _MAIN
            # Not a possessive's noun: the verb it can also be ("Democrats claim that ...").
            low_form = form = form.split()[0]
            kind = FORMS.get(low_form)
            cue_end = cue_start + len(form)
        if kind is None:
            return None
        if kind in ("third", "base") and low_form not in _SPEECH and _NOUN_FOLLOWERS.match(masked, cue_end):
            return None  # "the party's vacancy rules should ...", "his tax reform plans." are nouns
        if kind != "ing" and reach < 400:
            space = masked.rfind(" ", max(start, cue_start - 16), cue_start - 1)
            previous_word = masked[space + 1 : cue_start - 1] if space >= 0 else ""
            if (
                previous_word in _DETERMINERS_AND_PREPOSITIONS
                or previous_word == "percentage"
                or (
                    previous_word[:1].isdigit() and previous_word[-1:].isalnum()  # not an age: "Trump, 70, said"
                )
            ):
                # "the rules", "of comments", "a proposed wall", "5 percentage points": a noun or an adjective
                return None
            if kind == "adjective" and not (
                previous_word in _BE_FORMS or previous_word in _DEGREE or previous_word.endswith("ly")
            ):
                return None  # "critical infrastructure"; the attitude needs "be": "is critical of"
        if form in _REPORTING and reach < 400:
            simple = self._simple_source(start, cue_start, cue_end)
            if simple:
                return simple
        window = max(start, cue_start - reach)
        tokens = TOKEN.findall(masked, window, cue_start)
        i, saw_be, saw_modal = skip_back(tokens, len(tokens) - 1)
        if i < 2 and window > start and reach < 400:
            return self._source(cue, start, end, 400)  # most subjects are near; this one is not
        by_agent = masked.startswith(" by ", cue_end) and kind == "past"
        if kind == "adjective" and not saw_be:
            return None  # "critical infrastructure"; the attitude needs "be": "is critical of"
        if saw_be and kind == "past" and low_form not in ATTITUDES:
            # Passive: "was first reported by The Washington Post"; without an agent, no source.
            return self._agent(cue_end + 4, end) if by_agent else None
        if (
            kind == "base"
            and i > 0
            and tokens[i] == "to"
            and tokens[i - 1].isalpha()
            and tokens[i - 1].islower()
            and tokens[i - 1] not in FUNCTION
        ):
            # "The Republican nominee continues to insist", "Trump needs to tell": the subject
            # of the verb governing the infinitive.
            i, saw_be, _ = skip_back(tokens, i - 2)
            saw_modal = True
        previous = tokens[i] if i >= 0 else ""
        low = previous.lower()
        if i < 0 or previous in PUNCT_BOUNDARY:
            # Nothing before the cue but punctuation: inversion, an appositive, or a participle.
            if kind == "ing" and previous not in DASHES:
                words = self._main_subject(start, cue_start) or (
                    self._subject_after_intro(cue_end, end) if i < 0 else []
                )
                return (words, _MAIN) if words else None
            if previous == "," or previous in DASHES:
                if window > start and reach < 400:
                    return self._source(cue, start, end, 400)  # appositives can be long
                words = clause_subject(tokens, i)
                if words:
                    return words, _MAIN
            if low_form in INVERTIBLE and (i < 0 or previous in QUOTE_TOKENS or previous == ","):
                words = self._inverted(cue_end, end)
                if words:
                    return words, _FRAME
            return None
        if by_agent and low in SUBORDINATORS:
            return self._agent(cue_end + 4, end)  # "When pressed by Holt about ..."
        if low in (
            "and",
            "but",
            "or",
            "by",
            "after",
            "before",
            "while",
            "without",
            "despite",
            "then",
            "in",
            "of",
            "upon",
        ):
            # A coordinated verb or a participle shares the clause's subject:
            # "X is bearish on loans and expects ...", "X began by saying ...".
            if low in ("and", "but", "or", "then") or kind == "ing":
                words = self._main_subject(start, cue_start)
                if not words and kind == "ing":
                    words = self._subject_after_intro(cue_end, end)  # "In defending himself, Trump ..."
                return (words, _MAIN) if words else None
            return None
        if kind == "ing" and not saw_be:
            if is_possessive(previous) and is_upper(previous):
                tokens[i] = previous[:-2]  # "Trump's claiming" = Trump is claiming
            elif previous.islower() and low not in PRONOUNS and low not in FUNCTION:
                # "X unleashed a series of tweets saying ...": the clause's subject speaks.
                words = self._main_subject(start, cue_start)
                return (words, _MAIN) if words else None
            elif not (is_upper(previous) or low in PRONOUNS):
                return None
        words, j = phrase_before(tokens, i)
        if j < 0 and window > start and reach < 400:
            return self._source(cue, start, end, 400)
        if not words:
            return None
        if by_agent and not is_upper(words[-1]):
            # Reduced passive: "a plan proposed by the mayor".
            return self._agent(cue_end + 4, end)
        if kind == "base" and not saw_modal:
            # A bare present needs a plural subject: "Democrats say", not "a cost estimate".
            head = words[head_end(words) - 1].lower()
            if len(words) > 2 and words[1] == "of" and (words[0] in _QUANTIFIER_WORDS or words[0] in _NUMBERS):
                head = words[-1].lower()  # "many of his supporters", "eight of 10 voters"
            if not (head.endswith("s") or head in _PLURAL_SUBJECTS or (len(words) > 1 and "and" in words)):
                return None
        before = tokens[j].lower() if j >= 0 else ""
        if before in SUBORDINATORS:
            return words, _SUBORDINATE
        if (
            j > 0
            and (before == "," or before in QUOTE_TOKENS or before in DASHES)
            and (_FRAME_TAIL.match(masked, cue_end) or (low_form in _TELLS and _told_tail(masked, cue_end)))
        ):
            return words, _FRAME  # "..., Graham said." / "The museum, Mr. Obama said, would ..."
        return words, _MAIN

    def _initial_found(self, cues: list[_Cue], start: int, found: list) -> None:
        """No cue found its source: the unit may open with a postmodified subject."""
        cue_start, _, form = cues[0]
        if (
            FORMS.get(form) in _FINITE_KINDS
            and cue_start - start <= 100
            and self.masked[start : start + 1].isupper()
            and self.masked.count(" ", start, cue_start) <= 14
            and not _BREAK.search(self.masked, start, cue_start)
            and _MODIFIER_WORD.search(self.masked, start, cue_start)
        ):
            words = self._initial_subject(cues[0], start)
            if words:
                found.append((_MAIN, cue_start, words))

    def _initial_subject(self, cue: _Cue, start: int) -> list[str]:
        """The subject that opens the unit when a postmodifier separates it from its verb:
        "Experts on North Korea and nuclear nonproliferation said", "Those close to him say",
        "One of the docs who sent the letter called", "Officials familiar with the talks said".
        Only the head and its first prepositional phrase are kept. The caller has checked that
        the unit starts with a capital and that no comma, quote, colon or dash comes before the
        cue."""
        cue_start, cue_end, form = cue
        kind = FORMS.get(form)
        if not form[0].islower():
            return []
        if kind != "past" and form not in _SPEECH and _NOUN_FOLLOWERS.match(self.masked, cue_end):
            return []  # "The ethnic vote in several battleground states could ...": a noun
        tokens = TOKEN.findall(self.masked, start, cue_start)
        if not 3 <= len(tokens) <= 16:
            return []
        i, saw_be, _ = skip_back(tokens, len(tokens) - 1)
        if saw_be or i < 2:
            return []
        if tokens[0].lower() in _THOSE and tokens[1].lower() in _RELATIONAL:
            words, k = tokens[:1], 1  # "Those close to him", "People familiar with the matter"
        else:
            words, k = phrase_after(tokens, 0)
            if not words or k > i:
                return []
            if k < i and is_upper(words[-1]) and _common_noun(tokens[k]) and tokens[k + 1].lower() in _POSTMODIFIERS:
                words, k = [*words, tokens[k]], k + 1  # "The Real Clear Politics average of polls"
            head = words[head_end(words) - 1].lower()
            if any(w.islower() and w.endswith(("ed", "ing")) for w in words):
                return []  # "This started in Cleveland when ...": a verb, not a noun phrase
            if (
                (words[0].lower() in FUNCTION and words[0].lower() not in KEPT_DETERMINERS)
                or head in PRONOUNS
                or not (is_upper(words[0]) or tokens[0][0].isupper())
            ):
                return []
        if kind == "base" and words[0].lower() not in _THOSE:
            head = words[head_end(words) - 1].lower()
            if not (head.endswith("s") or head in _PLURAL_SUBJECTS):
                return []  # a bare present needs a plural subject
        rest = tokens[k : i + 1]
        first = rest[0].lower() if rest else ""
        if any(t in PUNCT_BOUNDARY for t in rest) or not (first in _POSTMODIFIERS or _participle(rest, 0)):
            return []
        if first in _RELATIVES:
            # The cue must be the main verb, not the relative clause's own: "the docs who sent
            # the letter called ...", not "the man who officials said ...".
            if len(rest) < 4 or not rest[1].islower() or rest[1] in FUNCTION:
                return []
            return words
        if any(t.lower() in _FINITE or t.lower() in SUBORDINATORS for t in rest[1:]):
            return []  # "The plan to cut taxes would hurt those ...": a clause, not a modifier
        if _participle(rest, 0):
            # "An exhaustive study being released on Tuesday by ... shows"; after a name the
            # verb is the clause's own: "Young died at a time when ...".
            return [] if is_upper(words[-1]) else words
        if first in _RELATIONAL:
            return [*words, *rest]  # "Those close to him"
        if rest[-1].lower() in FUNCTION or (first == "and" and not any(w in PREPOSITIONS for w in words)):
            return []
        cut = next((m for m in range(1, len(rest)) if _participle(rest, m)), len(rest))
        return [*words, *rest[:cut]]  # "polls taken over the past two weeks" ends at "taken"

    def _simple_source(self, start: int, cue_start: int, cue_end: int) -> tuple[list[str], int] | None:
        """The common case at a fraction of the cost: only a name between the cue and a clause
        boundary ('"...," Mr. Barrett said', "Rutte said that ..."). Anything else (an adverb, a
        function word, a lowercase noun) is left to the full analysis."""
        masked = self.masked
        low = max(start, cue_start - 64)
        boundary = max(
            masked.rfind(",", low, cue_start),
            masked.rfind('"', low, cue_start),
            masked.rfind("\u201d", low, cue_start),
            masked.rfind(MASK, low, cue_start),
        )
        if boundary < 0 and low > start:
            return None
        run = _NAME_RUN.fullmatch(masked, boundary + 1 if boundary >= 0 else start, cue_start)
        if not run:
            return None
        words = run.group(1).split()
        pronoun = len(words) == 1 and words[0].lower() in PRONOUNS
        if not pronoun and any(w.lower().rstrip(".") in FUNCTION or w.endswith(("'s", "\u2019s")) for w in words):
            return None
        if boundary > start and (
            _FRAME_TAIL.match(masked, cue_end) or (masked[cue_start] == "t" and _told_tail(masked, cue_end))
        ):
            return words, _FRAME
        return words, _MAIN

    def _owner(self, start: int, cue_start: int) -> list[str]:
        """The possessor of a speech noun: "Donald Trump's claim", "Tulsa police's earlier
        claim", "Stumpf's repeated emphasis"."""
        tokens = TOKEN.findall(self.masked, max(start, cue_start - 80), cue_start)
        i = len(tokens) - 1
        while i >= 0 and i >= len(tokens) - 2 and tokens[i].islower() and not is_possessive(tokens[i]):
            i -= 1  # "repeated", "earlier"
        if i < 0 or not is_possessive(tokens[i]):
            return []
        words = [strip_possessive(tokens[i])]
        i -= 1
        while i >= 0 and is_upper(tokens[i]) and tokens[i].lower().rstrip(".") not in FUNCTION:
            words.insert(0, tokens[i])
            i -= 1
        if words[-1].lower() in PRONOUNS or words[-1].lower() in FUNCTION:
            return []
        return words

    def _agent(self, pos: int, end: int) -> tuple[list[str], int] | None:
        words, _ = phrase_after(TOKEN.findall(self.masked, pos, min(end, pos + 160)), 0)
        return (words, _MAIN) if words else None

    def _inverted(self, pos: int, end: int) -> list[str]:
        """The source after an inverted cue: '"...," said Jane Doe, an economist.'"""
        tokens = TOKEN.findall(self.masked, pos, min(end, pos + 160))
        if not tokens or tokens[0].lower().rstrip(".") in _DAYS:
            return []
        words, k = phrase_after(tokens, 0)
        if not words or (k < len(tokens) and tokens[k] not in _AFTER_NAME):
            return []  # 'said the suing states were ...' is not an inverted source
        if not any(is_upper(w) for w in words) and words[-1].lower() not in GROUP_NOUNS:
            return []
        return words

    def _main_subject(self, start: int, cue_start: int) -> list[str]:
        """The subject of the clause a participle or coordinated verb hangs from: the nearest
        comma-separated stretch before the cue that starts with a noun phrase and a verb
        ("Chastened by X, as well as Y, Trump revised his plan, promising ..." -> Trump)."""
        tokens = TOKEN.findall(self.masked, max(start, cue_start - 300), cue_start)
        n = len(tokens)
        cuts = [k for k in range(n) if tokens[k] == "," or tokens[k] in DASHES]
        starts = [0, *[k + 1 for k in cuts]]
        if n > 2 and tokens[0].isupper() and tokens[1] in DASHES:
            starts[0] = 2  # dateline: "WASHINGTON -- President Obama ..."
        fallback: list[str] = []
        for j in reversed(starts):
            if j >= n:
                continue
            low = tokens[j].lower()
            if low in PRONOUNS:
                if j + 1 < n and tokens[j + 1][:1].islower():
                    return tokens[j : j + 1]
                continue
            if low in INTRO or low in SUBORDINATORS or low.endswith(("ing", "ed")):
                continue
            words, k = phrase_after(tokens, j)
            if not words:
                continue
            if k < n and tokens[k][:1].islower() and tokens[k].lower() not in FUNCTION:
                return words
            if k < n and (tokens[k] == "," or tokens[k].lower() in _POSTMODIFIER_STARTS):
                # "Dean, a medical doctor, then appeared ... and began by saying": the phrase
                # that opens the sentence before an appositive, if nothing nearer qualifies.
                fallback = words
        return fallback

    def _subject_after_intro(self, pos: int, end: int) -> list[str]:
        """The subject after an opening participial phrase: "Referring to Turkey, Rutte ..."."""
        comma = self.masked.find(",", pos, min(end, pos + 200))
        if comma < 0:
            return []
        tokens = TOKEN.findall(self.masked, comma + 1, min(end, comma + 160))
        if tokens and tokens[0].lower() in PRONOUNS:
            return tokens[:1] if len(tokens) > 1 and tokens[1][:1].islower() else []
        words, k = phrase_after(tokens, 0)
        if words and k < len(tokens) and tokens[k][:1].islower() and tokens[k].lower() not in FUNCTION:
            return words
        return []

    def _opening_source(self, start: int, end: int) -> str:
        """A unit framed by its opening as someone's statement, without a reporting verb:
        "In a statement issued Tuesday, Hillary Clinton was more circumspect" (the medium names
        the subject as the source), "Under Mrs. Clinton's plan, taxpayers would pay" (a plan or
        proposal is its owner's stated position). Only a name qualifies: "In a statement posted
        Friday, the bill was described as a compromise" stays in the outlet's voice."""
        match = _OPENING.match(self.masked, start, end)
        if match.group("owner"):
            words = match.group("owner").split()
            if words[0] in ("The", "the"):
                words = words[1:]
            if not words or words[0].lower().rstrip(".") in FUNCTION or kind_of(words) not in ("person", "org"):
                return ""
            return self.names.resolve(words, match.start("owner"))
        if match.group("document"):
            # "In the latest Washington Post/ABC News poll, Clinton led": the poll is the source.
            words = TOKEN.findall(self.masked, match.start() + 3, match.end("document"))[1:]
            while words and words[0].islower():
                words = words[1:]  # "previous", "latest", "new"
            if not words or not is_upper(words[0]):
                return ""  # "In a new poll, ...": no source a reader could check
            return self.names.resolve(words, match.start())
        tokens = TOKEN.findall(self.masked, match.end(), min(end, match.end() + 160))
        if tokens and tokens[0].lower() in ("he", "she"):
            words, k = tokens[:1], 1
        else:
            words, k = phrase_after(tokens, 0)
            if not words or not is_upper(words[-1]) or kind_of(words) not in ("person", "org"):
                return ""
        if k >= len(tokens) or not tokens[k][:1].islower() or tokens[k].lower() in FUNCTION:
            return ""  # the phrase must be the clause's subject, followed by its verb
        return self.names.resolve(words, match.end())

    def _headline_source(self, start: int, end: int) -> str:
        """'Pence: Gennifer Flowers Won't Be at Debate' -> Pence."""
        match = _HEADLINE_SOURCE.match(self.masked, start, end)
        if not match:
            return ""
        words = match.group(1).split()
        first = words[0].lower()
        if first in _NOT_HEADLINE_SOURCES or first in FUNCTION or (words[0].isupper() and len(words[0]) > 5):
            return ""  # "UPDATE:", "CLARIFICATION:", "WASHINGTON:"
        return self.names.resolve(words, start)


def _common_noun(word: str) -> bool:
    low = word.lower()
    return word.isalpha() and word.islower() and low not in FUNCTION and not low.endswith(("ly", "ed", "ing"))


def _participle(tokens: list[str], k: int) -> bool:
    """Whether a reduced relative clause starts at ``tokens[k]``: "being released", "taken over"."""
    word = tokens[k]
    if word == "being":
        return k + 1 < len(tokens) and tokens[k + 1].endswith(("ed", "en", "wn"))
    return (
        word.islower()
        and word.endswith(("ed", "en", "wn"))
        and k + 1 < len(tokens)
        and tokens[k + 1].lower() in _PARTICIPLE_FOLLOWERS
    )


_FINITE_KINDS = frozenset(["past", "third", "base"])
_MODIFIER_WORD = re.compile(
    r" (?:of|on|in|at|from|for|with|and|who|that|which|close|closest|familiar|loyal|near|being) "
)
_BREAK = re.compile('[,;:()"\u201c\u201d\x00\u2014\u2013\u2015]|--')
_PARTICIPLE_FOLLOWERS = _words("by over in on at from during since last this earlier")
_THOSE = _words("those people officials sources")
_RELATIONAL = _words("close closest familiar loyal near")
_RELATIVES = _words("who that which")
_POSTMODIFIERS = _RELATIONAL | _RELATIVES | _words("of on in at from for with and")
_FINITE = _words(
    "is are was were be been has have had will would could can may might must should do does did not said says"
)
_PLURAL_SUBJECTS = _words("they we i you police people data media staff public some many most few several both all")
_NUMBERS = _words("one two three four five six seven eight nine ten")
_QUANTIFIER_WORDS = _words("many some most several few all both none")
_BE_FORMS = _words(
    "is are was were be been being isn't aren't wasn't weren't isn\u2019t aren\u2019t wasn\u2019t weren\u2019t"
)
_POSTMODIFIER_STARTS = _words("who which that of for in at from on with")
_DEGREE = _words("too so very more less most quite as not also still")
_SPEECH = frozenset(["say", "says", "tell", "tells"])
# Reporting verbs that need no passive, modal or participle handling: the fast path's cues.
_REPORTING = _words("said says told tells added adds noted notes wrote writes asked explained argued warned stated")
_NAME_RUN = re.compile(r"\s*((?:[A-Z][\w'\u2019.-]*\s+){0,3}[A-Z][\w'\u2019-]*|he|she|they|we|it)\s+")
_FRAME_MARK = re.compile('[,"\u201d\x00\u2014\u2013]')
_DETERMINERS_AND_PREPOSITIONS = _words(
    "the a an his her their its our these those this of in on for with from about into over under "
    "than no any every each such new other more most The A An His Her Their Its Our These Those This"
)
# What may follow a final or parenthetical cue: '..., Graham said Tuesday.', '..., X said, ...'.
_FRAME_TAIL = re.compile(
    r"\s*(?:[,.;:!?\"\u201d\u2014)]|$|(?:in|on|at|during|after|before|about|of|via|through|last|this|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight|"
    r"earlier|later|recently)\b)"
)
# The hearer of "told" before a frame's tail: '..., Graham told The Huffington Post on Thursday.'
_HEARER = re.compile(
    r"\s+(?:reporters|him|her|them|us|me|(?:the\s+)?[A-Z][\w'\u2019.&-]*(?:\s+[A-Z][\w'\u2019.&-]*){0,4})"
)
_TELLS = frozenset(["told", "tells", "tell"])


def _told_tail(masked: str, cue_end: int) -> bool:
    """Whether a frame's tail follows the hearer of "told": '..., Graham told The Huffington Post on Thursday.'"""
    hearer = _HEARER.match(masked, cue_end)
    return bool(hearer) and bool(_FRAME_TAIL.match(masked, hearer.end()))


# What follows a noun, never a finite verb: "the vacancy rules should ..."
_NOUN_FOLLOWERS = re.compile(r"\s+(?:should|would|will|could|can|may|might|must|is|are|was|were|have|has|had|and|or)\b")
_AFTER_NAME = _words("of at from in for on who which whose and with , . ; : ( -- \u2014 \u2013")
