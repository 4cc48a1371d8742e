"""Source phrases resolved to the names a reader needs, within one document.

People get the fullest name the article gives ("Rutte" -> "Mark Rutte", "Mr. Obama" ->
"Barack Obama"); a definite title is the person it was given to ("the Ukrainian president" ->
"Volodymyr Zelenskyy"); "he" and "she" are the most recent speaker who fits; bodies and
descriptions are kept whole, without a leading "the" ("UK Prime Minister's Office").
"""

import re

from .names import (
    GROUP_NOUNS,
    HONORIFICS,
    ORG_HEADS,
    TITLES,
    NameBook,
    gender_of,
    is_acronym,
    is_source_description,
    kind_of,
    person_name,
    strip_possessive,
)
from .names import PRONOUNS as NAME_PRONOUNS
from .phrases import PRONOUNS, head_end


class References:
    """Resolves the source phrases of one document, in reading order (it remembers who spoke)."""

    def __init__(self, text: str):
        self.book = NameBook(text)
        self.last_person = ""
        self._people: list[str] = []  # people who spoke, the most recent last
        self._gender: dict[str, str] = {}
        self.last_group = ""
        self.last_org = ""
        self._last_org_at = 0
        self._cache: dict[tuple[str, ...], tuple[str, str]] = {}

    def resolve(self, words: list[str], pos: int) -> str:
        """The fullest name for a source phrase; updates who "he"/"she"/"they"/"it" mean.

        People get their fullest name ("Rutte" -> "Mark Rutte"); a definite title is resolved
        to the person it was given to ("the Ukrainian president"); bodies and descriptions
        are kept whole, without a leading "the" ("UK Prime Minister's Office")."""
        key = tuple(words)
        cached = self._cache.get(key)
        if cached:
            name, kind = cached
            if kind == "person":
                self._person(name, words)
            elif kind == "group":
                self.last_group = name
            elif kind == "org":
                self.last_org, self._last_org_at = name, pos
            return name
        name = self._resolve_new(words, pos)
        if name and words[-1].lower() not in PRONOUNS:
            # What the first resolution noted, so that a repeat notes the same ("" for nothing:
            # "The Republican", "a campaign aide" are never an "it").
            if name == self.last_person:
                kind = "person"
            elif name == self.last_group:
                kind = "group"
            elif name == self.last_org:
                kind = "org"
            else:
                kind = ""
            self._cache[key] = (name, kind)
        return name

    def _resolve_new(self, words: list[str], pos: int) -> str:
        if len(words) == 1 and words[0].lower() in NAME_PRONOUNS:
            # "he said": what kind_of calls a pronoun (trim leaves a lone pronoun as it is).
            return self._antecedent(words[0].lower(), pos)
        words = trim([w for w in words if w != "(" and w != ")"])
        definite = False
        while words and words[0] in _LEADING:
            definite = definite or words[0].lower() == "the"
            words = words[1:]
        if not words:
            return ""
        end = head_end(words)
        kind = kind_of(words[:end])
        if kind == "pronoun":
            return self._antecedent(words[0].lower(), pos)
        if kind == "person":
            # "Mr. Morgan of the Sierra Club" is Mr. Morgan.
            name = self.book.resolve_person(person_name(words[:end]), pos)
            if len(name.split()) == 1 and _bare_title(name):
                return ""
            return self._person(name, words)
        head = words[end - 1].lower()
        if kind == "common":
            if definite and head in TITLES and end == len(words):
                # "the Ukrainian president" -> the person the article gave that title.
                person = self.book.descriptor(words, pos)
                if person:
                    return self._person(person, words)
            elif definite and head in ORG_HEADS and len(words) == 1:
                body = self.book.organisation(head, pos)
                if body:
                    return self._body(_strip_article(body).split(), pos)
            if not is_source_description(words, end):
                return ""  # "the paranoia remained but found ...": not someone who speaks
            name = " ".join(words)
            if head.endswith("s"):
                self.last_group = name
            return name
        if len(words) == 1 and head in ORG_HEADS and not is_acronym(words[0]):
            # "The Post" -> "New York Post"
            body = self.book.organisation(head, pos)
            if body and len(body.split()) > 1:
                words = _strip_article(body).split()
        return self._body(words, pos)

    def _body(self, words: list[str], pos: int) -> str:
        """An organisation or group, kept whole ("UK Prime Minister's Office")."""
        while words and words[0].lower().rstrip(".") in HONORIFICS:
            words = words[1:]
        name = " ".join(words)
        if words and words[-1].lower().endswith("s") and not is_acronym(words[-1]):
            self.last_group = name
        elif not (len(words) == 1 and words[0].lower() in GROUP_NOUNS):
            self.last_org, self._last_org_at = name, pos  # not "The Republican": a person, never an "it"
        return name

    def _person(self, name: str, words: list[str]) -> str:
        """Note that ``name`` spoke: the antecedent of a later "he" or "she"."""
        self.last_person = name
        if name not in self._gender:
            self._gender[name] = gender_of(words, name)
        if self._people and self._people[-1] == name:
            return name
        if name in self._people:
            self._people.remove(name)
        self._people.append(name)
        return name

    def _antecedent(self, pronoun: str, pos: int) -> str:
        if pronoun in ("he", "she"):
            # The most recent speaker who can be "he" (or "she"); a speaker of unknown gender
            # learns it from the pronoun.
            other = "f" if pronoun == "he" else "m"
            for name in reversed(self._people[-6:]):
                gender = self._gender.get(name, "")
                if gender != other:
                    if not gender:
                        self._gender[name] = "m" if pronoun == "he" else "f"
                    self.last_person = name
                    return name
            return ""
        if pronoun == "they":
            return self.last_group
        if pronoun == "it":
            # A body is "it" only right after it spoke ("The FBI said ... It added ..."); further
            # on, "it" is more often something else ("after it backed Clinton", "It's denouncing").
            return self.last_org if pos - self._last_org_at <= _IT_REACH else ""
        return ""


_IT_REACH = 400  # characters from a body's last statement

# Determiners that a source phrase may start with but its name does not.
_LEADING = frozenset(["the", "The", "his", "her", "their", "its", "our", "this", "these", "His", "Her", "Their", "Its"])


def _bare_title(word: str) -> bool:
    return word.lower().rstrip(".") in TITLES


def _strip_article(phrase: str) -> str:
    return phrase[4:] if phrase[:4].lower() == "the " else phrase


_KEEP_DOT = re.compile(r"(?:[A-Za-z]\.)+|(?i:jr|sr|inc|co|corp|ltd|st)\.")


def trim(words: list[str]) -> list[str]:
    """Drop a sentence's final period and a possessive from the last word ("Office." "Trump's")."""
    if words:
        last = words[-1]
        if last.endswith(".") and not _KEEP_DOT.fullmatch(last):
            last = last.rstrip(".")
        words = [*words[:-1], strip_possessive(last)] if last else words[:-1]
    return words
