"""Helpers shared by the API tests: error-shape assertions and fresh user copies."""

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
