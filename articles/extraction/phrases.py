"""Noun phrases around a cue, found on word tokens without a parser.

English news puts the source of an attribution in a few places only: right before the cue
("Rutte said"), before an appositive ("Jane Doe, an economist at X, said"), after an inverted
cue ('"...," said Jane Doe') or after "according to". These functions find the phrase in each
place from a list of tokens (words and single punctuation marks, quotations masked out).
"""

import re

from .names import TITLES


def _words(text: str) -> frozenset[str]:
    """A word list written as one string."""
    return frozenset(text.split())


TOKEN = re.compile(r"\w[\w'\u2019&./-]*|--|[@#]\w[\w'\u2019&./-]*|[^\w\s\x00]")

# Words that may stand between a subject and its cue: "Trump has also repeatedly said".
SKIP = _words(
    """
    also has have had is are was were be been being will would could can may might must should
    shall do does did not never n't didn't doesn't don't hasn't haven't hadn't won't wouldn't
    can't couldn't isn't wasn't aren't weren't didn\u2019t doesn\u2019t don\u2019t hasn\u2019t
    haven\u2019t hadn\u2019t won\u2019t wouldn\u2019t can\u2019t couldn\u2019t isn\u2019t
    wasn\u2019t aren\u2019t weren\u2019t now then later again once previously repeatedly
    recently already still even just often frequently always long first initially finally
    further earlier too himself herself themselves itself yesterday today tonight monday
    tuesday wednesday thursday friday saturday sunday ago all both only each almost too very quite
    perhaps maybe so
    """
)
BE = _words("is are was were be been being isn't aren't wasn't weren't isn\u2019t aren\u2019t wasn\u2019t weren\u2019t")
MODALS = _words(
    "will would could can may might must should shall do does did to "
    "didn't doesn't don't won't wouldn't can't couldn't didn\u2019t doesn\u2019t don\u2019t "
    "won\u2019t wouldn\u2019t can\u2019t couldn\u2019t"
)
_LY_NOUNS = _words("family ally assembly supply rally anomaly monopoly daily weekly monthly italy")
_TIME_NOUNS = _words("week month year morning afternoon evening night weekend")
_TIME_PREPOSITIONS = frozenset(
    {"on", "last", "this", "late", "early", "next", "that", "each", "every", "earlier", "in", "mid", "since"}
)
_DAYS = _words("monday tuesday wednesday thursday friday saturday sunday week weekend")
_MONTHS = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
# Words that end a noun phrase.
FUNCTION = _words(
    """
    the a an another some many several most any each every no all both either neither one two
    three four five six seven eight nine ten this that these those his her their its our my
    your whose which who whom what where when while whereas if as because since though although
    unless until after before during than but and or nor so yet for of to in on at by with from
    into onto about over under against between through without within among around across
    upon like unlike per via there here it he she they we i you him them us me not how why
    whether also however meanwhile instead thus hence indeed moreover furthermore still only
    just even once now then said says say perhaps later earlier nonetheless nevertheless
    despite amid amidst toward towards beyond except besides whatever whoever everyone
    everybody someone somebody anyone nobody none nothing something everything
    """
)
DETERMINERS = _words("the a an another some many several most one two three both his her their its our this these")
KEPT_DETERMINERS = _words("a an another one some many several two three both")
CONNECTORS = _words("of for on and & de del da van von der den du la le al bin y")
PREPOSITIONS = _words(
    "in on at with for from by of to about into over under during through against like including "
    "among between via per toward towards upon within without despite amid across behind beyond "
    "near onto unlike"
)
HEAD_PREPOSITIONS = frozenset(["of", "at", "for", "from", "in", "with", "on", "to", "by"])
_QUANTIFIERS = _words("many some most one none all several each both few two three four five six seven eight nine ten")
_QUANTIFIER_PRONOUNS = _words("some many others most few several both")
SUBORDINATORS = _words(
    "when if because as while after before although though since that whether what how until "
    "unless once where which who whom whose why than whereas"
)
PRONOUNS = frozenset({"he", "she", "they", "it", "we"})
CLAUSE_BOUNDARY = frozenset(
    ['"', "\u201c", "\u201d", "'", ";", ":", "(", "--", "\u2014", "\u2013", "\u2015", "-", "[", ")"]
)
PUNCT_BOUNDARY = frozenset([",", *CLAUSE_BOUNDARY])
QUOTE_TOKENS = frozenset(['"', "\u201c", "\u201d", "'"])
DASHES = frozenset(["--", "\u2014", "\u2013", "\u2015"])
# Sentence openers that introduce a phrase before the subject: "In a statement, X said".
INTRO = _words(
    """
    in on at after before during while when as since although though despite with without for
    from speaking asked referring earlier later but and also meanwhile still yet however
    according following responding addressing writing commenting noting pointing perhaps
    instead even though unlike like under amid given so thus then now today yesterday
    """
)
NOT_SOURCES = _words(
    """time times year years day days week weeks month months way thing things lot part number
    numbers point points rest kind sort ones"""
)
# Capitalised modifiers that never stand alone as a subject ("Democratic claims").
ADJECTIVES = _words(
    """democratic republican american russian chinese british french german european african
    asian latino hispanic mexican israeli palestinian iranian syrian ukrainian korean japanese
    indian canadian federal national"""
)


def is_upper(word: str) -> bool:
    return word[:1].isupper()


def is_possessive(word: str) -> bool:
    return word.endswith(("'s", "\u2019s", "s'", "s\u2019")) and len(word) > 2


def skip_back(tokens: list[str], i: int) -> tuple[int, bool, bool]:
    """Step back over adverbs, auxiliaries, time phrases and a parenthesis before a cue.
    Returns the new index, whether a form of "be" was passed, and whether a modal was."""
    saw_be = saw_modal = False
    while i >= 0:
        word = tokens[i]
        low = word.lower()
        if low in SKIP or (low.endswith("ly") and len(low) > 4 and low not in _LY_NOUNS and word.islower()):
            saw_be = saw_be or low in BE
            saw_modal = saw_modal or low in MODALS
            i -= 1
            if i >= 0 and low in _DAYS:
                if tokens[i].lower() in _TIME_PREPOSITIONS:
                    i -= 1
                if i > 0 and tokens[i].endswith("ed") and tokens[i].islower() and tokens[i] not in SKIP:
                    i -= 1  # "The latest poll released Friday shows": skip the reduced relative
            continue
        if (low in _TIME_NOUNS or low.rstrip(".") in _MONTHS) and i > 0 and tokens[i - 1].lower() in _TIME_PREPOSITIONS:
            i -= 1
            while i >= 0 and tokens[i].lower() in _TIME_PREPOSITIONS:
                i -= 1
            if i > 0 and tokens[i].endswith("ed") and tokens[i].islower():
                i -= 1  # "A poll released in late August found": skip the reduced relative
            continue
        if word == ")":
            j = i - 1
            while j >= 0 and tokens[j] != "(" and i - j < 12:
                j -= 1
            if j >= 0:
                i = j - 1
                continue
        break
    return i, saw_be, saw_modal


def phrase_before(tokens: list[str], i: int, depth: int = 0) -> tuple[list[str], int]:
    """The noun phrase ending at ``tokens[i]`` (text order) and the index of the token before it.

    Capitalised runs may hold connectors ("Commission on Presidential Debates"); a lowercase
    head may take capitalised modifiers ("Trump campaign") and a possessive ("Clinton's team");
    a common noun phrase must start at a determiner or a clause boundary ("the commission",
    ", analysts said"); a phrase that is a preposition's object belongs to a longer one ("A
    spokeswoman for Hillary Clinton says") or to an adverbial (then it is no subject)."""
    first = tokens[i]
    low = first.lower()
    if low[-2:] in ("'s", "\u2019s") and low[:-2] in FUNCTION:
        low = low[:-2]  # "he's said", "who's called": a clitic "is" or "has"
        first = first[:-2]
    if low in PRONOUNS:
        return [first], i - 1
    if first[0] == "@" and len(first) > 2:
        return [first], i - 1  # a social media handle names its owner: "@nycsouthpaw pointed out"
    if low in _QUANTIFIER_PRONOUNS and (i == 0 or tokens[i - 1] in PUNCT_BOUNDARY):
        return [first], i - 1  # "Some believe ...", "Others say ..."
    if low in FUNCTION or not first[:1].isalnum() or (is_possessive(first) and first[:1].isupper()):
        return [], i
    phrase: list[str] = []
    capitals = False
    lowercase_limit = 3
    while i >= 0:
        word = tokens[i]
        low = word.lower()
        if word[:1].isupper():
            if low.rstrip(".") in FUNCTION:
                break
            if is_possessive(word) and phrase:
                # "Clinton's team", "Mr. Obama's climate advisers", "POLITICO's Battleground
                # States average": the owner names the body.
                phrase.append(word)
                i -= 1
                while i >= 0 and tokens[i][:1].isupper() and tokens[i].lower().rstrip(".") not in FUNCTION:
                    phrase.append(tokens[i])
                    i -= 1
                phrase.reverse()
                return phrase, i
            phrase.append(word)
            capitals = True
        elif capitals and (
            (low in CONNECTORS and i > 0 and tokens[i - 1][:1].isupper() and tokens[i - 1].lower() not in FUNCTION)
            or (word[:1].isdigit() and i > 0 and tokens[i - 1].lower() in DETERMINERS)
        ):
            phrase.append(word)  # "Bank of America", "the 2014 American Community Survey"
        elif word[:1].isalnum() and not capitals and len(phrase) < lowercase_limit and low not in FUNCTION:
            if low in SKIP:
                break
            if low.endswith(("ed", "ing")) and not word[:1].isdigit():
                # A participle is a modifier only inside a phrase: "registered voters",
                # "the tracking poll"; as the last word it is a verb ("Trump fired back").
                before = tokens[i - 1] if i > 0 else ""
                if not phrase or not (
                    before.lower() in DETERMINERS
                    or before.lower() in PREPOSITIONS
                    or before in PUNCT_BOUNDARY
                    or (before[:1].isupper() and low.endswith("ing"))  # "the Clinton fundraising team"
                ):
                    break
            if is_possessive(word) and phrase:
                lowercase_limit = len(phrase) + 4  # "the candidate's former doctor"
            phrase.append(word)
        elif capitals and word.isalpha() and low not in FUNCTION and i > 0 and tokens[i - 1].lower() in DETERMINERS:
            phrase.append(word)  # "a former Democratic National Committee chairman"
        else:
            break
        i -= 1
    if not phrase:
        return [], i
    phrase.reverse()
    before = tokens[i].lower() if i >= 0 else ""
    if before in DETERMINERS:
        # Kept in the phrase: "the" lets "the Ukrainian president" be resolved to a name.
        phrase.insert(0, before)
        i -= 1
        before = tokens[i].lower() if i >= 0 else ""
        if before.isalpha() and tokens[i].islower() and before not in FUNCTION and before not in SKIP:
            return [], i  # an object: "rolled out several versions", "who sent the letter called"
    last = phrase[-1]
    if not last[:1].isupper() and (last.lower() in NOT_SOURCES or not last[:1].isalpha()):
        return [], i
    if len(phrase) == 1 and last.lower() in ADJECTIVES:
        return [], i
    if before in PREPOSITIONS:
        # The phrase is a preposition's object: part of a longer subject ("A spokeswoman for
        # Hillary Clinton says", "Nearly eight of 10 voters say") or of an adverbial ("In a
        # Facebook message posted Friday, ..."), which has no subject before it.
        if before == "with" and (i == 0 or tokens[i - 1] in PUNCT_BOUNDARY) and depth == 0:
            return phrase, i  # "With Democratic leaders worried about ...": an absolute clause
        if depth >= 3 or i == 0:
            return [], i
        if before == "of" and tokens[i - 1].lower() in _QUANTIFIERS:
            return [tokens[i - 1].lower(), "of", *phrase], i - 2
        if before == "to" and not phrase[0][:1].isupper() and phrase[0] not in DETERMINERS:
            return [], i  # "continues to insist": an infinitive, not an object
        k = i - 1
        participle = []
        if k > 0 and tokens[k].endswith(("ed", "ing")) and tokens[k].islower() and tokens[k] not in SKIP:
            # "research conducted by the Center for ...", "Protesters marching through the
            # streets chanted": the participle's noun is the head.
            participle = [tokens[k]]
            k -= 1
        head, j = phrase_before(tokens, k, depth + 1)
        if not head or head[-1].lower() in PRONOUNS:
            return [], i
        return [*head, *participle, before, *phrase], j
    if not last[:1].isupper() and phrase[0] not in DETERMINERS:
        # A common noun phrase without a determiner starts a clause: ", analysts said".
        if before and before not in PUNCT_BOUNDARY and before not in SUBORDINATORS and before not in ("and", "but"):
            return [], i
        head = last.lower()
        if not (head in _GROUPS or head in TITLES or head.endswith("s")):
            return [], i
    return phrase, i


def phrase_after(tokens: list[str], j: int, common: bool = True) -> tuple[list[str], int]:
    """The noun phrase starting at ``tokens[j]`` and the index after it: "the UK Prime
    Minister's Office", "a 46-page analysis by the Department of Veterans Affairs", "Jane Doe".
    With ``common`` false, only a name (capitalised run) is taken."""
    n = len(tokens)
    words: list[str] = []
    if j < n and tokens[j].lower() in DETERMINERS:
        if tokens[j].lower() in KEPT_DETERMINERS:
            words.append(tokens[j].lower())
        j += 1
        if j < n and tokens[j].lower() == "of" and j + 1 < n and tokens[j + 1].lower() == "the":
            words.append("of the")  # "one of the docs"
            j += 2
    lowercase = 0
    capitals = inside = False
    while j < n and len(words) < 14:
        word = tokens[j]
        low = word.lower()
        if word[:1].isupper() and low.rstrip(".") not in FUNCTION:
            words.append(word)
            # "the top British medical journal": a name inside a description, whose head follows.
            inside = inside or (not capitals and lowercase > 0)
            capitals = True
            if is_possessive(word):
                if not common:
                    break
                capitals = False  # "Trump's running mate": the owner is a determiner
        elif (
            low in CONNECTORS
            and words
            and j + 1 < n
            and (
                tokens[j + 1][:1].isupper()
                or (tokens[j + 1].lower() == "the" and j + 2 < n and tokens[j + 2][:1].isupper())
            )
        ):
            words.append(word)
            if tokens[j + 1].lower() == "the":
                j += 1
        elif low in ("by", "from", "at") and common and words and j + 1 < n:
            nxt = tokens[j + 1]
            if not (nxt[:1].isupper() or nxt.lower() in ("the", "a", "an")):
                break
            words.append(word)
            if nxt.lower() == "the":
                j += 1
        elif common and capitals and low in _NOUNS_AFTER_NAMES and lowercase < 2:
            words.append(word)  # "the Clinton campaign", "a Quinnipiac University poll"
            lowercase += 1
        elif common and (inside or not capitals) and word[:1].isalnum() and low not in FUNCTION and lowercase < 4:
            if low.endswith("ly") or (low.endswith("ed") and lowercase) or low in SKIP:
                break
            words.append(word)
            lowercase += 1
        else:
            break
        j += 1
    while words and words[-1].lower() in CONNECTORS | {"by", "from", "at", "of the"}:
        words.pop()
    if words and words[-1].lower() in KEPT_DETERMINERS:
        words.pop()
    return words, j


def head_end(words: list[str]) -> int:
    """Where a phrase's head ends: before its first prepositional modifier ("a spokeswoman |
    for Hillary Clinton", "Mr. Morgan | of the Sierra Club")."""
    for k in range(1, len(words) - 1):
        if words[k] in HEAD_PREPOSITIONS:
            return k
    return len(words)


def clause_subject(tokens: list[str], i: int) -> list[str]:
    """The subject of a cue preceded by an appositive or parenthesis that ends at ``tokens[i]``
    (a comma or dash): "Donna Rawlings, 59, of Ashton, Md., who watched, said" -> Donna
    Rawlings. A title phrase followed by a name gives the name: "The state's campaign
    chairman, Phil Lovas, said" -> Phil Lovas."""
    start = i - 1
    dashes = 0
    while start >= 0:
        word = tokens[start]
        if word in DASHES:
            dashes += 1
            if tokens[i] not in DASHES or dashes > 1:
                break
        elif word in CLAUSE_BOUNDARY and word not in ("(", ")"):
            break
        start -= 1
    segments: list[int] = []
    j = start + 1
    while j < i:
        segments.append(j)
        while j < i and tokens[j] != "," and tokens[j] not in DASHES:
            j += 1
        j += 1
    # A segment opening with a conjunction starts a new clause: "Many leaders share these
    # apprehensions, but the Coalition, which represents 20 million Americans, wants ...".
    for k in range(len(segments) - 2, 0, -1):
        if tokens[segments[k]].lower() in _CLAUSE_CONJUNCTIONS:
            segments = segments[k:]
            break
    for k, seg in enumerate(segments):
        while seg < i - 1 and tokens[seg].lower() in _SEGMENT_ADVERBS:
            seg += 1  # "Even China, Pyongyang's only ally, said"
        low = tokens[seg].lower()
        last = k + 1 == len(segments)
        if not last and (low in INTRO or (low.endswith("ly") and len(low) > 4) or not tokens[seg][:1].isalnum()):
            continue  # "In a panel discussion in Washington, Marc H. Morial, ..., told"
        if last:
            if k == 1 and tokens[segments[0]].lower() in INTRO and segments[1] - 2 > segments[0]:
                # "As many tax experts, including Mr. Goldberg, have pointed out"
                words, _ = phrase_before(tokens, segments[1] - 2)
                return words if words and words[-1].lower() not in PRONOUNS else []
            return []  # no appositive: "X is unlikely, noted Y" is an inversion
        if low in SUBORDINATORS and seg < i - 1:
            seg += 1  # "which Apple's chief executive, Tim Cook, called"
        seg_end = segments[k + 1] - 1
        # The phrase right before the comma ("since Clinton, at Monday's debate, cited"), else the
        # phrase the segment starts with ("Trump's running mate, Indiana Gov. Mike Pence, plans").
        end = seg_end - 1
        if end > seg and tokens[end] == ")":
            while end > seg and tokens[end] != "(":
                end -= 1  # "Rep. Jim Jordan (R-Ohio), an oversight panel member, said"
            end -= 1
        words, _ = phrase_before(tokens, end) if end >= seg else ([], 0)
        if not words or words[-1].lower() in PRONOUNS:
            words, after = phrase_after(tokens, seg)
            if after != seg_end:
                return []
        if not words:
            return []
        head = words[: head_end(words)]
        if not head[-1][:1].isupper() or head[-1].lower() in _TITLE_HEADS:
            name, _ = phrase_after(tokens, segments[k + 1], common=False)
            if name and name[0][:1].isupper() and name[0].lower() not in FUNCTION:
                return name
        return words
    return []


_CLAUSE_CONJUNCTIONS = _words("but and yet while whereas so")
_SEGMENT_ADVERBS = _words("even only also but and so yet still then now perhaps")
# Heads of a title phrase that an appositive name follows ("Apple's chief executive, Tim Cook").
_TITLE_HEADS = _words(
    "executive chairman chairwoman director spokesman spokeswoman spokesperson mate adviser "
    "advisor secretary minister president leader chief head manager official"
)
_GROUPS = _words(
    """police officials authorities critics analysts experts sources source observers voters
    residents people investigators prosecutors lawyers attorneys researchers scientists
    economists witnesses doctors aides advisers supporters opponents protesters activists
    polls poll surveys studies data figures records documents statistics estimates
    spokesman spokeswoman spokesperson official aide adviser advisor analyst expert
    economist lawyer attorney organizers leaders members lawmakers legislators senators
    diplomats officers troops military administration government campaign committee
    commission court judge jury panel board agency department ministry firm company research
    evidence analysis study report data percent union group organization association coalition
    alliance party council network newspaper paper magazine website site foundation institute
    center firm team family lawmaker governor mayor"""
)

_NOUNS_AFTER_NAMES = (
    _GROUPS
    | TITLES
    | _words(
        """team camp ad ads website statement video tweet spokesperson nominee candidate
    chairman chairwoman director secretary minister president leader chief head manager
    executive office staff allies rivals family foundation group spokesman spokeswoman
    official officials aide aides adviser advisers lawyer lawyers attorney attorneys
    poll polls survey report study memo letter filing analysis"""
    )
)
