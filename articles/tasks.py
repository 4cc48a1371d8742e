"""Background jobs: small adapters that take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(time_limit=300, soft_time_limit=240)
def extract_article(article_id: int) -> int | None:
    """Split one article into claims. Safe to run twice: the service claims the row first."""
    return services.article_extract(article_id=article_id)


@shared_task(time_limit=60, soft_time_limit=50)
def sweep_pending_extractions() -> int:
    """The database is the queue's backstop: re-enqueue extractions the broker lost."""
    ids = services.articles_needing_extraction()
    for article_id in ids:
        extract_article.delay(article_id)
    return len(ids)
