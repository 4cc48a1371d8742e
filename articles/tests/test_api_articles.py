"""The articles API: who may list, read, submit and re-extract articles; every bad input is a
400 that names its field and stores nothing; the error format; token login; query budgets."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from articles import services
from articles.models import Article, Claim
from conftest import PASSWORD
from factcheck.testing import bulk_claims
from reviews import services as review_services
from reviews.models import Event

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"


def detail_url(article) -> str:
    return f"{ARTICLES}{article.pk}/"


def extract_url(article) -> str:
    return f"{ARTICLES}{article.pk}/extract/"


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    if field is not None:
        assert field in error["fields"], error
    return error


def fresh(user):
    """A new copy of ``user``: roles are cached per object, and a query budget should count the
    lookup that every real request makes."""
    return get_user_model().objects.get(pk=user.pk)


def assign(claim, reviewer, editor):
    return review_services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)


def add_claims(article, count: int, assignees=()) -> None:
    """Claims straight into the table, for list sizes the seed article does not reach."""
    bulk_claims(
        article,
        count,
        list(assignees) or [None],
        text=lambda i: f"Claim number {i}",
        checkworthy=lambda i: i % 2 == 0,
    )


# --- Who may -------------------------------------------------------------------------------


def _endpoints(article):
    return [
        ("get", ARTICLES),
        ("post", ARTICLES),
        ("get", detail_url(article)),
        ("post", extract_url(article)),
    ]


def test_anonymous_clients_get_401_everywhere(api, article):
    for method, url in _endpoints(article):
        assert_error(getattr(api, method)(url, {"body": "Text."}), 401, "not_authenticated")
    assert Article.objects.count() == 1


def test_users_without_a_newsroom_role_get_403_everywhere(api, outsider, article):
    api.force_authenticate(outsider)
    for method, url in _endpoints(article):
        assert_error(getattr(api, method)(url, {"body": "Text."}), 403, "permission_denied")
    assert Article.objects.count() == 1
    assert Article.objects.get().extraction_status == Article.ExtractionStatus.DONE


def test_editor_lists_articles_without_bodies(api, editor, article):
    api.force_authenticate(editor)
    response = api.get(ARTICLES)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["next"] is None and data["previous"] is None
    [row] = data["results"]
    assert row["id"] == article.pk
    assert row["title"] == article.title
    assert row["claim_count"] == 19
    assert row["submitted_by"] == "erin"
    assert row["extraction_status"] == "done"
    assert "body" not in row


def test_reviewers_list_only_articles_holding_their_claims(api, editor, reviewer, other_reviewer, article):
    api.force_authenticate(reviewer)
    assert api.get(ARTICLES).json()["count"] == 0
    assign(article.claims.first(), reviewer, editor)
    assert [a["id"] for a in api.get(ARTICLES).json()["results"]] == [article.pk]
    api.force_authenticate(other_reviewer)
    assert api.get(ARTICLES).json()["count"] == 0


def test_editor_reads_an_article_with_body_and_claims(api, editor, article):
    api.force_authenticate(editor)
    data = api.get(detail_url(article)).json()
    assert data["body"] == article.body
    assert data["source_url"] == "https://example.org/nato-summit"
    assert data["outlet"] == "Example Wire"
    assert data["submitted_by"] == "erin"
    assert data["extraction_error"] == ""
    assert len(data["claims"]) == 19
    starts = [c["start"] for c in data["claims"]]
    assert starts == sorted(starts)
    claim = data["claims"][0]
    assert set(claim) == {
        "id", "article", "start", "end", "text", "checkworthiness", "checkworthy", "claim_type", "speaker",
        "status", "priority", "due_date", "stale", "assignee", "assignee_username", "created_at", "updated_at",
    }  # fmt: skip
    assert data["body"][claim["start"] : claim["end"]] == claim["text"]


def test_reviewer_reads_an_article_of_theirs_with_only_their_claims(api, editor, reviewer, other_reviewer, article):
    api.force_authenticate(reviewer)
    assert_error(api.get(detail_url(article)), 404, "not_found")
    claim = article.claims.first()
    assign(claim, reviewer, editor)
    data = api.get(detail_url(article)).json()
    assert [c["id"] for c in data["claims"]] == [claim.pk]
    assert data["claims"][0]["assignee_username"] == "rita"
    api.force_authenticate(other_reviewer)
    assert_error(api.get(detail_url(article)), 404, "not_found")


def test_unknown_and_malformed_ids_are_json_404s(api, editor, article):
    api.force_authenticate(editor)
    assert_error(api.get(f"{ARTICLES}999999/"), 404, "not_found")
    assert_error(api.get(f"{ARTICLES}abc/"), 404, "not_found")
    assert_error(api.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert_error(api.get("/api/v1/articles"), 404, "not_found")  # no trailing slash


def test_unsupported_methods_are_405(api, editor, article):
    api.force_authenticate(editor)
    assert_error(api.delete(detail_url(article)), 405, "method_not_allowed")
    assert_error(api.put(detail_url(article), {"body": "x"}), 405, "method_not_allowed")
    assert_error(api.get(extract_url(article)), 405, "method_not_allowed")
    assert Article.objects.filter(pk=article.pk).exists()


# --- Submitting -----------------------------------------------------------------------------


def test_editor_submits_an_article_and_extraction_is_queued_after_commit(
    api, editor, django_capture_on_commit_callbacks
):
    api.force_authenticate(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(ARTICLES, {"body": "The minister said unemployment fell by 3% last year.\nMore."})
    assert response.status_code == 201, response.content
    data = response.json()
    article = Article.objects.get()
    assert data["id"] == article.pk
    assert data["title"] == "The minister said unemployment fell by 3% last year."
    assert data["body"] == article.body
    assert data["extraction_status"] == "pending"
    assert data["submitted_by"] == "erin"
    assert data["language"] == "en"
    assert data["claims"] == []
    assert len(callbacks) == 1  # the extraction task, sent only once the row is committed
    assert Event.objects.filter(article=article, action="article.submitted").count() == 1


def test_editor_submits_every_field(api, editor, django_capture_on_commit_callbacks):
    api.force_authenticate(editor)
    payload = {
        "title": "  Budget speech  ",
        "body": "Body text.\r\nSecond line.",
        "source_url": "https://example.org/budget",
        "outlet": "Example Times",
        "byline": "A. Writer",
        "published_on": "2025-06-24",
        "language": "fr",
        "extract": False,
    }
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(ARTICLES, payload)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["title"] == "Budget speech"
    assert data["body"] == "Body text.\nSecond line."  # line endings normalised, nothing else
    assert data["published_on"] == "2025-06-24"
    assert (data["source_url"], data["outlet"], data["byline"], data["language"]) == (
        "https://example.org/budget",
        "Example Times",
        "A. Writer",
        "fr",
    )
    assert callbacks == []
    assert Article.objects.get().extraction_requested_at is None


@pytest.mark.parametrize("persona", ["reviewer", "other_reviewer"])
def test_reviewers_may_not_submit_articles(api, request, persona):
    api.force_authenticate(request.getfixturevalue(persona))
    assert_error(api.post(ARTICLES, {"body": "Some text."}), 403, "permission_denied")
    assert Article.objects.count() == 0


def test_admins_may_submit_articles(api, admin_user):
    api.force_authenticate(admin_user)
    assert api.post(ARTICLES, {"body": "Admin text.", "extract": False}).status_code == 201


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "   \n\t  "}, "body"),
        ({"body": None}, "body"),
        ({"body": "Half\x00way"}, "body"),
        ({"body": "Bell\x07"}, "body"),
        ({"body": 12345}, "body"),
        ({"body": True}, "body"),
        ({"body": ["a", "list"]}, "body"),
        ({"body": {"an": "object"}}, "body"),
        ({"body": "Text.", "title": 7}, "title"),
        ({"body": "Text.", "title": "t" * 301}, "title"),
        ({"body": "Text.", "source_url": "not a url"}, "source_url"),
        ({"body": "Text.", "source_url": "javascript:alert(1)"}, "source_url"),
        ({"body": "Text.", "source_url": "ftp://example.org/file"}, "source_url"),
        ({"body": "Text.", "published_on": "24/06/2025"}, "published_on"),
        ({"body": "Text.", "published_on": "2025-02-30"}, "published_on"),
        ({"body": "Text.", "published_on": 20250624}, "published_on"),
        ({"body": "Text.", "extract": "perhaps"}, "extract"),
        ({"body": "Text.", "outlet": "o" * 201}, "outlet"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(api, editor, payload, field):
    api.force_authenticate(editor)
    error = assert_error(api.post(ARTICLES, payload), 400, "invalid", field)
    assert field in error["message"]
    assert Article.objects.count() == 0


def test_a_body_over_the_limit_is_refused(api, editor, settings):
    settings.ARTICLE_MAX_CHARS = 100
    api.force_authenticate(editor)
    error = assert_error(api.post(ARTICLES, {"body": "x" * 101}), 400, "invalid", "body")
    assert "limit is 100" in error["fields"]["body"][0]
    assert api.post(ARTICLES, {"body": "x" * 100, "extract": False}).status_code == 201
    assert Article.objects.count() == 1


def test_malformed_json_is_a_parse_error(api, editor):
    api.force_authenticate(editor)
    response = api.post(ARTICLES, '{"body": "unterminated', content_type="application/json")
    assert_error(response, 400, "parse_error")
    assert Article.objects.count() == 0


@pytest.mark.parametrize("payload", ['["body"]', '"just a string"', "42", "null"])
def test_json_that_is_not_an_object_is_refused(api, editor, payload):
    api.force_authenticate(editor)
    response = api.post(ARTICLES, payload, content_type="application/json")
    assert_error(response, 400, "invalid", "non_field_errors")
    assert Article.objects.count() == 0


def test_markup_in_a_body_is_stored_verbatim_and_returned_as_a_json_string(api, editor):
    body = '<script>alert("x")</script> The minister said <b>crime</b> fell by 20% & more.'
    api.force_authenticate(editor)
    response = api.post(ARTICLES, {"body": body, "extract": False})
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert response.json()["body"] == body
    assert Article.objects.get().body == body
    assert api.get(detail_url(Article.objects.get())).json()["body"] == body


# --- Re-extraction --------------------------------------------------------------------------


def test_editor_queues_re_extraction_and_keeps_the_claims(api, editor, article, django_capture_on_commit_callbacks):
    api.force_authenticate(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(extract_url(article))
    assert response.status_code == 202, response.content
    assert response.json()["extraction_status"] == "pending"
    assert len(response.json()["claims"]) == 19
    assert len(callbacks) == 1
    assert Event.objects.filter(article=article, action="article.extraction_requested").count() == 2


def test_reviewers_may_not_re_extract(api, editor, reviewer, other_reviewer, article):
    assign(article.claims.first(), reviewer, editor)
    api.force_authenticate(reviewer)
    assert_error(api.post(extract_url(article)), 403, "permission_denied")
    api.force_authenticate(other_reviewer)
    assert_error(api.post(extract_url(article)), 404, "not_found")
    article.refresh_from_db()
    assert article.extraction_status == Article.ExtractionStatus.DONE


# --- Tokens ---------------------------------------------------------------------------------


def test_a_token_from_the_login_endpoint_authenticates(api, editor):
    response = api.post("/api/v1/auth/token/", {"username": "erin", "password": PASSWORD})
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    # Each call makes a new, named token (factcheck/tests/test_tokens.py has the details).
    assert api.post("/api/v1/auth/token/", {"username": "erin", "password": PASSWORD}).json()["token"] != token
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(ARTICLES).status_code == 200
    assert api.post(ARTICLES, {"body": "Sent with a token.", "extract": False}).status_code == 201
    assert Article.objects.get().submitted_by == editor


def test_wrong_credentials_and_bad_tokens_are_refused(api, editor, outsider):
    assert_error(
        api.post("/api/v1/auth/token/", {"username": "erin", "password": "wrong"}), 400, "invalid", "non_field_errors"
    )
    assert_error(api.post("/api/v1/auth/token/", {"username": "erin"}), 400, "invalid", "password")
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(api.get(ARTICLES), 401, "not_authenticated")
    # An outsider may hold a token, but it opens nothing.
    api.credentials()
    token = api.post("/api/v1/auth/token/", {"username": "olga", "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert_error(api.get(ARTICLES), 403, "permission_denied")


# --- Query budgets --------------------------------------------------------------------------


def _make_articles(editor, editor2, count: int) -> None:
    for i in range(count):
        art = services.article_create(
            submitted_by=[editor, editor2, None][i % 3], body=f"Article {i}. It says 5% more.", extract=False
        )
        add_claims(art, 3)


@pytest.mark.parametrize("persona", ["editor", "reviewer"])
def test_article_list_query_count_does_not_grow_with_rows(
    api, editor, editor2, reviewer, article, django_assert_num_queries, request, persona
):
    user = request.getfixturevalue(persona)
    for claim in article.claims.all()[:2]:
        assign(claim, reviewer, editor)
    _make_articles(editor, editor2, 2)
    # 1 role lookup, 1 count, 1 page (claim counts annotated, submitter joined)
    api.force_authenticate(fresh(user))
    with django_assert_num_queries(3):
        assert api.get(ARTICLES).status_code == 200
    _make_articles(editor, editor2, 60)
    api.force_authenticate(fresh(user))
    with django_assert_num_queries(3):
        response = api.get(ARTICLES)
    assert len(response.json()["results"]) == (50 if persona == "editor" else 1)


def test_article_detail_query_count_does_not_grow_with_claims(
    api, editor, reviewer, other_reviewer, article, django_assert_num_queries
):
    small = services.article_create(submitted_by=editor, body="Short article. Unemployment is 5%.", extract=False)
    add_claims(small, 2, assignees=[reviewer])
    add_claims(article, 60, assignees=[reviewer, other_reviewer])
    # 1 role lookup, 1 article with its submitter, 1 claims with their assignees
    for target, expected_claims in [(small, 2), (article, 79)]:
        api.force_authenticate(fresh(editor))
        with django_assert_num_queries(3):
            response = api.get(detail_url(target))
        assert len(response.json()["claims"]) == expected_claims


# --- Editing --------------------------------------------------------------------------------

EDITED = "The minister said exports doubled in 2024.\nImports fell by a third.\nFood prices rose 7% in May."


def _article_rows(article) -> tuple:
    """Everything a refused edit must leave as it was."""
    return (
        Article.objects.filter(pk=article.pk).values().get(),
        list(Claim.objects.filter(article=article).order_by("id").values_list("id", "start", "end", "stale")),
        Event.objects.count(),
    )


def test_editor_edits_details_without_re_extracting(api, editor2, article, django_capture_on_commit_callbacks):
    api.force_authenticate(editor2)
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.patch(detail_url(article), {"title": "  NATO summit  ", "outlet": "Wire", "published_on": None})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["title"], data["outlet"], data["version"], response["ETag"]) == ("NATO summit", "Wire", 2, '"2"')
    assert data["extraction_status"] == "done" and len(data["claims"]) == 19
    assert callbacks == []
    event = Event.objects.filter(article=article, action="article.updated").get()
    assert (event.actor, event.note) == (editor2, "Changed: title, outlet")
    assert (event.from_state, event.to_state) == ("done", "done")


def test_an_edit_that_changes_nothing_writes_nothing(api, editor, article):
    api.force_authenticate(editor)
    before = _article_rows(article)
    response = api.patch(detail_url(article), {"title": article.title, "outlet": "Example Wire"})
    assert response.status_code == 200 and response.json()["version"] == 1
    assert _article_rows(article) == before


def test_a_new_body_re_extracts_and_keeps_the_worked_claims(
    api, editor, reviewer, article, django_capture_on_commit_callbacks
):
    worked, untouched = article.claims.order_by("start")[:2]
    assign(worked, reviewer, editor)
    body = article.body.replace(worked.text, "").replace(untouched.text, "")
    api.force_authenticate(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.patch(detail_url(article), {"body": body}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 200, response.content
    assert (response.json()["extraction_status"], response.json()["version"]) == ("pending", 2)
    assert len(callbacks) == 1  # the extraction, after commit
    assert services.article_extract(article_id=article.pk) is not None
    article.refresh_from_db()
    assert article.extraction_status == Article.ExtractionStatus.DONE
    worked.refresh_from_db()
    assert worked.stale and worked.assignee == reviewer  # the work is kept, flagged
    assert not Claim.objects.filter(pk=untouched.pk).exists()
    for claim in article.claims.filter(stale=False):
        assert article.body[claim.start : claim.end] == claim.text  # the others followed the text


def test_editing_an_article_waiting_for_its_first_extraction_keeps_it_waiting(
    api, editor, django_capture_on_commit_callbacks
):
    article = services.article_create(submitted_by=editor, body="First draft.", extract=False)
    api.force_authenticate(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.patch(detail_url(article), {"body": EDITED, "title": ""})
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "The minister said exports doubled in 2024."  # "" falls back to line 1
    assert callbacks == []
    article.refresh_from_db()
    assert (article.body, article.extraction_requested_at) == (EDITED, None)


def test_an_edit_during_an_extraction_makes_the_run_store_nothing(editor, monkeypatch):
    """The worker extracts the old body while an editor saves a new one: its claims would be
    for text that is gone, so the run stores nothing and the re-queued run does the work."""
    article = services.article_create(submitted_by=editor, body=EDITED, extract=False)
    services.article_request_extraction(article=article, actor=editor)
    real_extract = services.extraction.extract

    def extract_while_editing(body):
        services.article_update(article=article, actor=editor, body="Something else entirely, 40% of it.")
        return real_extract(body)

    monkeypatch.setattr(services.extraction, "extract", extract_while_editing)
    assert services.article_extract(article_id=article.pk) is None
    article.refresh_from_db()
    assert (article.extraction_status, article.claims.count()) == (Article.ExtractionStatus.PENDING, 0)
    monkeypatch.setattr(services.extraction, "extract", real_extract)
    services.article_extract(article_id=article.pk)
    assert [c.text for c in article.claims.all()] == ["Something else entirely, 40% of it."]


def test_a_stale_version_is_a_409_conflict_and_changes_nothing(api, editor, editor2, article):
    api.force_authenticate(editor)
    assert api.patch(detail_url(article), {"outlet": "First"}, HTTP_IF_MATCH='"1"').status_code == 200
    before = _article_rows(article)
    api.force_authenticate(editor2)
    assert_error(api.patch(detail_url(article), {"outlet": "Second"}, HTTP_IF_MATCH='"1"'), 409, "conflict")
    assert_error(api.patch(detail_url(article), {"outlet": "Second", "version": 1}), 409, "conflict")
    assert _article_rows(article) == before
    response = api.get(detail_url(article))
    assert response["ETag"] == '"2"'
    assert api.patch(detail_url(article), {"outlet": "Second"}, HTTP_IF_MATCH=response["ETag"]).status_code == 200


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": None}, "body"),
        ({"body": "Bell\x07"}, "body"),
        ({"body": 12}, "body"),
        ({"title": "t" * 301}, "title"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"published_on": "yesterday"}, "published_on"),
        ({"outlet": ["a"]}, "outlet"),
        ({"version": 0}, "version"),
        ({"version": "one"}, "version"),
    ],
)
def test_bad_edits_are_400_naming_the_field_and_change_nothing(api, editor, article, payload, field):
    api.force_authenticate(editor)
    before = _article_rows(article)
    assert_error(api.patch(detail_url(article), payload), 400, "invalid", field)
    assert _article_rows(article) == before


def test_a_malformed_if_match_is_a_400(api, editor, article):
    api.force_authenticate(editor)
    assert_error(api.patch(detail_url(article), {"outlet": "X"}, HTTP_IF_MATCH="seven"), 400, "invalid", "If-Match")
    assert Article.objects.get(pk=article.pk).outlet == "Example Wire"


def test_who_may_edit_an_article(api, editor, reviewer, other_reviewer, outsider, admin_user, article):
    assign(article.claims.first(), reviewer, editor)
    before = _article_rows(article)
    assert_error(api.patch(detail_url(article), {"outlet": "X"}), 401, "not_authenticated")
    for user, status, code in [(outsider, 403, "permission_denied"), (reviewer, 403, "permission_denied")]:
        api.force_authenticate(user)
        assert_error(api.patch(detail_url(article), {"outlet": "X"}), status, code)
    api.force_authenticate(other_reviewer)
    assert_error(api.patch(detail_url(article), {"outlet": "X"}), 404, "not_found")
    assert _article_rows(article) == before
    api.force_authenticate(admin_user)
    assert api.patch(detail_url(article), {"outlet": "Admin"}).json()["outlet"] == "Admin"


# --- Filters and ordering of the list ---------------------------------------------------------


@pytest.fixture
def shelf(editor, editor2):
    """Four articles: different outlets, submitters, dates and extraction states."""
    specs = [
        ("Budget speech", "Example Times", editor, "2025-01-10", Article.ExtractionStatus.DONE),
        ("Crime figures", "example times", editor2, "2025-02-10", Article.ExtractionStatus.PENDING),
        ("Budget reply", "Other Post", editor, "2025-03-10", Article.ExtractionStatus.FAILED),
        ("Weather", "", editor2, "2025-04-10", Article.ExtractionStatus.RUNNING),
    ]
    made = {}
    for title, outlet, who, day, status in specs:
        art = services.article_create(submitted_by=who, title=title, outlet=outlet, body=f"{title}.", extract=False)
        when = datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC)
        Article.objects.filter(pk=art.pk).update(
            created_at=when, extraction_status=status, published_on=when.date() - datetime.timedelta(days=1)
        )
        made[title] = art.pk
    return made


def test_the_article_list_filters(api, editor2, shelf):
    api.force_authenticate(editor2)

    def titles(**params) -> list[str]:
        response = api.get(ARTICLES, params)
        assert response.status_code == 200, response.content
        return [a["title"] for a in response.json()["results"]]

    assert titles() == ["Weather", "Budget reply", "Crime figures", "Budget speech"]
    assert titles(extraction_status="pending") == ["Crime figures"]
    assert titles(extraction_status=["done", "failed"]) == ["Budget reply", "Budget speech"]
    assert titles(outlet="EXAMPLE TIMES") == ["Crime figures", "Budget speech"]
    assert titles(submitted_by=editor2.pk) == ["Weather", "Crime figures"]
    assert titles(submitted_after="2025-02-10", submitted_before="2025-04-10") == ["Budget reply", "Crime figures"]
    assert titles(submitted_after="2025-02-10T00:00:01Z") == ["Weather", "Budget reply"]
    assert titles(published_after="2025-03-09", published_before="2025-04-09") == ["Weather", "Budget reply"]
    assert titles(search="budget") == ["Budget reply", "Budget speech"]
    assert titles(search="budget", outlet="other post") == ["Budget reply"]
    assert titles(ordering="title") == ["Budget reply", "Budget speech", "Crime figures", "Weather"]
    assert titles(ordering="submitted") == ["Budget speech", "Crime figures", "Budget reply", "Weather"]
    assert titles(ordering="-published") == ["Weather", "Budget reply", "Crime figures", "Budget speech"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"extraction_status": "bogus"}, "extraction_status"),
        ({"submitted_after": "last week"}, "submitted_after"),
        ({"published_before": "2025-02-30"}, "published_before"),
        ({"submitted_by": "erin"}, "submitted_by"),
        ({"ordering": "body"}, "ordering"),
    ],
)
def test_bad_article_filters_are_400(api, editor, shelf, params, field):
    api.force_authenticate(editor)
    assert_error(api.get(ARTICLES, params), 400, "invalid", field)


def test_pages_of_equal_dates_never_repeat_or_skip_an_article(api, editor, shelf):
    Article.objects.update(created_at="2025-01-01T00:00:00Z")  # every sort key equal: the id decides
    api.force_authenticate(editor)
    seen = []
    for page in (1, 2):
        response = api.get(ARTICLES, {"page_size": 2, "page": page, "ordering": "submitted"})
        seen += [a["id"] for a in response.json()["results"]]
    assert sorted(seen) == sorted(shelf.values())
    assert_error(api.get(ARTICLES, {"page": 9}), 404, "not_found")


def test_article_list_query_count_does_not_grow_with_page_size(
    api, editor, editor2, article, django_assert_num_queries
):
    _make_articles(editor, editor2, 60)
    # 1 role lookup, 1 count, 1 page (claim counts annotated, submitter joined), whatever the page size
    for size, expected in [(5, 5), (50, 50), (500, 61)]:  # page_size is capped at 200
        api.force_authenticate(fresh(editor))
        with django_assert_num_queries(3):
            response = api.get(ARTICLES, {"page_size": size, "extraction_status": ["pending", "done"]})
        assert len(response.json()["results"]) == expected
