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
