"""The audit trail. Called inside the service's transaction, so the row and the change
commit together or not at all."""

from articles.models import Article, Claim

from .models import Event


def record_event(
    *,
    article: Article,
    actor,
    action: str,
    claim: Claim | None = None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
) -> Event:
    return Event.objects.create(
        article=article,
        claim=claim,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )
