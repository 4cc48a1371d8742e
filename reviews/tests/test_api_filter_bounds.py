"""Filter values the database cannot compare are a 400, never a 500 (found by schemathesis)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/articles/", "/api/v1/events/", "/api/v1/comments/"])
@pytest.mark.parametrize(
    "query",
    [
        "created_after=0001-01-01T00:00:00%2B09:00",  # year 0 in UTC
        "created_before=9999-12-31T23:59:59-09:00",  # year 10000 in UTC
        "created_after=2026-01-01T00:00:00%2B23:00",  # an offset no place has
    ],
)
def test_datetimes_outside_what_databases_hold_are_refused(api, editor, path, query):
    api.force_authenticate(editor)
    if path == "/api/v1/articles/":
        query = query.replace("created_", "submitted_")
    response = api.get(f"{path}?{query}")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize(("path", "name"), [("/api/v1/claims/", "article"), ("/api/v1/events/", "claim")])
@pytest.mark.parametrize("value", ["99999999999999999999", "0", "-3"])
def test_ids_outside_the_id_range_are_refused(api, editor, path, name, value):
    api.force_authenticate(editor)
    response = api.get(f"{path}?{name}={value}")
    assert response.status_code == 400
    assert name in response.json()["error"]["fields"]


def test_ordinary_datetimes_still_filter(api, editor):
    api.force_authenticate(editor)
    assert api.get("/api/v1/claims/?created_after=2020-01-01T00:00:00%2B02:00").status_code == 200
    assert api.get("/api/v1/claims/?created_before=2100-01-01").status_code == 200
