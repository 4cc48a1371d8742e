"""What every workflow write shares: the row lock, the version check, the state move."""

from articles.models import Claim
from factcheck.webhooks.services import enqueue_for_event as enqueue_webhooks

from ..events import record_event
from ..models import Event
from ..workflow import Conflict, check_transition


def lock_claim(claim: Claim | int) -> Claim:
    """Reload the claim under a row lock so two concurrent actions on it serialise.

    Only the claim's row (``of=("self",)``): PostgreSQL refuses FOR UPDATE on the nullable side
    of the outer join to the assignee, and locking the article would serialise its claims."""
    pk = claim if isinstance(claim, int) else claim.pk
    return Claim.objects.select_for_update(of=("self",)).select_related("article", "assignee").get(pk=pk)


def check_version(obj, expected: int | None, what: str) -> None:
    """Optimistic concurrency: refuse a save based on a version someone else has replaced."""
    if expected is not None and obj.version != expected:
        raise Conflict(
            f"This {what} was changed by someone else since you opened it (version {expected}, now "
            f"{obj.version}). Reload it to see their change; nothing was saved."
        )


def move(claim: Claim, *, actor, name: str, note: str = "", **fields) -> Event:
    """Make transition ``name`` on a locked claim, save ``fields`` with it, write the event."""
    transition = check_transition(actor, claim, name)
    old = claim.status
    claim.status = transition.target
    claim.version += 1
    for key, value in fields.items():
        setattr(claim, key, value)
    claim.save(update_fields=["status", "version", "updated_at", *fields])
    event = record_event(
        article=claim.article,
        claim=claim,
        actor=actor,
        action=f"claim.{name}",
        from_state=old,
        to_state=claim.status,
        note=note,
    )
    enqueue_webhooks(event)  # outgoing webhooks, written with the event, sent after commit
    return event
