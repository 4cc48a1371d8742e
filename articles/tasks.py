"""Background jobs: small adapters that take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(time_limit=300, soft_time_limit=240)
def extract_article(article_id: int) -> int | None:
    """Split one article into claims. Safe to run twice: the service claims the row first."""
    return services.article_extract(article_id=article_id)


@shared_task(time_limit=900, soft_time_limit=840)
def extract_articles(article_ids: list[int]) -> int:
    """Extract a chunk of imported articles (one message for many, so a bulk import does not
    send one message per article). Each article is claimed on its own, as in extract_article."""
    return sum(1 for article_id in article_ids if services.article_extract(article_id=article_id) is not None)


@shared_task(time_limit=60, soft_time_limit=50)
def sweep_pending_extractions() -> int:
    """The database is the queue's backstop: re-enqueue extractions the broker lost."""
    ids = services.articles_needing_extraction()
    for article_id in ids:
        extract_article.delay(article_id)
    return len(ids)
