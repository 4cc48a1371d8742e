"""Names of people and bodies: titles to strip, organisations to keep whole, and the fullest
form a document gives a name ("Rutte" -> "Mark Rutte", "the Ukrainian president" ->
"Volodymyr Zelenskyy", "the commission" -> "Commission on Presidential Debates")."""

import re


def _words(text: str) -> frozenset[str]:
    """A word list written as one string."""
    return frozenset(text.split())


# Words that precede a name as a title or a role; never part of a person's name.
TITLES = _words(
    """
    president vice prime minister secretary secretary-general general gen chancellor senator
    sen sens rep reps representative congressman congresswoman del delegate gov governor lt
    lieutenant mayor dr mr mrs ms miss mx sir dame lord lady ceo cfo coo chairman chairwoman
    chair chairperson director spokesman spokeswoman spokesperson king queen prince princess
    pope judge justice ambassador commissioner leader chief officer professor prof economist
    analyst adviser advisor nominee candidate rival attorney lawyer manager aide founder
    co-founder head speaker majority minority whip deputy assistant associate senior executive
    press host anchor correspondent reporter editor columnist author pastor rev reverend
    father bishop cardinal rabbi imam sheikh coach captain capt col colonel maj major sgt
    sergeant admiral adm commander detective sheriff trooper inspector agent hopeful
    challenger incumbent opponent mate businessman businesswoman billionaire mogul activist
    actor actress singer rapper star comedian historian scientist researcher scholar expert
    strategist pollster consultant operative official envoy diplomat emir sultan crown
    premier president-elect former retired then acting interim state attorney-general
    superintendent commandant marshal chef owner partner counsel solicitor prosecutor
    defender clerk treasurer comptroller auditor representative-elect senator-elect
    secretary-designate nominee-elect frontrunner front-runner contender runner-up
    councilman councilwoman councillor councilor alderman assemblyman assemblywoman
    legislator lawmaker politician statesman dean provost rector regent trustee
    """
)
HONORIFICS = _words("mr mrs ms miss mx dr sir dame prof rev")

# Words that make a capitalised phrase the name of a body rather than of a person.
ORG_WORDS = _words(
    """
    office ministry department committee commission council court center centre party
    campaign house administration agency bureau institute university college post times
    journal news network foundation association union federation corporation corp inc ltd
    company group bank fund project senate congress police service services army navy
    government organization organisation coalition alliance caucus board authority
    authorities reuters press magazine tribune herald globe gazette daily weekly radio
    television tv channel studio studios report poll polls survey institute laboratory
    lab school hospital clinic church ministry embassy consulate parliament assembly
    cabinet secretariat commonwealth federation league club team forces guard command
    council coalition movement initiative trust society academy agency airlines airways
    motors technologies systems holdings partners associates capital securities
    exchange market markets
    """
)
# Common nouns that name a source on their own ("police said", "officials say").
GROUP_NOUNS = _words(
    """
    police officials authorities critics analysts experts sources source observers
    republicans democrats conservatives liberals progressives voters residents people
    investigators prosecutors lawyers attorneys researchers scientists economists
    witnesses doctors aides advisers advisors supporters opponents protesters activists
    polls poll surveys survey studies study reports report data figures records documents
    statistics estimates forecasts democrat republican spokesman spokeswoman spokesperson
    official source aide adviser advisor analyst expert economist lawyer attorney
    organizers leaders members lawmakers legislators senators congressmen diplomats
    officers troops soldiers military administration government campaign committee
    commission court judge jury panel board agency department ministry firm company
    """
)
PRONOUNS = _words("he she they it we i you")

# A description can name a source only if its head is someone who can speak or something that
# records a statement: "experts", "a campaign aide", "the ad's narrator", "a 2014 study". The
# analysis of a sentence sometimes lands on a phrase that is neither ("the paranoia remained but
# found ...", "the endorsements may highlight ..."); such a phrase is no speaker. Besides the
# lists above, heads ending like agent nouns count ("announcer", "objectors", "specialist").
_PEOPLE = _words(
    """
    people person persons individuals man men woman women boy boys girl girls child children
    kids friend friends family families relatives wife husband mother father son daughter
    brother sister parents boss citizens americans residents veterans students respondents
    surrogates allies backers insiders docs nurses staff staffers crowd audience majority
    minority plurality percent user users fans donors advocates those others everyone
    city county town village state country countries nation nations region
    """
)
_RECORDS = _words(
    """
    ad ads spot spots clip clips video videos footage film documentary book memoir account
    statement statements memo memos letter letters filing complaint submission transcript
    testimony research analysis analyses review audit investigation inquiry website site
    newspaper newspapers paper papers editorial editorials column article tweet tweets post
    posts slide slides chart charts presentation release estimate document average averages
    """
)
_POSTMODIFYING = _words("familiar close closest loyal near")
_AGENT_ENDINGS = ("er", "or", "ist", "ian", "ant", "ee")
_NOT_AGENTS = _words(
    "number numbers matter order power border chapter quarter corner answer danger summer winter cancer "
    "murder manner weather water fever hunger tier error horror terror rumor rumour humor "
    "behavior behaviour factor sector floor door"
)
_QUANTITY_HEADS = _words(
    "those one two three four five six seven eight nine ten some many most few several all both none each "
    "dozens hundreds thousands millions"
)
_SOURCE_HEADS = TITLES | GROUP_NOUNS | ORG_WORDS | _PEOPLE | _RECORDS


def is_source_description(words: list[str], end: int) -> bool:
    """Whether a description (a phrase without a name, head ending at ``words[end - 1]``) can
    be a source: "experts", "many of his supporters", "one of the docs", "the ad's narrator";
    not "paranoia", "the eventual", "a raft of new emissions rules"."""
    first = words[0]
    if any(word[:1].isupper() for word in words[1:]) or (first[:1].isupper() and first.endswith(_POSSESSIVE_ENDINGS)):
        return True  # it names someone or something: "POLITICO's Battleground States average"
    head = words[end - 1]
    if first.lower() in _QUANTITY_HEADS and (len(words) == 1 or first.lower() == "those"):
        return True  # "many say", "several said", "those close to him"
    if first.lower() in _QUANTITY_HEADS and words[1] == "of":
        head = words[-1]  # "many of his supporters", "eight of 10 voters"
    else:
        for k in range(1, end):
            if words[k].islower() and (words[k].endswith(("ed", "ing")) or words[k] in _POSTMODIFYING):
                head = words[k - 1]  # "people familiar with the matter", "protesters marching ..."
                break
    head = strip_possessive(head.lower().rstrip(".,;:"))
    if head.startswith("@"):
        return True  # a social media handle
    head = head.rsplit("-", 1)[-1] if head.startswith(("ex-", "former-")) else head
    if head in _NOT_AGENTS:
        return False
    if head in _SOURCE_HEADS or head.endswith(_AGENT_ENDINGS):
        return True
    if head.endswith("ies"):
        singular = head[:-3] + "y"
    elif head.endswith(("ses", "xes", "shes", "ches")):
        singular = head[:-2]
    else:
        singular = head[:-1] if head.endswith("s") else ""
    return singular in _SOURCE_HEADS or singular.endswith(_AGENT_ENDINGS)


# Enough to tell "he" from "she" in most news: honorifics, gendered titles and common given
# names (a small gazetteer, not a census). Unknown names fit either pronoun.
_FEMALE = _words(
    """mrs ms miss madam dame lady queen princess duchess congresswoman spokeswoman chairwoman
    businesswoman councilwoman assemblywoman actress wife widow mother daughter sister
    grandmother girl woman hillary melania ivanka chelsea nancy elizabeth kamala michelle
    loretta condoleezza madeleine theresa angela marine christine ursula kristalina liz
    jacinda sarah sara susan mary patricia jennifer linda barbara margaret jessica karen
    lisa betty helen sandra donna carol ruth sharon laura kimberly deborah amy anna emily
    rebecca julie rachel maria emma olivia sophia catherine katherine kate anne ann jane
    joan diane dianne claire debbie tulsi amy gina kirsten tammy maxine marcia stacey gwen
    nikki kellyanne sheryl janet heidi alicia megyn martha julia ava betsy elaine samantha
    valerie huma cheryl jill gennifer rosalind alexandria ilhan rashida ayanna aung suu"""
)
_MALE = _words(
    """mr sir lord king prince duke congressman spokesman businessman councilman assemblyman
    actor husband father son brother grandfather boy man donald barack joe bill bernie mike
    tim ted marco jeb ben chris rand john james robert michael william david richard joseph
    thomas charles daniel matthew anthony mark paul steven kevin brian george edward ronald
    kenneth jason jeffrey ryan jacob gary eric stephen larry justin scott frank raymond
    gregory samuel patrick jack dennis jerry tyler aaron henry peter harry mitch chuck newt
    rudy reince sean steve jared vladimir xi emmanuel boris keir rishi volodymyr mark olaf
    recep narendra benjamin justin shinzo jim lindsey adam elijah jason tom lester
    dean howard ed lloyd colin jeremy tony gordon nigel evan andrew rahm"""
)


def gender_of(words: list[str], name: str) -> str:
    """ "f", "m" or "" for a person: from an honorific or gendered title in the source phrase,
    else from the given name."""
    for word in words:
        bare = word.lower().rstrip(".,")
        if bare in _FEMALE_MARKS:
            return "f"
        if bare in _MALE_MARKS:
            return "m"
    given = name.split()[0].lower() if " " in name else ""
    if given in _FEMALE:
        return "f"
    if given in _MALE:
        return "m"
    return ""


_GENDERED_TITLES = _words(
    """madam dame lady queen princess duchess congresswoman spokeswoman chairwoman businesswoman
    councilwoman assemblywoman actress sir lord king prince duke congressman spokesman
    businessman councilman assemblyman actor"""
)
# Honorifics and titles that give a person's gender whatever the name ("Mrs.", "congressman").
_FEMALE_MARKS = _FEMALE & (HONORIFICS | _GENDERED_TITLES)
_MALE_MARKS = _MALE & (HONORIFICS | _GENDERED_TITLES)
_PERSON_PRONOUNS = frozenset({"he", "she"})

_WORD = re.compile(r"[\w\u2019'.&-]+")
_PAREN = re.compile(r"\s*\([^)]*\)?")
_POSSESSIVE_ENDINGS = ("'s", "\u2019s", "'", "\u2019")


def _bare(word: str) -> str:
    return word.lower().rstrip(".,")


def is_capitalized(word: str) -> bool:
    return word[:1].isupper()


def is_acronym(word: str) -> bool:
    if word.isascii() and not word.isupper():
        return False  # an ASCII word with a lowercase letter or none at all (the common case)
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def kind_of(words: list[str]) -> str:
    """Classify a source phrase: "pronoun", "person", "org" or "common" (a description)."""
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return "pronoun"
    if not is_capitalized(words[-1]):
        return "common"
    bare = [w.lower().rstrip(".,") for w in words]
    if not ORG_WORDS.isdisjoint(bare):
        return "org"
    if len(words) == 1 and (is_acronym(words[0]) or bare[0] in GROUP_NOUNS):
        return "org"
    if bare[-1] in TITLES or bare[-1] in GROUP_NOUNS:
        return "common"
    return "person"


def person_name(words: list[str]) -> list[str]:
    """The name part of a titled person phrase: "NATO Secretary-General Mark Rutte" ->
    ["Mark", "Rutte"]; "Gov. Earl Ray Tomblin of West Virginia" -> ["Earl", "Ray", "Tomblin"]."""
    last_title = -1
    for i, word in enumerate(words[:-1]):
        if _bare(word) in TITLES or word.endswith(_POSSESSIVE_ENDINGS):
            last_title = i  # a title, or an owner: "NBC's Dante Chinni"
    name = words[last_title + 1 :]
    for i, word in enumerate(name):
        if i and word in ("of", "from"):
            name = name[:i]
            break
    # "Mr. Grassley and Mr. Leahy": a joint source is reported by its first member.
    for i, word in enumerate(name):
        if i and word in ("and", "&"):
            name = [w for w in name[:i] if _bare(w) not in HONORIFICS] or name[:i]
            break
    name = [w for w in name if w[:1].isupper() or w in ("de", "van", "von", "der", "da", "bin", "al")]
    return name or words[-1:]


def strip_possessive(word: str) -> str:
    if len(word) <= 2:
        return word
    if word.endswith(("'s", "\u2019s")):
        return word[:-2]
    if word.endswith(("'", "\u2019")):
        return word[:-1]
    return word


# How far back a document is searched for the fuller form of a name (an article is shorter;
# the bound keeps a pathological megabyte-long "document" linear).
LOOKBACK = 12_000
_NAME_AFTER = re.compile(
    r"\s+((?:(?:[A-Z][\w'\u2019.-]*|de|van|von|der|da|del|la|le|bin|al)\s+){0,3}[A-Z][\w'\u2019-]*)"
)


class NameBook:
    """What one document tells about names: the fullest form of each surname, and which person
    a descriptive title ("the Ukrainian president") points to. Lookups are lazy and cached, so a
    document pays only for the names its speakers use."""

    def __init__(self, text: str):
        self.text = text
        self._lower = ""
        self._scans: dict[str, tuple[int, dict[str, int]]] = {}

    def full_name(self, surname: str, before: int) -> str:
        """The most frequent "First [Middle] Surname" form given up to ``before``, else ``surname``.
        Each stretch of text is searched once per surname, however often it is asked for."""
        text = self.text
        upto, counts = self._scans.get(surname, (0, None))
        if counts is None:
            counts = {}
        limit = min(len(text), before + 400)
        start = text.find(surname, max(upto, before - LOOKBACK), limit)
        seen = sum(counts.values())
        while start >= 0 and seen < 12:  # a dozen full mentions settle which form is usual
            end = start + len(surname)
            if (
                (start == 0 or not text[start - 1].isalnum())
                and (end >= len(text) or not text[end].isalnum())
                and not _TITLE_CASE_AFTER.match(text, end)
            ):
                # In a title-case headline any word is capitalised: "Mom Corners Obama On ...".
                # Given names end with a space before the surname (checked first: no slice).
                given = start > 0 and text[start - 1].isspace() and _given_names(text[max(0, start - 48) : start])
                if given:
                    full = given + " " + surname
                    counts[full] = counts.get(full, 0) + 1
                    seen += 1
            start = text.find(surname, end, limit)
        self._scans[surname] = (max(upto, limit), counts)
        if not counts:
            return surname
        return max(counts, key=counts.__getitem__)  # ties: the first given (dicts keep order)

    def descriptor(self, words: list[str], before: int) -> str:
        """The person that ``words`` ("Ukrainian president") titled earlier in the document:
        "Ukrainian President Volodymyr Zelenskyy" (modifiers may sit up to 40 characters before
        the head, so "the Republican nominee" finds "Republican presidential nominee X")."""
        if not self._lower:
            self._lower = self.text.lower()
        lower, text = self._lower, self.text
        key = [w.lower() for w in words if w.lower() != "the"]
        head, modifiers = key[-1], key[:-1]
        pos = lower.find(head, max(0, before - LOOKBACK), before)
        while pos >= 0:
            end = pos + len(head)
            if (pos == 0 or not lower[pos - 1].isalnum()) and not lower[end : end + 1].isalnum():
                match = _NAME_AFTER.match(text, end)
                if match and all(m in lower[max(0, pos - 40) : pos] for m in modifiers):
                    name = person_name(match.group(1).split())
                    name[-1] = strip_possessive(name[-1])
                    if kind_of(name) == "person" and not is_acronym(name[-1]):
                        return self.resolve_person(name, before)
            pos = lower.find(head, end, before)
        return ""

    def organisation(self, head: str, before: int) -> str:
        """The capitalised body that "the <head>" ("the commission", "The Post") refers back to:
        "Commission on Presidential Debates", "New York Post", "Trump campaign"."""
        if not self._lower:
            self._lower = self.text.lower()
        lower, text = self._lower, self.text
        pos = lower.find(head, max(0, before - LOOKBACK), before)
        while pos >= 0:
            end = pos + len(head)
            if (pos == 0 or not lower[pos - 1].isalnum()) and not lower[end : end + 1].isalnum():
                modifiers = _CAPS_BEFORE.search(text, max(0, pos - 48), pos)
                words = modifiers.group(1).split() if modifiers else []
                for k in range(len(words) - 1, -1, -1):
                    if words[k].endswith(".") and len(words[k]) > 3 and "." not in words[k][:-1]:
                        words = words[k + 1 :]  # "... Bad Optics. The New York Post": a sentence ended
                        break
                while words and (
                    (_bare(words[0]) in _NOT_GIVEN and _bare(words[0]) not in _PLACE_WORDS) or _bare(words[0]) in TITLES
                ):
                    words = words[1:]  # "The", "Friday"; not the "New" of "New York Times"
                if words:
                    return " ".join(words) + " " + text[pos:end]
                if text[pos].isupper():
                    complement = _OF_BODY.match(text, end)
                    if complement:
                        return text[pos : complement.end()]
            pos = lower.find(head, end, before)
        return ""

    def resolve_person(self, name: list[str], before: int) -> str:
        if len(name) == 1:
            return self.full_name(strip_possessive(name[0]), before)
        return " ".join(name)


_TITLE_CASE_AFTER = re.compile(r"\S*\s+[A-Z]\w*\s+[A-Z]")
_INITIAL = re.compile(r"[A-Z]\.")
_GIVEN_WORD = re.compile(r"(?:[A-Z][\w'\u2019-]+|[A-Z]\.)")


def _given_names(window: str) -> str:
    """The given names right before a surname occurrence, or "" (titles and function words are
    not given names: "President Obama", "The Obama administration")."""
    if not window[-1:].isspace():
        return ""
    words = window.split()[-2:]
    if len(words) == 2 and not _INITIAL.fullmatch(words[1]):
        words = words[1:]  # "Donald J. Trump", "Hillary Clinton"; not "Hold Melania Trump"
    names: list[str] = []
    for word in reversed(words):
        bare = _bare(word)
        if (
            not _GIVEN_WORD.fullmatch(word)
            or bare in TITLES
            or bare in _NOT_GIVEN
            or bare in ORG_WORDS
            or is_acronym(word)
        ):
            break
        names.append(word)
    if not names or len(names[-1]) <= 2:
        return ""  # none, or a lone initial
    names.reverse()
    return " ".join(names)


_NOT_GIVEN = _words(
    """the a an and but or in on at of for to by with from as when while after before if this
    that these those his her their its our my your mr mrs ms dr sen rep gov gen u.s u.k
    democrat democrats republican republicans democratic gop january february march april may
    june july august september october november december monday tuesday wednesday thursday
    friday saturday sunday new north south east west northern southern eastern western unlike
    like despite although though because since until unless whether while during under over
    without within against among between about after before even only just also so yet then
    now still perhaps instead meanwhile however both either neither each every all some many
    most more former late early said says asked told according"""
)


# Words that cannot be a given name but can open the name of a body ("New York Times").
_PLACE_WORDS = _words("new north south east west northern southern eastern western")

# Single-word bodies that the document names more fully elsewhere ("The Post" -> "New York Post").
ORG_HEADS = _words(
    "commission committee council court department agency institute foundation campaign post "
    "times journal bureau administration center centre ministry office"
)
_CAPS_BEFORE = re.compile(r"((?:[A-Z][\w'\u2019.-]*[ \t]+){1,4})$")
_OF_BODY = re.compile(r"\s+(?:on|of|for)\s+(?:the\s+)?[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*)*")
