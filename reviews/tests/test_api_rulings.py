"""The rulings API: submit, approve (four eyes), return, publish, the ClaimReview output, the
rating scale, and the whole path from a pasted article to a published fact-check, with tokens."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from articles import services as article_services
from articles.models import Claim
from conftest import PASSWORD
from factcheck.roles import EDITORS, REVIEWERS
from factcheck.testing import assert_error
from reviews import services
from reviews.models import Rating, Ruling

pytestmark = pytest.mark.django_db
S = Claim.Status


def ruling_url(ruling, action: str = "") -> str:
    return f"/api/v1/rulings/{ruling.pk}/{action + '/' if action else ''}"


def submit_url(claim) -> str:
    return f"/api/v1/claims/{claim.pk}/ruling/"


VERDICT = {"rating": "mostly-true", "summary": "Türkiye has a large defence industry", "explanation": "SIPRI lists it."}


def status_of(ruling) -> tuple[str, str]:
    ruling.refresh_from_db()
    ruling.claim.refresh_from_db()
    return ruling.status, ruling.claim.status


@pytest.fixture
def sourced(assigned, reviewer):
    services.source_add(claim=assigned, actor=reviewer, title="SIPRI arms industry database", url="https://sipri.org/")
    return assigned


@pytest.fixture
def submitted(sourced, reviewer):
    rating = Rating.objects.get(slug=VERDICT["rating"])
    return services.ruling_submit(
        claim=sourced, actor=reviewer, rating=rating, summary=VERDICT["summary"], explanation=VERDICT["explanation"]
    )


@pytest.fixture
def approved(submitted, editor2):
    return services.ruling_approve(ruling=submitted, actor=editor2)


# --- Submitting -----------------------------------------------------------------------------


def test_reviewer_submits_a_ruling(api, reviewer, sourced):
    api.force_authenticate(reviewer)
    response = api.post(submit_url(sourced), VERDICT)
    assert response.status_code == 201, response.content
    data = response.json()
    ruling = Ruling.objects.get()
    assert data["id"] == ruling.pk and data["claim"] == sourced.pk
    assert (data["rating"], data["rating_name"]) == ("mostly-true", "Mostly true")
    assert (data["summary"], data["explanation"]) == (VERDICT["summary"], VERDICT["explanation"])
    assert (data["status"], data["reviewer"], data["approved_by"]) == ("submitted", "rita", None)
    assert data["approved_at"] is None and data["published_at"] is None and data["return_note"] == ""
    assert data["public_url"] is None and data["claimreview"] is None
    assert status_of(ruling) == ("submitted", S.SUBMITTED)


def test_a_ruling_needs_a_source_first(api, reviewer, assigned):
    api.force_authenticate(reviewer)
    assert_error(api.post(submit_url(assigned), VERDICT), 409, "source_required")
    assert not Ruling.objects.exists()
    assigned.refresh_from_db()
    assert assigned.status == S.ASSIGNED


@pytest.mark.parametrize("persona", ["editor", "editor2", "admin_user"])
def test_only_the_assigned_reviewer_submits(api, request, sourced, persona):
    api.force_authenticate(request.getfixturevalue(persona))
    assert_error(api.post(submit_url(sourced), VERDICT), 403, "permission_denied")
    assert not Ruling.objects.exists()


def test_another_reviewer_cannot_see_the_claim_to_rule_on_it(api, other_reviewer, sourced):
    api.force_authenticate(other_reviewer)
    assert_error(api.post(submit_url(sourced), VERDICT), 404, "not_found")
    assert not Ruling.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rating": "pants-on-fire"}, "rating"),
        ({"rating": None}, "rating"),
        ({"summary": ""}, "summary"),
        ({"summary": "   "}, "summary"),
        ({"summary": "s" * 201}, "summary"),
        ({"summary": 12}, "summary"),
        ({"explanation": ""}, "explanation"),
        ({"explanation": "nul\x00"}, "explanation"),
    ],
)
def test_bad_rulings_are_400(api, reviewer, sourced, change, field):
    api.force_authenticate(reviewer)
    assert_error(api.post(submit_url(sourced), {**VERDICT, **change}), 400, "invalid", field)
    assert not Ruling.objects.exists()
    sourced.refresh_from_db()
    assert sourced.status == S.IN_REVIEW


def test_retired_ratings_are_refused(api, reviewer, sourced):
    Rating.objects.filter(slug="mostly-true").update(active=False)
    api.force_authenticate(reviewer)
    assert_error(api.post(submit_url(sourced), VERDICT), 400, "invalid", "rating")
    assert not Ruling.objects.exists()


# --- Reading --------------------------------------------------------------------------------


def test_who_may_read_a_ruling(api, editor, reviewer, other_reviewer, outsider, submitted):
    assert_error(api.get(ruling_url(submitted)), 401, "not_authenticated")
    api.force_authenticate(outsider)
    assert_error(api.get(ruling_url(submitted)), 403, "permission_denied")
    api.force_authenticate(other_reviewer)
    assert_error(api.get(ruling_url(submitted)), 404, "not_found")
    for user in (editor, reviewer):
        api.force_authenticate(user)
        response = api.get(ruling_url(submitted))
        assert response.status_code == 200
        assert response.json()["id"] == submitted.pk


# --- Approving, returning, publishing -------------------------------------------------------


def test_an_editor_approves_a_ruling(api, editor2, submitted):
    api.force_authenticate(editor2)
    response = api.post(ruling_url(submitted, "approve"), {"note": "Solid"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["approved_by"]) == ("approved", "ed")
    assert data["approved_at"] is not None
    assert data["public_url"] is None
    assert status_of(submitted) == ("approved", S.APPROVED)


def test_the_reviewer_cannot_approve_their_own_ruling(api, reviewer, submitted):
    api.force_authenticate(reviewer)
    assert_error(api.post(ruling_url(submitted, "approve")), 403, "permission_denied")
    assert status_of(submitted) == ("submitted", S.SUBMITTED)


def test_an_editor_who_wrote_the_ruling_cannot_approve_it(api, editor, claim, django_user_model):
    """Four eyes: someone in both groups may write a ruling, but not approve that ruling."""
    both = django_user_model.objects.create_user(username="bo", password=PASSWORD)
    both.groups.add(Group.objects.get(name=EDITORS), Group.objects.get(name=REVIEWERS))
    services.claim_assign(claim=claim, reviewer=both, actor=editor)
    services.source_add(claim=claim, actor=both, title="A source")
    ruling = services.ruling_submit(
        claim=claim, actor=both, rating=Rating.objects.get(slug="true"), summary="S", explanation="E"
    )
    api.force_authenticate(both)
    error = assert_error(api.post(ruling_url(ruling, "approve")), 403, "permission_denied")
    assert "someone other than" in error["message"]
    assert_error(api.post(ruling_url(ruling, "return"), {"note": "Hmm"}), 403, "permission_denied")
    assert status_of(ruling) == ("submitted", S.SUBMITTED)


def test_other_reviewers_and_outsiders_cannot_touch_a_ruling(api, other_reviewer, outsider, submitted):
    for user, status, code in [(other_reviewer, 404, "not_found"), (outsider, 403, "permission_denied")]:
        api.force_authenticate(user)
        for action in ("approve", "return", "publish"):
            assert_error(api.post(ruling_url(submitted, action), {"note": "x"}), status, code)
    api.force_authenticate(None)
    for action in ("approve", "return", "publish"):
        assert_error(api.post(ruling_url(submitted, action), {"note": "x"}), 401, "not_authenticated")
    assert status_of(submitted) == ("submitted", S.SUBMITTED)


def test_publishing_before_approval_is_a_409(api, editor, submitted):
    api.force_authenticate(editor)
    assert_error(api.post(ruling_url(submitted, "publish")), 409, "invalid_transition")
    assert status_of(submitted) == ("submitted", S.SUBMITTED)
    assert submitted.published_at is None


def test_approving_twice_is_a_409(api, editor, approved):
    api.force_authenticate(editor)
    assert_error(api.post(ruling_url(approved, "approve")), 409, "invalid_transition")
    assert_error(api.post(ruling_url(approved, "return"), {"note": "Too late"}), 409, "invalid_transition")
    assert status_of(approved) == ("approved", S.APPROVED)


def test_an_editor_returns_a_ruling_and_the_reviewer_resubmits(api, editor, reviewer, submitted):
    api.force_authenticate(editor)
    assert_error(api.post(ruling_url(submitted, "return")), 400, "invalid", "note")
    assert_error(api.post(ruling_url(submitted, "return"), {"note": ""}), 400, "invalid", "note")
    assert status_of(submitted) == ("submitted", S.SUBMITTED)
    response = api.post(ruling_url(submitted, "return"), {"note": "Cite the 2024 figures."})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["return_note"]) == ("returned", "Cite the 2024 figures.")
    assert status_of(submitted) == ("returned", S.RETURNED)

    api.force_authenticate(reviewer)
    response = api.post(submit_url(submitted.claim), {**VERDICT, "rating": "half-true"})
    assert response.status_code == 201, response.content
    claim = api.get(f"/api/v1/claims/{submitted.claim_id}/").json()
    assert [(r["rating"], r["status"]) for r in claim["rulings"]] == [
        ("half-true", "submitted"),
        ("mostly-true", "returned"),
    ]


def test_reviewers_cannot_publish(api, reviewer, approved):
    api.force_authenticate(reviewer)
    assert_error(api.post(ruling_url(approved, "publish")), 403, "permission_denied")
    assert status_of(approved) == ("approved", S.APPROVED)


def test_publishing_returns_the_public_url_and_claimreview(api, editor, approved, settings):
    api.force_authenticate(editor)
    response = api.post(ruling_url(approved, "publish"))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "published" and data["published_at"]
    assert data["public_url"] == f"{settings.SITE_URL}/fact-checks/{approved.pk}/"
    review = data["claimreview"]
    assert review["@type"] == "ClaimReview"
    assert review["url"] == data["public_url"]
    assert review["claimReviewed"] == VERDICT["summary"]
    rating = {"@type": "Rating", "alternateName": "Mostly true", "ratingValue": 4, "bestRating": 5, "worstRating": 1}
    assert review["reviewRating"] == rating
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Mark Rutte"}
    assert review["author"]["name"] == settings.FACTCHECK_ORG_NAME
    assert review["datePublished"] == data["published_at"][:10]
    assert status_of(approved) == ("published", S.PUBLISHED)
    assert_error(api.post(ruling_url(approved, "publish")), 409, "invalid_transition")


def test_a_published_claims_page_carries_the_claimreview(api, editor, approved, django_assert_num_queries):
    services.ruling_publish(ruling=approved, actor=editor)
    api.force_authenticate(get_user_model().objects.get(pk=editor.pk))
    # the claim page's six queries, plus the rating scale's bounds for the ClaimReview
    with django_assert_num_queries(7):
        data = api.get(f"/api/v1/claims/{approved.claim_id}/").json()
    assert data["status"] == "published" and data["available_actions"] == ["correct"]
    assert data["rulings"][0]["claimreview"]["claimReviewed"] == VERDICT["summary"]


# --- The rating scale -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["editor", "reviewer", "other_reviewer", "admin_user"])
def test_newsroom_users_read_the_rating_scale(api, request, persona):
    Rating.objects.filter(slug="unproven").update(active=False)
    api.force_authenticate(request.getfixturevalue(persona))
    response = api.get("/api/v1/ratings/")
    assert response.status_code == 200
    scale = response.json()
    assert [r["slug"] for r in scale] == ["true", "mostly-true", "half-true", "mostly-false", "false", "misleading"]
    assert scale[0] == {
        "slug": "true", "name": "True", "value": 5, "order": 0, "colour": "#15803d",
        "description": "Accurate, with nothing significant missing.",
    }  # fmt: skip
    assert scale[-1]["value"] is None


def test_the_rating_scale_is_closed_to_outsiders(api, outsider):
    assert_error(api.get("/api/v1/ratings/"), 401, "not_authenticated")
    api.force_authenticate(outsider)
    assert_error(api.get("/api/v1/ratings/"), 403, "permission_denied")


# --- The whole path -------------------------------------------------------------------------


def _token_client(username: str) -> APIClient:
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def test_the_whole_path_over_the_api_with_tokens(editor, editor2, reviewer, seed_text, settings):
    erin, ed, rita = (_token_client(name) for name in ("erin", "ed", "rita"))

    # An editor submits the article; the worker (called in-process here) extracts its claims.
    response = erin.post(
        "/api/v1/articles/",
        {"title": "NATO summit", "body": seed_text, "outlet": "Example Wire", "published_on": "2025-06-24"},
        format="json",
    )
    assert response.status_code == 201, response.content
    article_id = response.json()["id"]
    assert response.json()["extraction_status"] == "pending"
    article_services.article_extract(article_id=article_id)
    assert erin.get(f"/api/v1/articles/{article_id}/").json()["extraction_status"] == "done"

    # The queue, check-worthy claims only: pick one with a named speaker.
    queue = erin.get("/api/v1/claims/", {"article": article_id, "checkworthy": "true"}).json()
    assert queue["count"] > 0
    claim = next(c for c in queue["results"] if c["speaker"])
    base = f"/api/v1/claims/{claim['id']}/"

    assert erin.post(f"{base}accept/", {"note": "Check this"}, format="json").json()["status"] == "accepted"
    response = erin.post(f"{base}assign/", {"reviewer": reviewer.pk, "priority": 3}, format="json")
    assert response.json()["status"] == "assigned" and response.json()["assignee_username"] == "rita"

    # The reviewer finds it in their queue, adds a source and submits a ruling.
    assert [c["id"] for c in rita.get("/api/v1/claims/").json()["results"]] == [claim["id"]]
    assert rita.get(base).json()["available_actions"] == ["start", "submit"]
    response = rita.post(
        f"{base}sources/", {"title": "Official figures", "url": "https://example.org/data"}, format="json"
    )
    assert response.status_code == 201, response.content
    response = rita.post(
        f"{base}ruling/", {"rating": "false", "summary": "A checked claim", "explanation": "Because."}, format="json"
    )
    assert response.status_code == 201, response.content
    ruling_id = response.json()["id"]

    # Four eyes: the reviewer cannot approve; a second editor does; then it is published.
    assert_error(rita.post(f"/api/v1/rulings/{ruling_id}/approve/", {}, format="json"), 403, "permission_denied")
    assert ed.post(f"/api/v1/rulings/{ruling_id}/approve/", {}, format="json").json()["status"] == "approved"
    response = erin.post(f"/api/v1/rulings/{ruling_id}/publish/")
    assert response.status_code == 200, response.content

    ruling = rita.get(f"/api/v1/rulings/{ruling_id}/").json()
    assert ruling["status"] == "published"
    assert ruling["public_url"] == f"{settings.SITE_URL}/fact-checks/{ruling_id}/"
    review = ruling["claimreview"]
    assert review["claimReviewed"] == "A checked claim"
    assert review["reviewRating"]["alternateName"] == "False"
    assert review["itemReviewed"]["author"]["name"] == claim["speaker"]
    assert review["itemReviewed"]["datePublished"] == "2025-06-24"
    assert review["author"]["name"] == settings.FACTCHECK_ORG_NAME
    assert review["datePublished"] == ruling["published_at"][:10]

    history = [e["action"] for e in erin.get(base).json()["events"]]
    assert history == [
        "claim.accept",
        "claim.assign",
        "claim.start",
        "source.added",
        "claim.submit",
        "claim.approve",
        "claim.publish",
    ]
