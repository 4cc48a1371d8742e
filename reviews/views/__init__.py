"""Newsroom pages of the review workflow and the public fact-check pages, one module a subject."""

from .base import EVENT_LABELS, ld_json, mentions_html
from .claim import (
    claim_accept,
    claim_assign,
    claim_detail,
    claim_excerpt,
    claim_merge,
    claim_reject,
    claim_self_assign,
    claim_start_review,
    claim_update,
    comment_add,
)
from .public import factcheck_index, factcheck_public
from .queue import claim_queue, claims_auto_assign, claims_bulk_assign, home, my_claims
from .rulings import (
    ruling_approve,
    ruling_correct,
    ruling_publish,
    ruling_return,
    ruling_save_draft,
    ruling_submit,
    source_add,
    source_remove,
    source_update,
)

__all__ = [
    "EVENT_LABELS",
    "claim_accept",
    "claim_assign",
    "claim_detail",
    "claim_excerpt",
    "claim_merge",
    "claim_queue",
    "claim_reject",
    "claim_self_assign",
    "claim_start_review",
    "claim_update",
    "claims_auto_assign",
    "claims_bulk_assign",
    "comment_add",
    "factcheck_index",
    "factcheck_public",
    "home",
    "ld_json",
    "mentions_html",
    "my_claims",
    "ruling_approve",
    "ruling_correct",
    "ruling_publish",
    "ruling_return",
    "ruling_save_draft",
    "ruling_submit",
    "source_add",
    "source_remove",
    "source_update",
]
