"""A claim's evidence: add, edit, remove."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.models import Claim
from articles.validation import clean_text, clean_url

from ..events import record_event
from ..models import Source
from ..workflow import SOURCE_STATES, NotAllowed, WorkflowError, may_edit_sources
from .base import lock_claim
from .claims import start_if_assigned


def _check_source_access(claim: Claim, actor) -> None:
    if not may_edit_sources(actor, claim):
        raise NotAllowed("Only the assigned reviewer or an editor can change this claim's sources.")
    if claim.status not in SOURCE_STATES:
        raise WorkflowError(f"Sources cannot be changed on a claim that is {claim.get_status_display().lower()}.")


def _clean(*, title, url, kind, publisher, excerpt) -> dict:
    if kind not in Source.Kind.values:
        raise ValidationError({"kind": "Unknown source kind."})
    return {
        "kind": kind,
        "url": clean_url(url, field="url"),
        "title": clean_text(title, field="title", max_length=300).strip(),
        "publisher": clean_text(publisher, field="publisher", required=False, max_length=200).strip(),
        "excerpt": clean_text(excerpt, field="excerpt", required=False, max_length=20_000).strip(),
    }


@transaction.atomic
def source_add(
    *,
    claim: Claim,
    actor,
    title: str,
    url: str = "",
    kind: str = Source.Kind.PRIMARY_DOCUMENT,
    publisher: str = "",
    excerpt: str = "",
    accessed_on: datetime.date | None = None,
) -> Source:
    claim = lock_claim(claim)
    _check_source_access(claim, actor)
    fields = _clean(title=title, url=url, kind=kind, publisher=publisher, excerpt=excerpt)
    source = Source.objects.create(claim=claim, accessed_on=accessed_on, added_by=actor, **fields)
    start_if_assigned(claim, actor)
    record_event(article=claim.article, claim=claim, actor=actor, action="source.added", note=source.title)
    return source


@transaction.atomic
def source_update(
    *,
    source: Source,
    actor,
    title: str,
    url: str = "",
    kind: str = Source.Kind.PRIMARY_DOCUMENT,
    publisher: str = "",
    excerpt: str = "",
    accessed_on: datetime.date | None = None,
) -> Source:
    claim = lock_claim(source.claim_id)
    _check_source_access(claim, actor)
    source = Source.objects.select_for_update().get(pk=source.pk)
    for key, value in _clean(title=title, url=url, kind=kind, publisher=publisher, excerpt=excerpt).items():
        setattr(source, key, value)
    source.accessed_on = accessed_on
    source.save()
    record_event(article=claim.article, claim=claim, actor=actor, action="source.edited", note=source.title)
    return source


@transaction.atomic
def source_remove(*, source: Source, actor) -> None:
    claim = lock_claim(source.claim_id)
    _check_source_access(claim, actor)
    record_event(article=claim.article, claim=claim, actor=actor, action="source.removed", note=source.title)
    source.delete()
