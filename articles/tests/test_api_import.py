"""Bulk import through the API: POST /api/v1/articles/import/ stores the good rows, reports
the skipped and the bad ones by position, and never fails the request for a bad row; editors
only; limits on rows and body size; the error format when the body itself is wrong."""

import json

import pytest

from articles.models import Article
from reviews.models import Event

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles/import/"
GOOD = "The unemployment rate fell to 3.5% in May, the statistics office said."
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)> Prices rose 5% last year."


def _post(api, body, **extra):
    return api.post(URL, json.dumps(body), content_type="application/json", **extra)


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    if field is not None:
        assert field in error["fields"], error
    return error


def test_good_rows_are_stored_and_bad_rows_reported_by_position(api, editor, django_capture_on_commit_callbacks):
    rows = [
        {"title": "First", "body": GOOD, "source_url": "https://example.org/1", "published_on": "2025-06-01"},
        {"body": ""},
        "not an object",
        {"body": GOOD, "colour": "red"},
        {"body": GOOD + " Second.", "published_on": "June"},
        {"body": GOOD + " Third.", "outlet": "Wire", "language": "en"},
    ]
    api.force_authenticate(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = _post(api, {"articles": rows})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["created"] == 2 and data["skipped"] == []
    assert [e["row"] for e in data["errors"]] == [2, 3, 4, 5]
    assert "Unknown field(s): colour" in data["errors"][2]["message"]
    assert "published_on" in data["errors"][3]["message"]
    stored = list(Article.objects.filter(pk__in=data["article_ids"]).order_by("pk"))
    assert [a.pk for a in stored] == data["article_ids"]
    assert stored[0].title == "First" and stored[0].published_on.isoformat() == "2025-06-01"
    assert stored[1].outlet == "Wire" and all(a.submitted_by == editor for a in stored)
    assert all(a.extraction_requested_at is not None for a in stored)
    assert len(callbacks) == 1  # extraction is queued once the batch commits
    assert Event.objects.filter(action="article.submitted", actor=editor).count() == 2


def test_a_retry_skips_what_is_stored_and_answers_200(api, editor):
    rows = [
        {"body": GOOD, "source_url": "https://example.org/a"},
        {"body": GOOD, "source_url": "https://example.org/b"},
    ]
    api.force_authenticate(editor)
    assert _post(api, {"articles": rows}).status_code == 201
    again = _post(api, {"articles": [*rows, {"body": GOOD, "source_url": "https://example.org/a"}]})
    assert again.status_code == 200
    data = again.json()
    assert data["created"] == 0 and data["article_ids"] == [] and data["errors"] == []
    assert [s["row"] for s in data["skipped"]] == [1, 2, 3]
    assert "already imported: https://example.org/a" in data["skipped"][0]["reason"]
    assert Article.objects.count() == 2


def test_extract_false_stores_articles_without_queueing(api, editor, django_capture_on_commit_callbacks):
    api.force_authenticate(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = _post(api, {"articles": [{"body": GOOD}], "extract": False})
    assert response.status_code == 201
    article = Article.objects.get()
    assert article.extraction_requested_at is None and callbacks == []


def test_only_bad_rows_is_200_with_nothing_stored(api, editor):
    api.force_authenticate(editor)
    response = _post(api, {"articles": [{"title": "no body"}, {"body": "\x00"}]})
    assert response.status_code == 200
    assert response.json()["created"] == 0 and len(response.json()["errors"]) == 2
    assert not Article.objects.exists() and not Event.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "articles"),
        ({"articles": []}, "articles"),
        ({"articles": "a list please"}, "articles"),
        ({"articles": {"body": GOOD}}, "articles"),
        ({"articles": [{"body": GOOD}], "extract": "sometimes"}, "extract"),
        ([{"body": GOOD}], "non_field_errors"),
        ("text", "non_field_errors"),
    ],
)
def test_a_body_that_is_not_an_object_with_a_list_is_a_400(api, editor, body, field):
    api.force_authenticate(editor)
    assert_error(_post(api, body), 400, "invalid", field)
    assert not Article.objects.exists()


def test_more_than_1000_rows_is_a_400_and_stores_nothing(api, editor):
    api.force_authenticate(editor)
    response = _post(api, {"articles": [{"body": f"{GOOD} {i}"} for i in range(1001)]})
    assert "1000" in assert_error(response, 400, "invalid", "articles")["message"]
    assert not Article.objects.exists()


def test_a_body_over_the_size_limit_is_refused_before_parsing(api, editor, settings):
    settings.ARTICLE_IMPORT_MAX_BYTES = 2000
    api.force_authenticate(editor)
    response = _post(api, {"articles": [{"body": GOOD * 40}]})
    assert "larger than" in assert_error(response, 400, "parse_error")["message"]
    assert not Article.objects.exists()
    assert _post(api, {"articles": [{"body": GOOD}]}).status_code == 201


def test_malformed_json_and_other_media_types_are_refused(api, editor):
    api.force_authenticate(editor)
    assert_error(api.post(URL, "{not json", content_type="application/json"), 400, "parse_error")
    response = api.post(URL, {"articles": "x"}, format="multipart")
    assert_error(response, 415, "unsupported_media_type")
    assert not Article.objects.exists()


def test_who_may_import(api, editor, editor2, reviewer, other_reviewer, outsider, admin_user):
    body = {"articles": [{"body": GOOD}]}
    assert_error(_post(api, body), 401, "not_authenticated")
    for person in (reviewer, other_reviewer, outsider):
        api.force_authenticate(person)
        assert_error(_post(api, body), 403, "permission_denied")
    assert not Article.objects.exists()
    for person in (editor2, admin_user):
        api.force_authenticate(person)
        assert _post(api, body).status_code == 201
    assert Article.objects.count() == 2


def test_hostile_text_is_stored_verbatim(api, editor):
    api.force_authenticate(editor)
    response = _post(api, {"articles": [{"title": HOSTILE, "body": HOSTILE}]})
    assert response.status_code == 201
    article = Article.objects.get()
    assert article.body == HOSTILE and article.title == HOSTILE


def test_only_post_is_allowed(api, editor):
    api.force_authenticate(editor)
    assert_error(api.get(URL), 405, "method_not_allowed")
