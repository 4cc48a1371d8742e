"""Claim type by transparent rules, in Full Fact's taxonomy (Konstantinovskiy et al. 2021).

The types, in the order the rules try them:

1. ``not_a_claim``: questions, exhortations ("Let's", "We must"), greetings, opinions.
2. ``personal_experience``: the speaker's own experience ("I visited", "I grew up").
3. ``prediction``: a claim about the future ("will", "expected to", "could").
4. ``quantity``: a quantity in the past or present (a number with a unit, a percentage, a change).
5. ``prediction`` again for weaker markers of the future ("by 2035", "within five years").
6. ``causation``: correlation or causation ("because", "led to", "helps").
7. ``law_or_rule``: current laws or rules of operation ("illegal", "the treaty", "required to").
8. ``quantity`` without a number ("the largest", "rose", "a record").
9. ``other``: any other claim; short fragments and bare evaluations are ``not_a_claim``.

Speed (about 8 us a sentence): the unit is tokenised by bytes.translate + bytes.split and its cue
words found by one set intersection, all in C; each cue word carries bits, OR-ed together; phrases
and context rules (a regex or a look at neighbouring words) run only when their trigger word is
present. A regex of all the cue words was ten times slower.

``checkworthiness`` is the stand-in score that ``checkworthiness.py`` uses until the trained
model replaces it.
"""

import re
from functools import reduce
from operator import or_


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


CLAIM_TYPES = ("quantity", "prediction", "causation", "law_or_rule", "personal_experience", "other", "not_a_claim")

_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred|hundreds|thousand|thousands|dozen|dozens|twice|a half|a third|a quarter|a fifth|"
    "two thirds|three quarters"
)
# Cue words and phrases, by what they signal. Spaces match any run of whitespace.
_LEXICON = {
    "future": (
        "will|won't|shall|i'll|we'll|you'll|he'll|she'll|they'll|it'll|that'll|there'll|"
        "going to|expected to|is expected|are expected|projected to|forecast|forecasts|"
        "forecasted|predict|predicts|predicted|prediction|predictions|is set to|are set to|poised to|on track to|"
        "likely to|unlikely to|bound to|about to|in the coming|next year|next month|next week|next decade|"
        "next century|upcoming|in the future|in future|by the end of the year|by the end of the decade|"
        "by the end of next year"
    ),
    "modal": "could|might|may|would",
    "scale": "million|millions|billion|billions|trillion|trillions|percent|per cent|percentage point|percentage points",
    "number": _NUMBER_WORDS,
    # Countable things: a number of them is a quantity ("200 people", "five million jobs").
    "unit": (
        "people|persons|residents|citizens|americans|troops|soldiers|workers|employees|jobs|deaths|cases|votes|"
        "voters|patients|children|students|immigrants|refugees|migrants|homes|households|families|tons|tonnes|"
        "barrels|acres|hectares|km|kilometres|kilometers|miles|degrees|dollars|euros|pounds|yen|rupees|cents|"
        "points|seats|members|hours|times as"
    ),
    # Quantity words that need a number nearby to make a quantity claim.
    "measure": (
        "more than|less than|fewer than|at least|up to|nearly|almost|approximately|roughly|as many as|"
        "as much as|rose|rise|rises|risen|rising|fell|fall|falls|fallen|falling|dropped|drop|declined|decline|"
        "increase|increases|increased|decrease|decreases|decreased|grew|grown|growth|cut|cuts|average|median|"
        "rate|rates|total|gdp|budget|spending|spent|spend|spends|deficit|debt|inflation|unemployment|"
        "population|majority|share of|market share|salary|wages|income|tax|taxes|cost|costs|price|prices|worth|"
        "poll|survey"
    ),
    # Quantity claims without a number: rankings, records, changes.
    "comparison": (
        "largest|biggest|smallest|highest|lowest|fewest|richest|poorest|fastest|slowest|record high|record low|"
        "record number|record level|record levels|a record|doubled|tripled|halved|very large|very small|"
        "rose|fell|increased|decreased|soared|plunged|surged|plummeted|tumbled|skyrocketed"
    ),
    "cause": (
        "because|caused|causes|cause|causing|lead to|leads to|led to|leading to|result in|results in|"
        "resulted in|resulting in|due to|owing to|thanks to|as a result|as a consequence|consequently|therefore|"
        "hence|help|helps|helped|helping|boost|boosts|boosted|boosting|drives|drove|driven by|"
        "linked to|associated with|contributes to|contributed to|contributing to|responsible for|blamed for|"
        "attributed to|stems from|fuels|fuelled|fueled|prevents|prevented|makes it harder|makes it easier|"
        "made it harder|made it easier|impact on|effect on|affects|affected"
    ),
    "law": (
        "law|laws|lawful|unlawful|illegal|illegally|legal|legally|legislation|regulation|regulations|regulated|"
        "rule|rules|ruled|banned|ban|bans|statute|statutory|constitution|constitutional|unconstitutional|treaty|"
        "treaties|court|courts|prohibited|prohibits|prohibit|forbidden|required to|requires|mandatory|"
        "compulsory|obliged to|obligated|eligible|entitled to|exempt|licence|license|licensed|permitted|"
        "allowed to|not allowed|amendment|tax code"
    ),
    # Evaluations that make a unit an opinion when nothing else in it is checkable.
    "opinion": (
        "great|terrible|wonderful|impressive|disgrace|disgraceful|shameful|outrageous|ridiculous|amazing|"
        "awful|horrible|fantastic|excellent|stupid|crazy|beautiful|incredible|unacceptable|appalling|"
        "disgusting|brilliant|pathetic|tremendous|waste of time|nonsense"
    ),
    # Phrases that look like cues but are not: matched (longest first) so that their words are not.
    "none": (
        "rule out|ruled out|rules out|political will|may i|help me|a great deal|great britain|"
        "great lakes|great recession|great depression|cut off|fall of|the fall|this fall|last fall|in the fall|"
        "law school|law firm|law firms|law enforcement|law student|studied law|practising law|practicing law|"
        "law professor"
    ),
}


# Every byte that is not an ASCII letter, digit or apostrophe becomes a space: English cue words
# are ASCII, and bytes.translate + bytes.split tokenise a unit at C speed.
_TOKEN_TABLE = bytes(b if (97 <= b <= 122 or 48 <= b <= 57 or b == 39) else 32 for b in range(256))
_NOT_DIGITS = bytes(b for b in range(256) if not 48 <= b <= 57)

_COMMON = frozenset(b"a an the of to in on at by as is are was be it that this not so for with up".split())


# Cue tags are bits of one int per unit. Besides the tags of the lexicon: a number word, and
# triggers that switch on a context rule or a phrase check.
_TAG_NAMES = (*_LEXICON, "personal", "when", "quantity", "phrase", "attitude", "person", "personal_verb", "within")
_BIT = {name: 1 << i for i, name in enumerate(_TAG_NAMES)}
PERSONAL, FUTURE, MODAL, QUANTITY, WHEN = (_BIT[n] for n in ("personal", "future", "modal", "quantity", "when"))
CAUSE, LAW, COMPARISON, OPINION, UNIT = (_BIT[n] for n in ("cause", "law", "comparison", "opinion", "unit"))
MEASURE, NUMBER, PHRASE, ATTITUDE, PERSON = (_BIT[n] for n in ("measure", "number", "phrase", "attitude", "person"))
WITHIN, PERSONAL_VERB = _BIT["within"], _BIT["personal_verb"]
_TRIGGERS = {
    ATTITUDE: b"fear fears concern concerns worries hope hopes speculation rumor rumors rumour rumours doubt doubts",
    PERSON: b"i i've i'd my we",
    # Only these words can make a personal experience (with "I", "my" or "we").
    PERSONAL_VERB: (
        b"visited saw seen met went gone was been grew experienced lived worked spoke talked heard felt "
        b"remember served studied travelled traveled started father mother dad mum mom parents grandfather "
        b"grandmother family son daughter wife husband brother sister children kids"
    ),
    WITHIN: b"within time",
}


def _build_tables():
    """Bits of each word worth looking up (its tags and triggers), the tag bits alone (for
    cancelling them), and phrases keyed by their least common word (so that "the" or "in" never
    trigger a phrase check), longest first. "none" phrases cancel their words' tags."""
    bits: dict[bytes, int] = {}
    phrases: dict[bytes, list[tuple[bytes, int]]] = {}
    for tag, entries in _LEXICON.items():
        bit = 0 if tag == "none" else QUANTITY if tag == "scale" else _BIT[tag]
        for entry in entries.split("|"):
            words = entry.encode().split()
            if len(words) == 1:
                bits[words[0]] = bits.get(words[0], 0) | bit
            else:
                rare = [w for w in words if w not in _COMMON] or words
                key = max(rare, key=len)
                phrases.setdefault(key, []).append((b" " + b" ".join(words) + b" ", bit))
    for word, word_bits in bits.items():
        if word_bits & (MODAL | FUTURE):
            bits[word] = word_bits & (MODAL | FUTURE)  # "may", "will": only their modal sense
    tag_bits = dict(bits)
    for trigger, words in _TRIGGERS.items():
        for word in words.split():
            bits[word] = bits.get(word, 0) | trigger
    for key in phrases:
        bits[key] = bits.get(key, 0) | PHRASE
    ordered = {key: tuple(sorted(found, key=lambda item: -len(item[0]))) for key, found in phrases.items()}
    return bits, tag_bits, ordered


_BITS, _TAG_BITS, _PHRASES = _build_tables()
_INTERESTING = frozenset(_BITS)
_PHRASE_KEYS = frozenset(_PHRASES)

# Context rules, run only when their trigger word is in the unit.
# A modal inside a fear or hope is reported, not predicted ("sparked fears he could undermine").
_ATTITUDE = re.compile(
    r"\b(?:fears?|concerns?|worries|hopes?|speculation|rumou?rs?|doubts?)\s+(?:that\s+)?"
    r"(?:[\w'-]+\s+){0,4}?(?:could|might|may|would)\b"
)
_MODAL = re.compile(r"\b(?:could|might|may|would)\b")
_MAY = re.compile(r"\bmay\b")  # on the original text: "May" is the month
# ", as some countries allow ..." gives a reason.
_REASON = re.compile(r",\s+as\s+(?:some|many|most|several|few|other|more|fewer)\s+(?!as\b|much\b)")
_WITHIN = re.compile(
    r"\bwithin\s+(?:the\s+next\s+)?(?:[\w-]+\s+)?(?:years|months|weeks|days|decades)\b"
    r"|\bin\s+(?:[\w-]+\s+)?(?:years|months|weeks|decades)'?\s+time\b"
)
# "going to the shops" is a movement, not the future.
_GOING_TO = re.compile(r"\bgoing\s+to\s+(?!(?:the|a|an|his|her|their|my|our|its|this|that|school|work|church|bed)\b)")
# For the number-and-measure proximity rule, on the unit's byte tokens.
_NUMBER_TOKENS = frozenset(w.encode() for e in _LEXICON["number"].split("|") for w in e.split()) - {b"a"}
_UNIT_TOKENS = frozenset(w.encode() for e in _LEXICON["unit"].split("|") for w in e.split()) - {b"as"}
_MEASURE_TOKENS = frozenset(e.encode() for e in _LEXICON["measure"].split("|") if " " not in e) | {b"than", b"least"}
_TIME_TOKENS = frozenset(b"years months weeks days hours minutes seconds decades times".split())
_DIGIT_BYTES = frozenset(b"0123456789")
_CENTURIES = frozenset((b"15", b"16", b"17", b"18", b"19", b"20"))
# Numbers: money, percentages and scaled numbers are quantities whatever their context.
# Groups: an ordinal suffix; a percentage or scale.
# "\d\d*" rather than "\d+": a pattern that opens with a plain character class lets the engine
# skip to the next digit without trying a match at every position (1.5x faster).
_NUMERAL = re.compile(
    r"\d\d*(?:[.,]\d+)*(st|nd|rd|th)?(\s?(?:%|(?:percent|per\s+cent|bn|m|k|million|billion|trillion)\b))?"
)
_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
# A year after these marks the future ("by 2035", "starting from 2030").
_FUTURE_YEAR_LEADS = frozenset(
    (verb, preposition) for verb in ("starting", "beginning") for preposition in ("from", "in")
)
# A number after these is a label or a date, not a quantity ("Article 5", "Sept. 11").
_LABELS = _word_set(
    "article section chapter clause paragraph no. number resolution amendment phase level grade class title "
    "rule page route highway room flight jan. feb. march april may june july aug. sept. oct. nov. dec. "
    "january february august september october november december"
)
_LABEL_TOKENS = frozenset(label.rstrip(".").encode() for label in _LABELS)
_CURRENCY_CHARS = frozenset("$\u00a3\u20ac\u00a5\u20b9")  # ("" is not in it)

_QUESTION_END = re.compile(r"[?\uff1f\u061f][\"'\u201d\u2019)\]]*\s*\Z")
# A quoted question and its short attribution: '"Why should we pay?" Smith asked.'
_QUOTED_QUESTION = re.compile(r"[?\uff1f\u061f][\"'\u201d\u2019]\s*[^\"\u201c\u201d?]{0,60}\Z")
_EXHORTATIONS = (
    r"let's|let\s+us|let\s+me|please|don't|do\s+not|never\s+forget|imagine|join|vote\s+for|click|subscribe|"
    r"sign\s+up|follow\s+us|read\s+more|read\s+the\s+rest|watch\s+the|check\s+out|thank\s+you|thanks(?!\s+to)|"
    r"good\s+(?:morning|evening|afternoon|night)|hello|hi|welcome|congratulations|dear|"
    r"(?:we|you)\s+(?:must|should|need\s+to|have\s+to|'ve\s+got\s+to|ought\s+to)|"
    r"(?:i|we)\s+(?:think|feel|reckon|hope|wish|guess)|in\s+my\s+(?:opinion|view)|"
    r"why\s+(?:do|does|did|is|are|can|can't|should|would|don't)|should\s+(?:we|i|you|they|he|she)"
)
# The regex runs only when the unit starts with one of these words (a cheap test).
_EXHORTATION_FIRST_WORDS = _word_set(
    "let's let please don't do never imagine join vote click subscribe sign follow read watch check thank "
    "thanks good hello hi welcome congratulations dear we you i in why should"
)
_LEADING = "\"'\u201c\u2018([ -"
# At the start of the unit (lower-cased), or at the start of a quotation after a short lead
# ('Rutte said, "We must').
_EXHORTATION_START = re.compile(rf"[\W_]*(?:{_EXHORTATIONS})\b(?!-)")
_EXHORTATION_QUOTED = re.compile(rf"[^\"\u201c\u201d]{{0,60}}?[,:]\s*[\"\u201c](?:{_EXHORTATIONS})\b(?!-)")
_PERSONAL = re.compile(
    r"\bI(?<!War I)(?:\s+(?:have|had)|['\u2019](?:ve|d))?\s+(?:visited|saw|seen|met|went|gone|was|been|grew\s+up|"
    r"experienced|lived|worked|spoke|talked|heard|felt|remember|served|studied|travelled|traveled|started)\b"
    r"|\b[Ww]e\s+(?:visited|saw|met|went\s+to|grew\s+up)\b"
    r"|\b[Mm]y\s+(?:father|mother|dad|mum|mom|parents|grandfather|grandmother|family|son|daughter|wife|"
    r"husband|brother|sister|children|kids)\b"
)
_ANY_SCRIPT_QUANTITY = re.compile(r"\d\s?[%\u066a]|[$\u00a3\u20ac\u00a5\u20b9]\s?\d")


def claim_type(text: str, language: str = "en") -> str:
    """The Full Fact claim type of one unit. Rules for English; other languages get the rules
    that do not depend on words (questions, numbers with units or currency)."""
    body = text.strip()
    if not body:
        return "not_a_claim"
    is_ascii = body.isascii()  # constant time: CPython knows it
    if ("?" in body or (not is_ascii and ("\uff1f" in body or "\u061f" in body))) and (
        _QUESTION_END.search(body) or _QUOTED_QUESTION.search(body)
    ):
        return "not_a_claim"
    if language not in ("en", "und"):
        return "quantity" if _ANY_SCRIPT_QUANTITY.search(body) else "other"
    low = body.lower() if is_ascii else body.lower().replace("\u2019", "'")
    head = low[:70]
    first = head.lstrip(_LEADING).split(None, 1)
    if (first and first[0].rstrip(",.;:!") in _EXHORTATION_FIRST_WORDS and _EXHORTATION_START.match(low)) or (
        ('"' in head or "\u201c" in head) and _EXHORTATION_QUOTED.match(low)
    ):
        return "not_a_claim"
    cues = _cues(body, low)
    if cues & PERSONAL:
        return "personal_experience"
    if cues & (FUTURE | MODAL):
        return "prediction"
    if cues & QUANTITY:
        return "quantity"
    if cues & WHEN:
        return "prediction"
    if cues & CAUSE:
        return "causation"
    if cues & LAW:
        return "law_or_rule"
    if cues & COMPARISON:
        return "quantity"
    if cues & OPINION or (len(body) < 40 and len(body.split()) <= 2):
        return "not_a_claim"
    return "other"


def _cues(body: str, low: str) -> int:
    """The cue bits of one unit (FUTURE, QUANTITY, CAUSE, ...)."""
    tokens = low.encode("utf-8", "ignore").translate(_TOKEN_TABLE)
    token_list = tokens.split()
    words = _INTERESTING.intersection(token_list)
    # OR of the words' bits without a Python loop: the set is small, map and reduce run in C.
    cues = reduce(or_, map(_BITS.__getitem__, words), 0)
    if cues & PHRASE:
        cues = _phrases(b" " + tokens + b" ", words, cues)
    if cues & MODAL and (
        (b"may" in words and not _MODAL.search(low.replace("may", "")) and not _MAY.search(body))
        or (cues & ATTITUDE and len(_MODAL.findall(low)) <= len(_ATTITUDE.findall(low)))
    ):
        cues &= ~MODAL
    if cues & FUTURE and b"going" in words and not _GOING_TO.search(low):
        cues &= ~FUTURE
    if ", as " in low and _REASON.search(low):
        cues |= CAUSE
    if cues & WITHIN and _WITHIN.search(low):
        cues |= WHEN
    if cues & PERSONAL_VERB and cues & PERSON and _PERSONAL.search(body):
        cues |= PERSONAL
    if tokens.translate(None, _NOT_DIGITS):  # any digit
        cues |= _numbers(low)
    if cues & NUMBER and _number_near_a_measure(token_list):
        cues |= QUANTITY
    return cues


def _number_near_a_measure(tokens: list[bytes]) -> bool:
    """A number counts with a unit right after it ("200 people", "five million jobs", "20
    veterans": a figure and a plural noun) or a measure word close by ("rose by 5", "more than
    200"), not anywhere in the unit ("People know ... for 30 years")."""
    for i, token in enumerate(tokens):
        figure = token[0] in _DIGIT_BYTES
        if figure:
            if _is_year(token) or (i and tokens[i - 1] in _LABEL_TOKENS):
                continue
        elif token not in _NUMBER_TOKENS:
            continue
        after = tokens[i + 1 : i + 4]
        if not _UNIT_TOKENS.isdisjoint(after) or not _MEASURE_TOKENS.isdisjoint(tokens[max(0, i - 6) : i + 7]):
            return True
        if figure and after and len(after[0]) > 3 and after[0].endswith(b"s") and after[0] not in _TIME_TOKENS:
            return True
    return False


def _is_year(token: bytes) -> bool:
    return len(token) == 4 and token[:2] in _CENTURIES and token.isdigit()


def _phrases(padded: bytes, words: frozenset, cues: int) -> int:
    """Add the bits of the phrases present; then cancel the words of "none" phrases ("ruled out",
    "political will", "studied law") when they occur only inside them."""
    cancelled = []
    for key in words & _PHRASE_KEYS:
        for phrase, bit in _PHRASES[key]:
            if phrase in padded:
                if bit:
                    cues |= bit
                else:
                    cancelled.append(phrase)
    for phrase in cancelled:
        for word in phrase.split():
            bit = _TAG_BITS.get(word, 0)
            if bit and padded.count(b" " + word + b" ") <= padded.count(phrase):
                cues &= ~bit
    return cues


def _numbers(low: str) -> int:
    """NUMBER if a number counts as a quantity; QUANTITY for money and percentages; WHEN for a
    future year. Years, ordinals, labels ("Article 5") and dates ("Sept. 11") are not quantities."""
    cues = 0
    for match in _NUMERAL.finditer(low):
        start = match.start()
        previous = low[start - 1] if start else " "
        if previous.isalpha() or previous in ".,":
            continue  # "g7", "f-35"-like codes and the tail of another number
        if match.group(2) or previous in _CURRENCY_CHARS or low[start - 2 : start - 1] in _CURRENCY_CHARS:
            cues |= QUANTITY
            continue
        if match.group(1):
            continue  # an ordinal: "16th"
        before = low[max(0, start - 24) : start].split()[-2:]
        if _YEAR.fullmatch(match.group()):
            if before and (before[-1] in ("by", "until") or tuple(before) in _FUTURE_YEAR_LEADS):
                cues |= WHEN
        elif not (before and before[-1] in _LABELS):
            cues |= NUMBER
    return cues


# The stand-in check-worthiness score (used by checkworthiness.py until the trained model lands).
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|trillion|dozen|half|twice|double|triple)\b",
    re.I,
)
_QUANTITY = re.compile(
    r"%|\bper ?cent\b|\b(?:million|billion|trillion|largest|smallest|most|fewest|more than|less than|"
    r"increase[ds]?|decrease[ds]?|rose|fell|doubled|tripled|average|rate|gdp|budget|spending|"
    r"very large|highest|lowest|record)\b",
    re.I,
)
_CHECKABLE_VERBS = re.compile(
    r"\b(?:has|have|had|is|are|was|were|invested|signed|allow|allows|negotiated|dedicate|spent|"
    r"rose|fell|increased|decreased|grew|not working)\b",
    re.I,
)


def checkworthiness(text: str, kind: str) -> float:
    """A score in 0..1: how much a fact-checker would want to check this unit."""
    if kind == "not_a_claim":
        return 0.1
    if kind == "personal_experience":
        return 0.15
    score = 0.35
    if _NUMBER.search(text):
        score += 0.2
    if _QUANTITY.search(text):
        score += 0.15
    if kind in ("causation", "quantity"):
        score += 0.1
    if _CHECKABLE_VERBS.search(text):
        score += 0.15
    if kind == "prediction":
        score -= 0.05
    if len(text) < 40:
        score -= 0.15
    return round(max(0.0, min(1.0, score)), 3)
