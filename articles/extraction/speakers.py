"""Who made a claim: direct quotes, reported speech, "according to", and back-references.

Names are resolved to the fullest form the article gives ("Rutte" -> "Mark Rutte",
"the Ukrainian president" -> "Volodymyr Zelenskyy", "He" -> the last speaker).
"""

import re
from dataclasses import dataclass, field

SPEECH_VERBS = (
    "said|says|say|stated|states|noted|notes|warned|warns|added|adds|told|tells|argued|argues|"
    "claimed|claims|called for|calls for|emphasized|emphasised|emphasizes|expressed|expresses|"
    "announced|announces|insisted|insists|explained|explains|believes|believed|predicted|predicts|"
    "urged|urges|asserted|asserts|acknowledged|acknowledges|wrote|writes|tweeted|posted|"
    "suggested|suggests|estimated|estimates|reported|reports|confirmed|confirms|denied|denies|"
    "addressed|addresses|stressed|stresses|pointed out|admitted|admits|contended|contends|"
    "maintained|maintains|declared|declares|promised|promises|vowed|vows|described|describes"
)
TITLE_WORDS = frozenset(
    [
        "president",
        "prime",
        "minister",
        "secretary-general",
        "secretary",
        "general",
        "chancellor",
        "senator",
        "sen.",
        "rep.",
        "representative",
        "gov.",
        "governor",
        "mayor",
        "dr.",
        "mr.",
        "mrs.",
        "ms.",
        "ceo",
        "chairman",
        "chairwoman",
        "chair",
        "director",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "king",
        "queen",
        "pope",
        "judge",
        "justice",
        "ambassador",
        "commissioner",
        "leader",
        "chief",
        "minister's",
        "officer",
        "professor",
        "prof.",
        "economist",
        "analyst",
        "adviser",
        "advisor",
    ]
)
NAME_WORD = r"(?:[A-Z][\w\u00c0-\u024f'\u2019.-]*)"
NAME = rf"{NAME_WORD}(?:\s+(?:of\s+the\s+|of\s+)?{NAME_WORD})*"
PRONOUNS = {"he", "she", "they"}

_SUBJECT_VERB = re.compile(
    rf"(?<![\w'])(?P<name>{NAME}|[Hh]e|[Ss]he|[Tt]hey|the\s+\w[\w -]{{2,40}}?)\s+(?:{SPEECH_VERBS})\b"
)
_ACCORDING = re.compile(rf"according to (?:the\s+)?(?P<name>{NAME})")
_NAME_CHUNK = re.compile(NAME)
_NOT_SPEAKERS = frozenset(
    [
        "the",
        "this",
        "that",
        "it",
        "there",
        "these",
        "those",
        "we",
        "i",
        "you",
        "in",
        "on",
        "at",
        "after",
        "before",
        "while",
        "when",
        "as",
        "but",
        "and",
    ]
)


@dataclass
class SpeakerResolver:
    """Tracks the people named so far in one article."""

    people: list[str] = field(default_factory=list)  # full names, in order of first mention
    descriptors: dict[str, str] = field(default_factory=dict)  # "ukrainian president" -> full name
    last_speaker: str = ""

    def observe(self, sentence: str) -> None:
        """Learn the full names (and their titles) that a sentence mentions."""
        for match in _NAME_CHUNK.finditer(sentence):
            chunk = match.group()
            words = chunk.split()
            title_end = max((i for i, w in enumerate(words) if w.lower() in TITLE_WORDS), default=-1)
            name_words = words[title_end + 1 :]
            if title_end >= 0 and len(name_words) >= 2:
                full = " ".join(name_words).rstrip(".,")
                if full.endswith("'s") or full.endswith("\u2019s"):
                    full = full[:-2]
                if full not in self.people:
                    self.people.append(full)
                descriptor = " ".join(words[: title_end + 1]).lower()
                self.descriptors[descriptor] = full
                self.descriptors[words[title_end].lower()] = full

    def resolve(self, name: str) -> str:
        name = name.strip().rstrip(",.")
        low = name.lower()
        if low in PRONOUNS:
            return self.last_speaker
        if low.startswith("the "):
            descriptor = low[4:].strip()
            if descriptor in self.descriptors:
                return self.descriptors[descriptor]
            for known, full in self.descriptors.items():
                if known.endswith(descriptor) or descriptor.endswith(known):
                    return full
            return ""
        words = name.split()
        title_end = max((i for i, w in enumerate(words) if w.lower() in TITLE_WORDS), default=-1)
        if 0 <= title_end < len(words) - 1 and not name.endswith(("Office", "Ministry", "Department")):
            name = " ".join(words[title_end + 1 :])
        for full in self.people:
            if full == name or full.endswith(" " + name) or full.split()[-1] == name:
                return full
        return name

    def speaker_of(self, sentence: str) -> str:
        """The speaker of a sentence, or "" when the outlet speaks in its own voice."""
        self.observe(sentence)
        speaker = ""
        according = _ACCORDING.search(sentence)
        if according:
            speaker = self.resolve(according.group("name"))
        else:
            for match in _SUBJECT_VERB.finditer(sentence):
                candidate = match.group("name")
                if candidate.split()[0].lower() in _NOT_SPEAKERS and not candidate.lower().startswith("the "):
                    continue
                speaker = self.resolve(candidate)
                if speaker:
                    break
        if speaker:
            self.last_speaker = speaker
        return speaker


def attribute_speakers(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The speaker of each unit ``text[start:end]``, in order; "" for the outlet's own voice."""
    resolver = SpeakerResolver()
    return [resolver.speaker_of(text[start:end]) for start, end in spans]
