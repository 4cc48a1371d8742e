"""The article page's claim marks, rendered in Python: an article of 200 claims has 200 of
them, and as template markup (about twenty variables and filters each) they were half of the
page's server time. Every value goes through format_html, which escapes it."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_MARK = (
    '<a class="claim-mark" href="{base}{pk}/"{place}><mark class="status-{status}" data-offset="{offset}"'
    ' title="{speaker_or_none} · {type_label} · score {score} · {status_label}"'
    ' data-claim="{pk}" data-version="{version}" data-speaker="{speaker}" data-type="{type}"'
    ' data-type-label="{type_label}" data-score="{score}" data-status="{status}"'
    ' data-status-label="{status_label}" data-assignee="{assignee}" data-actions="{actions}">{text}</mark></a>'
)


@register.simple_tag
def claim_mark(segment, claims_base: str):
    """One highlighted segment of a claim: a link to the claim (``claims_base`` + id, the
    claim page's address) around a <mark> that carries what the claim card shows. The first
    segment of a claim is its keyboard stop; a claim crossing a line break has more."""
    claim = segment.claim
    place = format_html(' id="claim-{}" data-keys-item', claim.pk) if segment.first else mark_safe(' tabindex="-1"')
    return format_html(
        _MARK,
        base=claims_base,
        pk=claim.pk,
        place=place,
        status=claim.status,
        offset=segment.offset,
        speaker_or_none=claim.speaker or "No speaker",
        speaker=claim.speaker,
        type=claim.claim_type,
        type_label=claim.get_claim_type_display(),
        score=f"{claim.checkworthiness:.2f}",
        status_label=claim.get_status_display(),
        version=claim.version,
        assignee=claim.assignee.get_username() if claim.assignee_id else "",
        actions=claim.actions,
        text=segment.text,
    )
