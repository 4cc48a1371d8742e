"""Idempotency keys on article submission: a CMS that retries a POST (a timeout, a lost
response) gets the first answer again instead of a second article, even when both requests
arrive at once; a key reused for another request is refused; keys expire after 24 hours."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import Article, ArticleIdempotencyKey
from factcheck.testing import assert_error
from reviews.models import Event

ARTICLES = "/api/v1/articles/"
PAYLOAD = {"title": "Budget", "body": "The minister said exports doubled in 2024.", "extract": True}


def submit(api, payload=PAYLOAD, key: str | None = "retry-me-1"):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return api.post(ARTICLES, payload, format="json", **headers)


def created() -> tuple[int, int, int]:
    return (
        Article.objects.count(),
        ArticleIdempotencyKey.objects.count(),
        Event.objects.filter(action="article.submitted").count(),
    )


@pytest.mark.django_db
def test_a_retry_with_the_same_key_replays_the_first_response(api, editor, django_capture_on_commit_callbacks):
    api.force_authenticate(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        first = submit(api)
        again = submit(api)
    assert first.status_code == again.status_code == 201, first.content
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert again["ETag"] == first["ETag"] == '"1"'
    assert created() == (1, 1, 1)
    assert len(callbacks) == 1  # one extraction enqueued, not two
    key = ArticleIdempotencyKey.objects.get()
    assert (key.user, key.article_id, key.response_status) == (editor, first.json()["id"], 201)


@pytest.mark.django_db
def test_the_same_body_in_another_key_order_is_the_same_request(api, editor):
    api.force_authenticate(editor)
    assert submit(api).status_code == 201
    reordered = '{"extract": true, "body": "The minister said exports doubled in 2024.", "title": "Budget"}'
    response = api.post(ARTICLES, reordered, content_type="application/json", HTTP_IDEMPOTENCY_KEY="retry-me-1")
    assert response.status_code == 201 and response["Idempotent-Replayed"] == "true"
    assert created() == (1, 1, 1)


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_a_422(api, editor):
    api.force_authenticate(editor)
    first = submit(api).json()
    error = assert_error(submit(api, {**PAYLOAD, "title": "Another"}), 422, "idempotency_key_reused")
    assert "Idempotency-Key" in error["message"]
    assert created() == (1, 1, 1)
    assert Article.objects.get().title == "Budget" == first["title"]


@pytest.mark.django_db
def test_keys_belong_to_their_user(api, editor, editor2):
    api.force_authenticate(editor)
    mine = submit(api).json()
    api.force_authenticate(editor2)
    theirs = submit(api)
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs
    assert theirs.json()["id"] != mine["id"] and theirs.json()["submitted_by"] == "ed"
    assert created() == (2, 2, 2)


@pytest.mark.django_db
def test_requests_without_a_key_are_not_deduplicated(api, editor):
    api.force_authenticate(editor)
    assert submit(api, key=None).status_code == submit(api, key=None).status_code == 201
    assert created() == (2, 0, 2)


@pytest.mark.django_db
def test_keys_expire_after_a_day_and_are_deleted_on_the_next_keyed_write(api, editor, editor2):
    api.force_authenticate(editor2)
    submit(api, key="old-key-of-ed")
    api.force_authenticate(editor)
    submit(api)
    ArticleIdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=24, seconds=1))
    response = submit(api)
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Article.objects.count() == 3
    # Both expired keys are gone (ed's too); the new one replaces mine.
    assert list(ArticleIdempotencyKey.objects.values_list("user__username", "article_id")) == [
        ("erin", response.json()["id"])
    ]


@pytest.mark.django_db
def test_a_key_just_under_a_day_old_still_replays(api, editor):
    api.force_authenticate(editor)
    first = submit(api).json()
    ArticleIdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=23, minutes=59))
    assert submit(api).json() == first
    assert created() == (1, 1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "del\x7f", "k" * 256, "tab\there", "clé", "line\nbreak"])
def test_malformed_keys_are_400_and_store_nothing(api, editor, key):
    api.force_authenticate(editor)
    assert_error(submit(api, key=key), 400, "invalid", "Idempotency-Key")
    assert created() == (0, 0, 0)


@pytest.mark.django_db
def test_the_longest_key_is_accepted(api, editor):
    api.force_authenticate(editor)
    key = "~" + "k" * 253 + " "
    assert submit(api, key=key).status_code == 201
    assert submit(api, key=key)["Idempotent-Replayed"] == "true"
    assert ArticleIdempotencyKey.objects.get().key == key


@pytest.mark.django_db
def test_a_refused_request_keeps_no_key_so_the_corrected_retry_goes_through(api, editor):
    api.force_authenticate(editor)
    assert_error(submit(api, {**PAYLOAD, "body": ""}), 400, "invalid", "body")
    assert_error(submit(api, {**PAYLOAD, "source_url": "ftp://x"}), 400, "invalid", "source_url")  # a service rule
    assert created() == (0, 0, 0)
    assert submit(api).status_code == 201
    assert created() == (1, 1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["reviewer", "other_reviewer", "outsider"])
def test_people_who_may_not_submit_are_refused_with_or_without_a_key(api, request, persona):
    api.force_authenticate(request.getfixturevalue(persona))
    assert_error(submit(api), 403, "permission_denied")
    assert created() == (0, 0, 0)


@pytest.mark.django_db
def test_anonymous_clients_are_refused(api):
    assert_error(submit(api), 401, "not_authenticated")
    assert created() == (0, 0, 0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_requests_with_one_key_at_the_same_moment_create_one_article(editor):
    """Each request in its own thread and database connection, released together: the second
    waits on the key's unique constraint, then replays the first's committed response."""
    barrier = threading.Barrier(2)
    responses = [None, None]

    def run(i: int) -> None:
        client = APIClient()
        client.force_authenticate(editor)
        try:
            barrier.wait(timeout=10)
            responses[i] = submit(client, key="same-moment")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(r is not None for r in responses), responses
    assert [r.status_code for r in responses] == [201, 201], [r.content for r in responses]
    assert responses[0].json() == responses[1].json()
    assert sorted(r.get("Idempotent-Replayed", "") for r in responses) == ["", "true"]
    assert created() == (1, 1, 1)
