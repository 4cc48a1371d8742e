"""The desk's internal discussion of a claim, with @mentions notified."""

import re

from django.contrib.auth import get_user_model
from django.db import transaction

from articles.models import Claim
from articles.selectors import claims_visible_to
from articles.validation import clean_text
from factcheck import roles

from ..models import Comment
from ..workflow import NotAllowed
from .base import lock_claim
from .notifications import Kind, claim_url, notify

MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


@transaction.atomic
def comment_add(*, claim: Claim, actor, body: str) -> Comment:
    """Anyone who may see the claim may comment; mentioned colleagues who may see it are told."""
    claim = lock_claim(claim)
    if not claims_visible_to(actor).filter(pk=claim.pk).exists():
        raise NotAllowed("You cannot comment on this claim.")
    body = clean_text(body, field="body", max_length=10_000).strip()
    comment = Comment.objects.create(claim=claim, author=actor, body=body)
    names = {name.rstrip(".") for name in MENTION.findall(body)}
    for user in get_user_model().objects.filter(username__in=names, is_active=True).exclude(pk=actor.pk):
        if roles.is_editor(user) or claim.assignee_id == user.pk:
            notify(
                recipient=user,
                kind=Kind.MENTION,
                key=f"comment:{comment.pk}",
                claim=claim,
                subject=f"{actor.get_username()} mentioned you on claim {claim.pk}",
                body=f"{actor.get_username()} wrote:\n\n{body}\n\nOn: {claim.text}\n\n{claim_url(claim)}\n",
            )
    return comment
