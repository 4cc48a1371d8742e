"""Helpers shared by the tests: error-shape assertions, fresh user copies, bulk claims."""

from django.contrib.auth import get_user_model


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    """The response is the API's one error shape, with this status and machine code."""
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    if field is not None:
        assert field in error["fields"], error
    return error


def bulk_claims(article, count: int, assignees=(None,), **fields):
    """``count`` claims written straight into the table, placed after the article's text, for
    list sizes the seed article does not reach. Assignees go round ``assignees``: a claim with
    one is assigned, one without is a candidate. ``fields`` override the defaults ("Claim i",
    scores 0.0 to 0.9); a callable value is called with the claim's index."""
    from articles.models import Claim

    offset = len(article.body) + 10
    rows = []
    for i in range(count):
        assignee = assignees[i % len(assignees)]
        values = {
            "text": f"Claim {i}",
            "checkworthiness": (i % 10) / 10,
            "assignee": assignee,
            "status": Claim.Status.ASSIGNED if assignee else Claim.Status.CANDIDATE,
        }
        values.update({name: value(i) if callable(value) else value for name, value in fields.items()})
        rows.append(Claim(article=article, start=offset + i * 10, end=offset + i * 10 + 5, **values))
    return Claim.objects.bulk_create(rows)


def fresh(user):
    """A new copy of ``user``, so that a query budget includes the per-request role lookup."""
    return get_user_model().objects.get(pk=user.pk)


def clear_cache() -> None:
    """Empty this test run's cache (throttle counters). On Redis only this run's keys, by its
    KEY_PREFIX: the backend's clear() is FLUSHDB, which would also drop the Celery queues and
    the keys of other runs that share the database."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    pattern = "".join(f"\\{c}" if c in "*?[]\\" else c for c in cache.key_prefix) + ":*"
    keys = list(client.scan_iter(match=pattern, count=1000))
    if keys:
        client.delete(*keys)
