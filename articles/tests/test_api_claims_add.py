"""Hand-made claims through the API: POST /articles/{id}/claims/ adds one, POST
/claims/{id}/recut/ moves its boundaries; the same rules as the article page (editors only,
no overlap, no re-cut once a reviewer has the claim), versions and ETags, the error format."""

import pytest

from articles import services
from articles.models import Article, Claim
from reviews import services as review_services
from reviews.models import Event

pytestmark = pytest.mark.django_db

BODY = "Intro words here.\nThe minister said unemployment fell by 3% in 2023.\nPrices rose 5% last year, the bank said."
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)> The rate rose 9% in 2024."


def _article(editor, body=BODY, extract=True) -> Article:
    article = services.article_create(submitted_by=editor, body=body, extract=False)
    if extract:
        services.article_extract(article_id=article.pk)
    article.refresh_from_db()
    return article


def _claim(article, prefix: str) -> Claim:
    return article.claims.get(text__startswith=prefix)


def add_url(article) -> str:
    return f"/api/v1/articles/{article.pk}/claims/"


def recut_url(claim) -> str:
    return f"/api/v1/claims/{claim.pk}/recut/"


def _snapshot(article) -> tuple:
    rows = Claim.objects.filter(article=article).order_by("pk")
    return list(rows.values_list("pk", "start", "end", "text", "status", "version")), Event.objects.count()


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    if field is not None:
        assert field in error["fields"], error
    return error


# --- Adding a claim --------------------------------------------------------------------------


def test_an_editor_adds_a_claim_by_offsets_and_gets_it_with_its_etag(api, editor):
    article = _article(editor, extract=False)
    start, end = BODY.index("The minister"), BODY.index("2023.") + 5
    api.force_authenticate(editor)
    # Whitespace around the selection is trimmed, as on the article page.
    response = api.post(add_url(article), {"start": start - 1, "end": end + 1}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    claim = Claim.objects.get(article=article)
    assert data["id"] == claim.pk and response["ETag"] == f'"{claim.version}"'
    assert (data["start"], data["end"], data["text"]) == (start, end, BODY[start:end])
    assert data["status"] == "candidate" and data["article"] == article.pk
    assert {"accept", "reject", "merge"} <= set(data["available_actions"])
    assert [e["action"] for e in data["events"]] == ["claim.added"]
    assert Event.objects.get(claim=claim, action="claim.added").actor == editor


def test_an_editor_adds_a_claim_by_its_text(api, editor):
    article = _article(editor, extract=False)
    api.force_authenticate(editor)
    response = api.post(add_url(article), {"text": "Prices rose 5% last year"}, format="json")
    assert response.status_code == 201, response.content
    assert Claim.objects.get(article=article).text == "Prices rose 5% last year"


def test_offsets_and_text_together_must_agree(api, editor):
    article = _article(editor, extract=False)
    api.force_authenticate(editor)
    ok = api.post(add_url(article), {"start": 0, "end": 17, "text": "Intro words here."}, format="json")
    assert ok.status_code == 201
    other = _article(editor, extract=False)
    bad = api.post(add_url(other), {"start": 0, "end": 17, "text": "Intro words"}, format="json")
    assert "not what the article says" in assert_error(bad, 400, "invalid", "text")["message"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"start": 3}, "end"),
        ({"end": 3}, "end"),
        ({"start": -1, "end": 5}, "start"),
        ({"start": "a", "end": "b"}, "start"),
        ({"start": True, "end": 5}, "start"),
        ({"start": None, "end": 5}, "start"),
        ({"start": 0, "end": 9999}, "start"),
        ({"start": 17, "end": 18}, "start"),  # only the line break
        ({"text": 42}, "text"),
        ({"text": ["Prices"]}, "text"),
        ({"text": "x" * 20_001}, "text"),
        ({"text": "Nowhere in the text"}, "text"),
        ({"text": "\x00Prices"}, "text"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_adds_nothing(api, editor, data, field):
    article = _article(editor, extract=False)
    api.force_authenticate(editor)
    assert_error(api.post(add_url(article), data, format="json"), 400, "invalid", field)
    assert not Claim.objects.filter(article=article).exists()
    assert not Event.objects.filter(action="claim.added").exists()


def test_malformed_json_is_a_parse_error(api, editor):
    article = _article(editor, extract=False)
    api.force_authenticate(editor)
    response = api.post(add_url(article), "{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")
    assert not Claim.objects.filter(article=article).exists()


def test_a_span_overlapping_a_claim_is_refused_with_the_claim_named(api, editor):
    article = _article(editor)
    claim = _claim(article, "The minister")
    before = _snapshot(article)
    api.force_authenticate(editor)
    response = api.post(add_url(article), {"start": claim.start + 4, "end": claim.end + 3}, format="json")
    assert f"overlaps claim {claim.pk}" in assert_error(response, 400, "invalid", "start")["message"]
    assert _snapshot(article) == before


def test_who_may_add_claims(api, editor, editor2, reviewer, other_reviewer, outsider, admin_user):
    article = _article(editor, extract=False)
    prices = review_services.claim_add(article=article, actor=editor, text="Prices rose 5% last year")
    review_services.claim_assign(claim=prices, reviewer=reviewer, actor=editor)
    before = _snapshot(article)
    body = {"text": "Intro words here."}
    assert_error(api.post(add_url(article), body, format="json"), 401, "not_authenticated")
    # The assigned reviewer sees the article but may not add claims; the other reviewer does not see it.
    for person, status, code in (
        (reviewer, 403, "permission_denied"),
        (other_reviewer, 404, "not_found"),
        (outsider, 403, "permission_denied"),
    ):
        api.force_authenticate(person)
        assert_error(api.post(add_url(article), body, format="json"), status, code)
    assert _snapshot(article) == before
    api.force_authenticate(editor)
    assert_error(api.post("/api/v1/articles/999999/claims/", body, format="json"), 404, "not_found")
    for person in (editor2, admin_user):
        api.force_authenticate(person)
        text = "Intro words here." if person == editor2 else "The minister said"
        response = api.post(add_url(article), {"text": text}, format="json")
        assert response.status_code == 201, (person, response.content)


def test_hostile_text_is_stored_verbatim_and_returned_as_json_text(api, editor):
    article = _article(editor, body=HOSTILE, extract=False)
    api.force_authenticate(editor)
    response = api.post(add_url(article), {"text": HOSTILE}, format="json")
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["text"] == HOSTILE
    assert Claim.objects.get(article=article).text == HOSTILE


def test_only_post_is_allowed(api, editor):
    article = _article(editor)
    api.force_authenticate(editor)
    assert_error(api.get(add_url(article)), 405, "method_not_allowed")


# --- Re-cutting a claim ----------------------------------------------------------------------


def test_an_editor_recuts_a_claim_by_offsets_with_its_version(api, editor):
    article = _article(editor)
    claim = _claim(article, "Prices")
    api.force_authenticate(editor)
    end = BODY.index("year,") + 4
    response = api.post(recut_url(claim), {"start": claim.start, "end": end, "version": claim.version}, format="json")
    assert response.status_code == 200, response.content
    claim.refresh_from_db()
    assert (claim.text, claim.version) == ("Prices rose 5% last year", 2)
    assert response.json()["text"] == claim.text and response["ETag"] == '"2"'
    event = Event.objects.get(claim=claim, action="claim.recut")
    assert event.actor == editor and "Prices rose 5% last year" in event.note


def test_an_editor_recuts_a_claim_by_its_text_with_if_match(api, editor):
    article = _article(editor)
    claim = _claim(article, "The minister")
    api.force_authenticate(editor)
    response = api.post(
        recut_url(claim), {"text": "unemployment fell by 3% in 2023."}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200, response.content
    claim.refresh_from_db()
    assert claim.text == "unemployment fell by 3% in 2023." and claim.version == 2


def test_the_same_span_again_changes_nothing(api, editor):
    article = _article(editor)
    claim = _claim(article, "Prices")
    api.force_authenticate(editor)
    before = _snapshot(article)
    response = api.post(recut_url(claim), {"start": claim.start, "end": claim.end}, format="json")
    assert response.status_code == 200 and response["ETag"] == f'"{claim.version}"'
    assert _snapshot(article) == before


def test_a_stale_version_is_a_conflict_and_changes_nothing(api, editor, editor2):
    article = _article(editor)
    claim = _claim(article, "Prices")
    review_services.claim_accept(claim=claim, actor=editor2)
    before = _snapshot(article)
    api.force_authenticate(editor)
    assert_error(api.post(recut_url(claim), {"text": "Prices rose 5%", "version": 1}, format="json"), 409, "conflict")
    response = api.post(recut_url(claim), {"text": "Prices rose 5%"}, format="json", HTTP_IF_MATCH='"1"')
    assert_error(response, 409, "conflict")
    assert _snapshot(article) == before


def test_a_claim_with_reviewer_work_cannot_be_recut(api, editor, reviewer):
    article = _article(editor)
    claim = review_services.claim_assign(claim=_claim(article, "Prices"), reviewer=reviewer, actor=editor)
    before = _snapshot(article)
    api.force_authenticate(editor)
    response = api.post(recut_url(claim), {"start": claim.start, "end": claim.end - 6}, format="json")
    assert "can no longer be changed" in assert_error(response, 409, "invalid_transition")["message"]
    assert _snapshot(article) == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "text"),
        ({"start": 3}, "end"),
        ({"start": 0, "end": 9999}, "start"),
        ({"text": "Nowhere in the text"}, "text"),
        ({"text": 7}, "text"),
        ({"text": "Prices", "version": 0}, "version"),
        ({"text": "Prices", "version": "x"}, "version"),
    ],
)
def test_bad_recut_input_is_a_400_and_changes_nothing(api, editor, data, field):
    article = _article(editor)
    claim = _claim(article, "Prices")
    before = _snapshot(article)
    api.force_authenticate(editor)
    assert_error(api.post(recut_url(claim), data, format="json"), 400, "invalid", field)
    assert _snapshot(article) == before


def test_a_malformed_if_match_is_a_400(api, editor):
    article = _article(editor)
    claim = _claim(article, "Prices")
    api.force_authenticate(editor)
    response = api.post(recut_url(claim), {"text": "Prices rose 5%"}, format="json", HTTP_IF_MATCH="yesterday")
    assert_error(response, 400, "invalid", "If-Match")


def test_a_recut_over_another_claim_is_refused(api, editor):
    article = _article(editor)
    first, second = _claim(article, "The minister"), _claim(article, "Prices")
    before = _snapshot(article)
    api.force_authenticate(editor)
    response = api.post(recut_url(first), {"start": first.start, "end": second.start + 6}, format="json")
    assert f"overlaps claim {second.pk}" in assert_error(response, 400, "invalid", "start")["message"]
    assert _snapshot(article) == before


def test_who_may_recut(api, editor, editor2, reviewer, other_reviewer, outsider):
    article = _article(editor)
    claim = review_services.claim_assign(claim=_claim(article, "Prices"), reviewer=reviewer, actor=editor)
    free = _claim(article, "The minister")
    before = _snapshot(article)
    body = {"text": "Prices rose 5%"}
    assert_error(api.post(recut_url(claim), body, format="json"), 401, "not_authenticated")
    for person, status, code in (
        (reviewer, 403, "permission_denied"),  # their own claim: seen, but editors re-cut
        (other_reviewer, 404, "not_found"),
        (outsider, 403, "permission_denied"),
    ):
        api.force_authenticate(person)
        assert_error(api.post(recut_url(claim), body, format="json"), status, code)
    api.force_authenticate(other_reviewer)
    assert_error(api.post(recut_url(free), {"text": "The minister said"}, format="json"), 404, "not_found")
    api.force_authenticate(editor)
    assert_error(api.post("/api/v1/claims/999999/recut/", body, format="json"), 404, "not_found")
    assert _snapshot(article) == before
    api.force_authenticate(editor2)
    assert api.post(recut_url(free), {"text": "The minister said"}, format="json").status_code == 200
