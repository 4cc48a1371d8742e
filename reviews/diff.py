"""What changed in a resubmitted ruling since the editor returned it: the approval view's diff.

Pure functions over rows the claim page has already loaded (its rulings, sources and history),
so the diff costs no query. Text is escaped here, before any markup is added."""

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Event, Rating, Ruling, Source

# A word and the whitespace after it. Words are compared, whitespace is carried along: a
# diff of whitespace tokens would match the spaces between changed words and cut every change
# into pieces. The text is shown with the new version's spacing and line breaks.
_WORDS = re.compile(r"(\S+)(\s*)")


def _marked(tag: str, tokens: list[tuple[str, str]]) -> tuple[str, str]:
    """``tokens`` wrapped in ``tag``, and the whitespace after them, left outside the tag."""
    text = "".join(word + space for word, space in tokens)
    core = text.rstrip()
    return f"<{tag}>{escape(core)}</{tag}>", escape(text[len(core) :])


def word_diff(old: str, new: str) -> SafeString:
    """``new`` with the words removed since ``old`` in <del> and the words added in <ins>.

    Every piece of text is escaped before it is wrapped, so a ruling containing markup is
    shown as text. ``autojunk`` is off: it would treat frequent words ("the") as noise in a
    long explanation and produce a needlessly large diff."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    parts = [escape(new[: len(new) - len(new.lstrip())])]
    matcher = difflib.SequenceMatcher(None, [w for w, _ in a], [w for w, _ in b], autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(word + space for word, space in b[b1:b2])))
        elif op == "delete":
            parts.extend(_marked("del", a[a1:a2]))
        elif op == "insert":
            parts.extend(_marked("ins", b[b1:b2]))
        else:  # replace: the old words struck, a space, the new words
            parts.append(_marked("del", a[a1:a2])[0] + " ")
            parts.extend(_marked("ins", b[b1:b2]))
    return mark_safe("".join(parts))  # noqa: S308 (every piece escaped above)


@dataclass
class RulingChanges:
    """A submitted ruling compared with the last returned one. ``previous`` is None on a
    first submission, and then every other field is empty."""

    ruling: Ruling
    previous: Ruling | None = None
    return_event: Event | None = None
    old_rating: Rating | None = None
    new_rating: Rating | None = None
    summary_html: str = ""  # a SafeString once computed
    explanation_html: str = ""
    summary_changed: bool = False
    explanation_changed: bool = False
    sources_added: list[Source] = field(default_factory=list)
    sources_edited: list[Source] = field(default_factory=list)
    sources_removed: list[str] = field(default_factory=list)

    @property
    def first_submission(self) -> bool:
        return self.previous is None

    @property
    def rating_changed(self) -> bool:
        return self.previous is not None and self.old_rating != self.new_rating

    @property
    def sources_changed(self) -> bool:
        return bool(self.sources_added or self.sources_edited or self.sources_removed)

    @property
    def unchanged(self) -> bool:
        """Resubmitted exactly as returned (the reviewer may have answered in a comment)."""
        return not (
            self.first_submission
            or self.rating_changed
            or self.summary_changed
            or self.explanation_changed
            or self.sources_changed
        )


def ruling_changes(
    *, ruling: Ruling, rulings: list[Ruling], sources: list[Source], history: list[Event]
) -> RulingChanges:
    """Compare ``ruling`` with the newest returned ruling of its claim.

    1. The previous version is the newest ruling in ``rulings`` with status returned (a
       return keeps the old row and the reviewer's revision is a new one).
    2. The return is the claim's last ``claim.return`` event in ``history`` (oldest first);
       its time divides "before" from "since".
    3. Sources: the current sources created after the return were added; the titles of
       ``source.removed`` events since the return were removed, less those added and removed
       again meanwhile (events name a source by its title, the row itself is gone); sources
       that existed at the return and have a ``source.edited`` event since were edited."""
    changes = RulingChanges(ruling=ruling, new_rating=ruling.rating)
    returned = [r for r in rulings if r.status == Ruling.Status.RETURNED and r.pk != ruling.pk]
    if not returned:
        return changes
    previous = max(returned, key=lambda r: (r.created_at, r.pk))
    changes.previous, changes.old_rating = previous, previous.rating
    changes.summary_changed = previous.summary != ruling.summary
    changes.explanation_changed = previous.explanation != ruling.explanation
    changes.summary_html = word_diff(previous.summary, ruling.summary)
    changes.explanation_html = word_diff(previous.explanation, ruling.explanation)

    own = [e for e in history if e.claim_id == ruling.claim_id]
    returns = [i for i, e in enumerate(own) if e.action == "claim.return"]
    if not returns:  # a return always writes its event; without one, dates cannot be compared
        return changes
    changes.return_event = own[returns[-1]]
    returned_at = changes.return_event.created_at
    since = own[returns[-1] + 1 :]
    titles = {
        action: Counter(e.note for e in since if e.action == f"source.{action}") for action in ("added", "removed")
    }
    changes.sources_added = [s for s in sources if s.created_at > returned_at]
    changes.sources_removed = sorted((titles["removed"] - titles["added"]).elements())
    edited = {e.note for e in since if e.action == "source.edited"}
    changes.sources_edited = [s for s in sources if s.created_at <= returned_at and s.title in edited]
    return changes
