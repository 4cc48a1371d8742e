"""The attribution cue lexicon: verbs by which news text reports what someone said, wrote,
thought, wanted or did with words ("said", "warned", "criticized", "pledged", "believes").

The lexicon is general English (verbs of communication, cognition, stance and intention, in
the sense of the PARC/PolNeAR attribution guidelines), not a list mined from one corpus. Every
form is compiled into one regular expression so that a document is scanned for cues in a
single pass at C speed.
"""

import re


def _words(text: str) -> frozenset[str]:
    """A word list written as one string."""
    return frozenset(text.split())


# Base forms whose inflections are regular (see _regular). Verbs that mostly describe actions
# rather than statements ("make", "hold", "answer", "sign", "vote", "meet", "visit") are
# deliberately absent: a cue must make the unit the source's claim, not the outlet's report of
# an event. Written and published acts ("publish", "chronicle", "articulate") are
# communication: what they carry is the author's claim (docs/extraction.md, "Attribution").
REGULAR = """
accuse acknowledge add address admit advise advocate affirm agree allege announce apologize
apologise applaud argue ask assert assure attack beg believe blame blast boast brag call
caution celebrate challenge champion characterize chastise chide cite claim comment complain
concede conclude condemn confirm contend counter criticize criticise decide declare decline
defend demand denounce deny deride describe detail disagree dismiss disclose dispute doubt
echo emphasize emphasise encourage endorse estimate exhort explain express fear forecast
grumble hail highlight hint hope implore imply indicate insist intend joke lambaste lament
laud liken maintain mention mock muse note object observe oppose outline plead pledge
point portray post praise predict press proclaim promise propose protest question quip
recall recommend recount refer reiterate reject remark remind repeat reply report
respond retort reveal ridicule rule scoff scold shout signal slam speculate state stress
suggest support suspect tease testify thank threaten tout tweet retweet underscore urge
vow want warn welcome wish wonder worry yell lash rail concur contest demur caution
attest reassure theorize theorise insinuate bemoan decry denigrate disparage rebuke
reprimand castigate berate excoriate applaud commend compliment congratulate
acclaim announce confess divulge expound narrate opine posit pronounce reaffirm
recap relate reckon surmise profess plan expect compare view reference rate refuse admire love
hate despise approve disapprove back favor favour embrace resist downplay refute contradict
talk discuss recognize judge brand label dub term mourn taunt insult bash hammer fault censure
alert inform notify guarantee calculate guess presume assume imagine envision
anticipate ponder contemplate mull appeal request invite aver verify clarify elaborate
remember whine gripe whisper mutter credit deem demonstrate invoke promote grill paint learn
document voice publish articulate chronicle propound unveil
"""

# Irregular or spelling-exception verbs: base -> (3sg, past, past participle, -ing).
IRREGULAR = {
    "say": ("says", "said", "said", "saying"),
    "tell": ("tells", "told", "told", "telling"),
    "write": ("writes", "wrote", "written", "writing"),
    "think": ("thinks", "thought", "thought", "thinking"),
    "feel": ("feels", "felt", "felt", "feeling"),
    "speak": ("speaks", "spoke", "spoken", "speaking"),
    "find": ("finds", "found", "found", "finding"),
    "show": ("shows", "showed", "shown", "showing"),
    "sing": ("sings", "sang", "sung", "singing"),
    "swear": ("swears", "swore", "sworn", "swearing"),
    "forecast": ("forecasts", "forecast", "forecast", "forecasting"),
    "foresee": ("foresees", "foresaw", "foreseen", "foreseeing"),
    "plan": ("plans", "planned", "planned", "planning"),
    "admit": ("admits", "admitted", "admitted", "admitting"),
    "regret": ("regrets", "regretted", "regretted", "regretting"),
    "rebut": ("rebuts", "rebutted", "rebutted", "rebutting"),
    "refer": ("refers", "referred", "referred", "referring"),
    "concur": ("concurs", "concurred", "concurred", "concurring"),
    "demur": ("demurs", "demurred", "demurred", "demurring"),
    "prefer": ("prefers", "preferred", "preferred", "preferring"),
    "quip": ("quips", "quipped", "quipped", "quipping"),
    "slam": ("slams", "slammed", "slammed", "slamming"),
    "chant": ("chants", "chanted", "chanted", "chanting"),
}

# Verbs whose bare base form is not a cue ("the wish", "a fear") but whose finite forms are.
NO_BASE = _words(
    "fear hope wish doubt post report comment tweet call plan promise "
    "pledge vow attack blast slam praise rule state note detail outline counter signal "
    "concur celebrate champion welcome address object protest remark reply joke "
    "mention press refer lash rail back view reference rate love hate talk judge brand label term "
    "insult hammer fault alert appeal request credit paint learn document voice unveil"
)

# Multi-word cues and forms of verbs whose other forms mislead ("known as", "saw a rise").
PHRASES = {
    "knows": "third",
    "knew": "past",
    "debated": "past",
    "see": "base",
    "sees": "third",
    "made it clear": "past",
    "made clear": "past",
    "makes clear": "third",
    "makes it clear": "third",
    "made the case": "past",
    "makes the case": "third",
    "made no secret": "past",
    "made little secret": "past",
    "weighed in": "past",
    "weighs in": "third",
    "chimed in": "past",
    "spoke out": "past",
    "speaks out": "third",
    "lashed out": "past",
    "went on to say": "past",
    "charged that": "past",
    "charges that": "third",
    # Light-verb idioms of news reporting for a speech act.
    "put it": "past",
    "puts it": "third",
    "raised questions": "past",
    "raises questions": "third",
    "raising questions": "ing",
    "laid out": "past",
    "lays out": "third",
    "sounded the alarm": "past",
    "sounded a call": "past",
    "issued a statement": "past",
    "released a statement": "past",
    "doubled down": "past",
    "doubles down": "third",
    "doubling down": "ing",
    # Sending a written message is a written statement: "The city sent a letter Thursday".
    "sent a letter": "past",
    "sent letters": "past",
    "sent a memo": "past",
    "sent an email": "past",
    "sent a message": "past",
    "sends a letter": "third",
    # Stated positions: "Trump took offense at suggestions that ...", "Reid has gone after Trump".
    "took offense": "past",
    "takes offense": "third",
    "went after": "past",
    "gone after": "past",
    "goes after": "third",
    "Goes After": "third",
}
# Speech nouns with a that-clause, cues after a possessive: "Trump's claim that ...",
# "Stumpf's repeated emphasis that ...". Without the clause ("Trump's insistence on 5%",
# "Zelenskyy's warnings came ...") the noun names an act the outlet reports, not a claim.
NOUNS = _words(
    """claim claims assertion assertions argument contention allegation allegations suggestion
    warning warnings insistence emphasis belief view conclusion prediction promise pledge
    statement remarks comments charge complaint accusation"""
)
# Adjectives of attitude, cues after a form of "be": "Republicans were incensed that ...",
# "Many Democrats are afraid that ...", "Graham has been critical of Trump".
ATTITUDES = _words(
    """afraid incensed frustrated concerned worried confident convinced skeptical sceptical
    optimistic pessimistic critical adamant upset outraged furious angry unhappy pleased
    disappointed determined eager reluctant hopeful willing opposed supportive wary fearful
    doubtful unconvinced passionate outspoken vocal coy"""
)


def _regular(base: str) -> tuple[str, str, str, str]:
    if base.endswith("ee"):
        stem_ing = base + "ing"
        past = base + "d"
    elif base.endswith("e"):
        stem_ing = base[:-1] + "ing"
        past = base + "d"
    elif base.endswith("y") and base[-2] not in "aeiou":
        stem_ing = base + "ing"
        past = base[:-1] + "ied"
    else:
        stem_ing = base + "ing"
        past = base + "ed"
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        third = base + "es"
    elif base.endswith("y") and base[-2] not in "aeiou":
        third = base[:-1] + "ies"
    else:
        third = base + "s"
    return third, past, past, stem_ing


def _forms() -> dict[str, str]:
    """Every cue form -> its grammatical kind: "base", "third", "past", "ing"."""
    out: dict[str, str] = {}
    verbs = {base: _regular(base) for base in REGULAR.split()}
    verbs.update(IRREGULAR)
    for base, (third, past, participle, ing) in verbs.items():
        if base not in NO_BASE:
            out.setdefault(base, "base")
        out[third] = "third"
        out[past] = "past"
        out.setdefault(participle, "past")
        out[ing] = "ing"
    out.update(PHRASES)
    for noun in NOUNS:
        out[noun + " that"] = "noun"
    for adjective in ATTITUDES:
        out.setdefault(adjective, "adjective")
    return out


FORMS = _forms()


def _trie_pattern(words: list[str]) -> str:
    """An alternation factored by common prefixes, so the regex engine never retries the
    whole word list at a position (a flat alternation of a few hundred words is ~10x slower)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


# Headline verbs, matched capitalised too ("Lindsey Graham Says", "Said Ellis: ..."). Only a
# short list: every capitalised alternative slows the scan of every word in the document.
HEADLINE_FORMS = sorted(
    form.capitalize()
    for form in _words(
        "says said tells warns calls urges slams speaks vows shows reveals claims admits denies "
        "blasts wants pledges promises accuses defends praises criticizes rejects asks explains sees"
    )
)


# "continued" is a cue only when it introduces a quotation ("Caddell continued: ..."); it is
# matched by its own alternative and classified here.
_CONTINUE = {"continued": "past", "continues": "third"}

# "as reported by X", "as stated in X's commentary" name their source after the cue, like
# "according to X" (find_cues gives them no verb form).
_AS_VERBS = ("reported", "stated", "noted", "written", "described", "detailed")
ACCORDING = frozenset(
    a + rest for a in "Aa" for rest in ["ccording to", *(f"s {verb} {by}" for verb in _AS_VERBS for by in ("in", "by"))]
)


def _check_one_trie(groups: list[list[str]]) -> None:
    """The cues were once alternatives tried in order (verbs, headline verbs, "according to"),
    where a shorter cue of an earlier list would win over a longer one of a later list. One trie
    tries the longest first: the same matches only while no cue ends, at a word boundary, where
    a later list's cue goes on ("say" and "say so"). Checked once at import."""
    for i, later in enumerate(groups):
        earlier = set().union(*groups[:i])
        for cue in later:
            for k, ch in enumerate(cue):
                if k and not (ch.isalnum() or ch in "_'\u2019-") and cue[:k] in earlier:
                    raise ValueError(f"cue {cue[:k]!r} would now lose to {cue!r}")


_check_one_trie([sorted(FORMS), HEADLINE_FORMS, sorted(ACCORDING)])
# One pass over a document finds every cue outside quotations (quoted text is masked first). All
# cues are one trie: a regex of named groups around several tries cost 25% more per word.
_CUE = (
    "(?:"
    + _trie_pattern(sorted({*FORMS, *HEADLINE_FORMS, *ACCORDING}))
    + r"|[Cc]ontinue[sd](?=[:,]?\s*[\"\u201c:])"
    + r")(?![\w'\u2019-])"
)
# A cue follows whitespace. Starting the pattern with \s lets the regex engine skip to the next
# whitespace character at C speed (about 2x faster than a lookbehind on every position).
CUE_RE = re.compile(r"\s" + _CUE)
_CUE_AT = re.compile(_CUE)


def find_cues(text: str, start: int, end: int) -> list[tuple[int, int, str | None]]:
    """Every cue in ``text[start:end]``: (start, end, verb form or None for "according to")."""
    found = [(m.start() + 1, m.end(), m[0][1:]) for m in CUE_RE.finditer(text, start, end)]
    first = _CUE_AT.match(text, start, end)
    if first:
        found.insert(0, (first.start(), first.end(), first[0]))
    return [(s, e, None if form in ACCORDING else form) for s, e, form in found]


FORMS.update(_CONTINUE)
# Every finite form can follow its quotation: '"...," said X', '"...," reported Reuters'.
INVERTIBLE = frozenset(form for form, kind in FORMS.items() if kind in ("past", "third"))
