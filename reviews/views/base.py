"""What the review pages share: safe JSON-LD, comment mentions, event labels."""

import json
from collections.abc import Container, Iterable

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..services.comments import MENTION

# Characters of article text shown either side of a claim on its page, at most.
CONTEXT_CHARS = 400

# What django.utils.html.json_script escapes, so that a value such as "</script>" cannot
# close the element; json_script itself only writes type="application/json".
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def ld_json(data: dict) -> SafeString:
    """``data`` as JSON safe to place inside <script type="application/ld+json">."""
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 (every <, > and & is escaped above)


def mentioned_usernames(bodies: Iterable[str]) -> set[str]:
    """The names @mentioned in ``bodies`` that are someone's username: one query for all the
    comments of a page, none when nobody is mentioned (Django skips an empty ``__in``)."""
    names = {name.rstrip(".") for body in bodies for name in MENTION.findall(body)} - {""}
    users = get_user_model().objects.filter(username__in=names)
    return set(users.values_list("username", flat=True))


def mentions_html(body: str, *, known: Container[str]) -> SafeString:
    """A comment's text for the page: escaped first, then the @mentions of ``known`` usernames
    emphasised (an "@nobody" stays plain text) and line breaks kept. The pattern matches only
    word characters, dots, + and -, so it cannot reach into the escaped markup."""

    def mention(match) -> str:
        name = match.group(1).rstrip(".")  # as the service reads it: "@erin." at a sentence end
        if name not in known:
            return match.group(0)
        return f'<strong class="mention">@{name}</strong>{match.group(1)[len(name) :]}'

    marked = MENTION.sub(mention, escape(body))
    return mark_safe(marked.replace("\n", "<br>"))  # noqa: S308 (escaped above)


# How the history names each event; the raw action is shown beside it.
EVENT_LABELS = {
    "claim.accept": "Accepted",
    "claim.reject": "Rejected",
    "claim.merge": "Merged",
    "claim.assign": "Assigned",
    "claim.self_assign": "Taken by the reviewer",
    "claim.start": "Review started",
    "claim.submit": "Ruling submitted",
    "claim.return": "Returned to the reviewer",
    "claim.approve": "Ruling approved",
    "claim.publish": "Published",
    "claim.correct": "Correction published",
    "claim.updated": "Priority or due date changed",
    "claim.stale": "Text gone from the edited article",
    "claim.added": "Added by an editor from the article text",
    "claim.recut": "Claim's text re-cut",
    "ruling.corrected": "Ruling corrected",
    "source.added": "Source added",
    "source.edited": "Source edited",
    "source.removed": "Source removed",
}
