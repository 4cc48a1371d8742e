"""Writes of the editorial workflow, one module per subject. Every function: keyword-only
arguments, one transaction, the claim row locked, the transition checked, the write, the
event row, and any notification enqueued after commit.

The web UI, the REST API and the admin import these names from ``reviews.services``.
"""

from .assignment import claim_assign, claim_self_assign, claims_assign, claims_auto_assign
from .claims import claim_accept, claim_add, claim_merge, claim_recut, claim_reject, claim_start_review, claim_update
from .comments import comment_add
from .known_factchecks import ImportReport, known_factchecks_import
from .notifications import due_reminders_send, notification_send, unsent_notifications
from .rulings import ruling_approve, ruling_correct, ruling_publish, ruling_return, ruling_save_draft, ruling_submit
from .sources import source_add, source_remove, source_update

__all__ = [
    "ImportReport",
    "claim_accept",
    "claim_add",
    "claim_assign",
    "claim_merge",
    "claim_recut",
    "claim_reject",
    "claim_self_assign",
    "claim_start_review",
    "claim_update",
    "claims_assign",
    "claims_auto_assign",
    "comment_add",
    "due_reminders_send",
    "known_factchecks_import",
    "notification_send",
    "ruling_approve",
    "ruling_correct",
    "ruling_publish",
    "ruling_return",
    "ruling_save_draft",
    "ruling_submit",
    "source_add",
    "source_remove",
    "source_update",
    "unsent_notifications",
]
