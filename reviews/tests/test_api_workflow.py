"""The workflow API beyond the basic path: editing a claim, merging, starting, taking, bulk and
auto-assignment, reviewers' workloads, comments, drafts, corrections, source edits, versions
(`version`, If-Match, ETag) and the overdue filter. Every endpoint is tried by every persona;
refused writes leave the rows as they were."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import Claim
from factcheck.testing import assert_error, fresh
from reviews import services
from reviews.models import Assignment, Comment, Event, Rating, ReviewerProfile, Ruling, Source

pytestmark = pytest.mark.django_db
S = Claim.Status

CLAIMS = "/api/v1/claims/"
BULK = "/api/v1/claims/assign/"
AUTO = "/api/v1/claims/auto-assign/"
REVIEWERS = "/api/v1/reviewers/"
VERDICT = {"rating": "mostly-true", "summary": "Türkiye has a large defence industry", "explanation": "SIPRI lists it."}


def url(claim, action: str = "") -> str:
    return f"{CLAIMS}{claim.pk}/{action + '/' if action else ''}"


def ruling_url(ruling, action: str = "") -> str:
    return f"/api/v1/rulings/{ruling.pk}/{action + '/' if action else ''}"


def assert_ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def rows() -> tuple:
    """Everything a refused write must leave as it was."""
    return (
        list(
            Claim.objects.order_by("id").values_list(
                "id", "status", "assignee_id", "priority", "due_date", "merged_into_id", "version"
            )
        ),
        list(Source.objects.order_by("id").values_list("id", "title", "url", "kind")),
        list(Ruling.objects.order_by("id").values_list("id", "status", "version", "summary")),
        Comment.objects.count(),
        Assignment.objects.count(),
        Event.objects.count(),
    )


def state(claim) -> tuple:
    claim.refresh_from_db()
    return claim.status, claim.assignee_id, claim.priority, claim.due_date, claim.version


@pytest.fixture
def other_claim(article, claim):
    return article.claims.exclude(pk=claim.pk).order_by("start").first()


@pytest.fixture
def source(assigned, reviewer):
    return services.source_add(claim=assigned, actor=reviewer, title="SIPRI arms database", url="https://sipri.org/")


@pytest.fixture
def submitted(source, reviewer):
    return services.ruling_submit(
        claim=source.claim, actor=reviewer, rating=Rating.objects.get(slug="mostly-true"), summary="S", explanation="E"
    )


@pytest.fixture
def published(submitted, editor, editor2):
    services.ruling_approve(ruling=submitted, actor=editor2)
    return services.ruling_publish(ruling=submitted, actor=editor)


# --- Who may, on every new endpoint ----------------------------------------------------------


def _claim_requests(claim, source, ruling):
    """The new endpoints on one claim, its source and its ruling."""
    return [
        ("patch", url(claim), {"priority": 4}),
        ("post", url(claim, "merge"), {"into": claim.pk + 1}),
        ("post", url(claim, "start"), {}),
        ("post", url(claim, "take"), {}),
        ("get", url(claim, "comments"), None),
        ("post", url(claim, "comments"), {"body": "Hello"}),
        ("post", url(claim, "ruling"), {**VERDICT, "draft": True}),
        ("patch", f"/api/v1/sources/{source.pk}/", {"title": "Renamed"}),
        ("post", ruling_url(ruling, "correct"), {**VERDICT, "correction_note": "Fixed"}),
    ]


def _editor_requests(claim):
    return [
        ("post", BULK, {"claims": [claim.pk], "reviewer": claim.assignee_id}),
        ("post", AUTO, {"claims": [claim.pk]}),
        ("get", REVIEWERS, None),
    ]


def test_anonymous_clients_get_401_on_every_new_endpoint(api, published):
    claim = published.claim
    before = rows()
    for method, path, data in _claim_requests(claim, claim.sources.get(), published) + _editor_requests(claim):
        assert_error(getattr(api, method)(path, data), 401, "not_authenticated")
    assert rows() == before


def test_users_without_a_newsroom_role_get_403_on_every_new_endpoint(api, outsider, published):
    claim = published.claim
    before = rows()
    api.force_authenticate(outsider)
    for method, path, data in _claim_requests(claim, claim.sources.get(), published) + _editor_requests(claim):
        assert_error(getattr(api, method)(path, data), 403, "permission_denied")
    assert rows() == before


def test_another_reviewer_gets_404_on_a_claim_not_theirs_and_403_on_editor_endpoints(api, other_reviewer, published):
    claim = published.claim
    before = rows()
    api.force_authenticate(other_reviewer)
    for method, path, data in _claim_requests(claim, claim.sources.get(), published):
        assert_error(getattr(api, method)(path, data), 404, "not_found")
    for method, path, data in _editor_requests(claim):
        assert_error(getattr(api, method)(path, data), 403, "permission_denied")
    assert rows() == before


def test_the_assignee_is_refused_the_editors_actions(api, reviewer, other_reviewer, published):
    claim = published.claim
    before = rows()
    api.force_authenticate(reviewer)
    assert_error(api.patch(url(claim), {"priority": 4}), 403, "permission_denied")
    # Merging names another claim, and a reviewer sees none but their own.
    assert_error(api.post(url(claim, "merge"), {"into": claim.pk + 1}), 400, "invalid", "into")
    assert_error(
        api.post(ruling_url(published, "correct"), {**VERDICT, "correction_note": "x"}), 403, "permission_denied"
    )
    for method, path, data in _editor_requests(claim):
        assert_error(getattr(api, method)(path, data), 403, "permission_denied")
    # Their own claim, but no longer under review: the workflow refuses, in its own words.
    assert_error(api.post(url(claim, "start")), 409, "invalid_transition")
    assert_error(api.post(url(claim, "ruling"), {**VERDICT, "draft": True}), 409, "invalid_transition")
    assert_error(api.patch(f"/api/v1/sources/{claim.sources.get().pk}/", {"title": "x"}), 409, "invalid_transition")
    assert rows() == before


# --- Editing a claim, versions, ETag and If-Match --------------------------------------------


def test_editor_changes_priority_and_due_date(api, editor, claim):
    api.force_authenticate(editor)
    response = api.patch(url(claim), {"priority": 4, "due_date": "2030-01-31", "note": "Election week"})
    data = assert_ok(response)
    assert (data["priority"], data["due_date"], data["version"]) == (4, "2030-01-31", 2)
    assert response["ETag"] == '"2"'
    assert data["events"][-1]["action"] == "claim.updated" and "Election week" in data["events"][-1]["note"]
    assert state(claim) == (S.CANDIDATE, None, 4, datetime.date(2030, 1, 31), 2)

    # Only what is sent changes; null clears the due date.
    data = assert_ok(api.patch(url(claim), {"due_date": None, "version": 2}))
    assert (data["priority"], data["due_date"], data["version"]) == (4, None, 3)


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"priority": 9}, "priority"), ({"priority": "high"}, "priority"), ({"due_date": "soon"}, "due_date"),
     ({"version": 0}, "version"), ({"version": "one"}, "version")],
)  # fmt: skip
def test_bad_claim_edits_are_400_and_change_nothing(api, editor, claim, payload, field):
    before = rows()
    api.force_authenticate(editor)
    assert_error(api.patch(url(claim), payload), 400, "invalid", field)
    assert rows() == before


def test_a_stale_version_is_a_409_conflict_and_changes_nothing(api, editor, claim):
    api.force_authenticate(editor)
    assert_ok(api.patch(url(claim), {"priority": 3}))
    before = rows()
    error = assert_error(api.patch(url(claim), {"priority": 1, "version": 1}), 409, "conflict")
    assert "version 1, now 2" in error["message"]
    assert_error(api.post(url(claim, "reject"), {"version": 1}), 409, "conflict")
    assert_error(api.patch(url(claim), {"priority": 1}, HTTP_IF_MATCH='"1"'), 409, "conflict")
    assert rows() == before
    assert state(claim)[0] == S.CANDIDATE


def test_if_match_carries_the_version_and_the_etag_answers_it(api, editor, claim):
    api.force_authenticate(editor)
    etag = api.get(url(claim))["ETag"]
    assert etag == '"1"'
    response = api.post(url(claim, "accept"), {}, HTTP_IF_MATCH=etag)
    assert assert_ok(response)["status"] == "accepted"
    assert response["ETag"] == '"2"'
    assert_ok(api.patch(url(claim), {"priority": 1}, HTTP_IF_MATCH='W/"2"'))  # a weak tag is read the same
    assert_ok(api.patch(url(claim), {"priority": 2}, HTTP_IF_MATCH="*"))
    assert_error(api.patch(url(claim), {"priority": 3}, HTTP_IF_MATCH='"abc"'), 400, "invalid", "If-Match")
    # The body's version wins over the header.
    assert_ok(api.patch(url(claim), {"priority": 3, "version": 4}, HTTP_IF_MATCH='"1"'))
    assert state(claim)[2:] == (3, None, 5)


def test_two_clients_editing_the_same_claim_version_the_second_gets_a_conflict(editor, editor2, claim):
    erin, ed = APIClient(), APIClient()
    erin.force_authenticate(editor)
    ed.force_authenticate(editor2)
    version = erin.get(url(claim)).json()["version"]
    assert ed.get(url(claim)).json()["version"] == version

    first = erin.patch(url(claim), {"priority": 4, "due_date": "2030-02-01", "version": version})
    assert first.status_code == 200, first.content
    second = ed.patch(url(claim), {"priority": 1, "due_date": None, "version": version})
    assert_error(second, 409, "conflict")

    assert state(claim) == (S.CANDIDATE, None, 4, datetime.date(2030, 2, 1), version + 1)
    assert Event.objects.filter(claim=claim, action="claim.updated").count() == 1


def test_versions_guard_assignment_too(api, editor, reviewer, other_reviewer, assigned):
    api.force_authenticate(editor)
    version = api.get(url(assigned)).json()["version"]
    assert_ok(api.post(url(assigned, "assign"), {"reviewer": other_reviewer.pk, "version": version}))
    before = rows()
    assert_error(api.post(url(assigned, "assign"), {"reviewer": reviewer.pk, "version": version}), 409, "conflict")
    assert rows() == before


# --- Merge, start, take ----------------------------------------------------------------------


def test_editor_merges_a_duplicate(api, editor, claim, other_claim):
    api.force_authenticate(editor)
    data = assert_ok(api.post(url(claim, "merge"), {"into": other_claim.pk, "version": 1}))
    assert (data["status"], data["merged_into"], data["version"]) == ("merged", other_claim.pk, 2)
    assert data["events"][-1]["note"] == f"into claim {other_claim.pk}"
    assert data["available_actions"] == []


@pytest.mark.parametrize("into", ["self", 999999, "abc", None])
def test_bad_merges_are_400_and_change_nothing(api, editor, claim, into):
    before = rows()
    api.force_authenticate(editor)
    assert_error(api.post(url(claim, "merge"), {"into": claim.pk if into == "self" else into}), 400, "invalid", "into")
    assert rows() == before


def test_merging_a_claim_under_review_or_at_a_stale_version_is_a_409(api, editor, assigned, other_claim, claim):
    api.force_authenticate(editor)
    before = rows()
    assert_error(api.post(url(assigned, "merge"), {"into": other_claim.pk}), 409, "invalid_transition")
    assert_error(api.post(url(other_claim, "merge"), {"into": assigned.pk, "version": 7}), 409, "conflict")
    assert rows() == before


def test_the_assignee_starts_the_review(api, editor, reviewer, assigned):
    api.force_authenticate(editor)
    before = rows()
    assert_error(api.post(url(assigned, "start")), 403, "permission_denied")
    api.force_authenticate(reviewer)
    assert_error(api.post(url(assigned, "start"), {"version": 1}), 409, "conflict")
    assert rows() == before
    response = api.post(url(assigned, "start"), {"version": assigned.version})
    data = assert_ok(response)
    assert (data["status"], data["available_actions"]) == ("in_review", ["submit"])
    assert response["ETag"] == f'"{data["version"]}"'
    assert_error(api.post(url(assigned, "start")), 409, "invalid_transition")


@pytest.fixture
def accepted(claim, editor):
    return services.claim_accept(claim=claim, actor=editor)


def test_reviewers_cannot_take_claims_unless_the_desk_allows_it(api, reviewer, accepted, settings):
    settings.REVIEWER_SELF_ASSIGN = False
    before = rows()
    api.force_authenticate(reviewer)
    error = assert_error(api.post(url(accepted, "take")), 403, "permission_denied")
    assert "does not let reviewers" in error["message"]
    assert rows() == before


def test_a_reviewer_takes_an_accepted_claim(api, reviewer, other_reviewer, accepted, other_claim, settings):
    settings.REVIEWER_SELF_ASSIGN = True
    api.force_authenticate(reviewer)
    assert_error(api.post(url(other_claim, "take")), 404, "not_found")  # a candidate: not open to take
    assert_error(api.post(url(accepted, "take"), {"version": 1}), 409, "conflict")
    data = assert_ok(api.post(url(accepted, "take"), {"version": accepted.version}))
    assert (data["status"], data["assignee_username"]) == ("assigned", "rita")
    assert Assignment.objects.get(active=True).assigned_by_id == reviewer.pk
    # Taken: no longer open to the others.
    api.force_authenticate(other_reviewer)
    assert_error(api.post(url(accepted, "take")), 404, "not_found")


def test_editors_assign_rather_than_take(api, editor, accepted, settings):
    settings.REVIEWER_SELF_ASSIGN = True
    before = rows()
    api.force_authenticate(editor)
    assert_error(api.post(url(accepted, "take")), 403, "permission_denied")
    assert rows() == before


# --- Bulk and auto-assignment ----------------------------------------------------------------


def test_bulk_assign_assigns_the_good_claims_and_refuses_the_rest(api, editor, reviewer, article, claim):
    good = list(article.claims.exclude(pk=claim.pk).order_by("start")[:3])
    services.claim_accept(claim=good[0], actor=editor)
    services.claim_reject(claim=claim, actor=editor)
    untouched = {c.pk: state(c) for c in [claim]}
    api.force_authenticate(editor)
    ids = [good[0].pk, claim.pk, 999999, good[1].pk, good[1].pk, good[2].pk]
    data = assert_ok(api.post(BULK, {"claims": ids, "reviewer": reviewer.pk, "priority": 3, "due_date": "2030-03-01"}))
    assert data["assigned"] == [good[0].pk, good[1].pk, good[2].pk]
    assert [(r["claim"], r["code"]) for r in data["refused"]] == [
        (999999, "not_found"),
        (claim.pk, "invalid_transition"),
    ]
    assert "rejected" in data["refused"][1]["message"]
    for c in good:
        assert state(c)[:4] == (S.ASSIGNED, reviewer.pk, 3, datetime.date(2030, 3, 1))
    assert {c.pk: state(c) for c in [claim]} == untouched
    assert Assignment.objects.filter(claim=claim).count() == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"claims": []}, "claims"), ({"claims": "1"}, "claims"), ({"claims": ["x"]}, "claims.0"),
     ({"claims": None}, "claims"), ({"reviewer": None}, "reviewer"), ({"reviewer": "editor2"}, "reviewer"),
     ({"priority": 8}, "priority")],
)  # fmt: skip
def test_bad_bulk_assignments_are_400_and_change_nothing(api, request, editor, reviewer, claim, payload, field):
    body = {"claims": [claim.pk], "reviewer": reviewer.pk, **payload}
    if body["reviewer"] == "editor2":
        body["reviewer"] = request.getfixturevalue("editor2").pk
    before = rows()
    api.force_authenticate(editor)
    assert_error(api.post(BULK, body), 400, "invalid", field)
    assert rows() == before


def test_auto_assign_gives_claims_to_the_least_loaded_reviewers_up_to_their_cap(
    api, editor, reviewer, other_reviewer, article, settings
):
    settings.REVIEWER_MAX_OPEN = 2
    ReviewerProfile.objects.create(user=other_reviewer, max_open=1)
    claims = list(article.claims.order_by("start")[:4])
    for c in claims:
        services.claim_accept(claim=c, actor=editor)
    services.claim_assign(claim=claims[0], reviewer=reviewer, actor=editor)  # rita starts with one
    api.force_authenticate(editor)
    data = assert_ok(api.post(AUTO, {"claims": [c.pk for c in claims[1:]] + [999999]}))
    assert sorted(a["reviewer_username"] for a in data["assigned"]) == ["otto", "rita"]
    for a in data["assigned"]:
        assert state(Claim.objects.get(pk=a["claim"]))[:2] == (S.ASSIGNED, a["reviewer"])
    refused = {r["claim"]: r["code"] for r in data["refused"]}
    assert refused[999999] == "not_found" and len(refused) == 2
    [(left, _)] = [(pk, code) for pk, code in refused.items() if pk != 999999]
    assert state(Claim.objects.get(pk=left))[:2] == (S.ACCEPTED, None)


def test_reviewers_with_their_workload(api, editor, reviewer, other_reviewer, assigned, settings):
    settings.REVIEWER_MAX_OPEN = 5
    ReviewerProfile.objects.create(user=other_reviewer, max_open=3)
    api.force_authenticate(editor)
    data = assert_ok(api.get(REVIEWERS))
    assert data == [
        {"id": other_reviewer.pk, "username": "otto", "full_name": "Otto Other", "available": True,
         "open_load": 0, "max_open": 3, "capacity": 3},
        {"id": reviewer.pk, "username": "rita", "full_name": "Rita Reviewer", "available": True,
         "open_load": 1, "max_open": 5, "capacity": 4},
    ]  # fmt: skip
    ReviewerProfile.objects.filter(user=other_reviewer).update(available=False)
    assert [r["username"] for r in api.get(REVIEWERS).json()] == ["rita"]


def test_reviewers_query_count_does_not_grow_with_reviewers(
    api, editor, reviewer, other_reviewer, assigned, django_user_model, django_assert_num_queries
):
    from django.contrib.auth.models import Group

    # 1 role lookup, 1 list of reviewers with profiles and loads
    api.force_authenticate(fresh(editor))
    with django_assert_num_queries(2):
        assert len(api.get(REVIEWERS).json()) == 2
    group = Group.objects.get(name="reviewers")
    for i in range(15):
        user = django_user_model.objects.create_user(username=f"rev{i}", password="x")
        user.groups.add(group)
        if i % 2:
            ReviewerProfile.objects.create(user=user, max_open=i)
    api.force_authenticate(fresh(editor))
    with django_assert_num_queries(2):
        assert len(api.get(REVIEWERS).json()) == 17


# --- Comments --------------------------------------------------------------------------------


def test_the_assignee_and_editors_discuss_a_claim(api, editor, reviewer, assigned):
    api.force_authenticate(reviewer)
    response = api.post(url(assigned, "comments"), {"body": "  @erin is the 2023 figure enough?  "})
    data = assert_ok(response, 201)
    comment = Comment.objects.get()
    assert data == {
        "id": comment.pk,
        "claim": assigned.pk,
        "author": "rita",
        "body": "@erin is the 2023 figure enough?",
        "created_at": data["created_at"],
    }
    api.force_authenticate(editor)
    assert_ok(api.post(url(assigned, "comments"), {"body": "Yes."}), 201)
    listed = assert_ok(api.get(url(assigned, "comments")))
    assert [(c["author"], c["body"]) for c in listed] == [("rita", data["body"]), ("erin", "Yes.")]
    assert api.get(url(assigned)).json()["comments"] == listed


@pytest.mark.parametrize("body", [None, "", "   ", 5, "nul\x00"])
def test_bad_comments_are_400(api, reviewer, assigned, body):
    api.force_authenticate(reviewer)
    assert_error(api.post(url(assigned, "comments"), {"body": body}), 400, "invalid", "body")
    assert not Comment.objects.exists()


def test_comment_and_source_lists_query_count_does_not_grow(api, editor, reviewer, assigned, django_assert_num_queries):
    # 1 role lookup, 1 claim, 1 list with its authors
    for path in (url(assigned, "comments"), url(assigned, "sources")):
        api.force_authenticate(fresh(reviewer))
        with django_assert_num_queries(3):
            assert api.get(path).json() == []
    for i in range(20):
        actor = editor if i % 2 else reviewer
        services.comment_add(claim=assigned, actor=actor, body=f"Comment {i}")
        services.source_add(claim=assigned, actor=actor, title=f"Source {i}")
    for path in (url(assigned, "comments"), url(assigned, "sources")):
        api.force_authenticate(fresh(reviewer))
        with django_assert_num_queries(3):
            assert len(api.get(path).json()) == 20


# --- Drafts, versions of rulings, corrections ------------------------------------------------


def test_the_reviewer_saves_a_draft_then_submits_it(api, reviewer, source):
    claim = source.claim
    api.force_authenticate(reviewer)
    response = api.post(url(claim, "ruling"), {**VERDICT, "draft": True})
    data = assert_ok(response)
    assert (data["status"], data["version"], data["supersedes"], data["correction_note"]) == ("draft", 1, None, "")
    assert response["ETag"] == '"1"'
    data = assert_ok(api.post(url(claim, "ruling"), {**VERDICT, "summary": "Second go", "draft": True, "version": 1}))
    assert (data["summary"], data["version"]) == ("Second go", 2)

    before = rows()
    assert_error(api.post(url(claim, "ruling"), {**VERDICT, "draft": True, "version": 1}), 409, "conflict")
    assert_error(api.post(url(claim, "ruling"), VERDICT, HTTP_IF_MATCH='"1"'), 409, "conflict")
    assert rows() == before

    data = assert_ok(api.post(url(claim, "ruling"), {**VERDICT, "version": 2}), 201)
    assert (data["id"], data["status"]) == (Ruling.objects.get().pk, "submitted")
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_editors_do_not_draft_rulings(api, editor, source):
    before = rows()
    api.force_authenticate(editor)
    assert_error(api.post(url(source.claim, "ruling"), {**VERDICT, "draft": True}), 403, "permission_denied")
    assert rows() == before


def test_approve_and_return_check_the_rulings_version(api, editor2, submitted):
    api.force_authenticate(editor2)
    before = rows()
    assert_error(api.post(ruling_url(submitted, "return"), {"note": "More", "version": 9}), 409, "conflict")
    assert_error(api.post(ruling_url(submitted, "approve"), {}, HTTP_IF_MATCH='"9"'), 409, "conflict")
    assert rows() == before
    etag = api.get(ruling_url(submitted))["ETag"]
    response = api.post(ruling_url(submitted, "approve"), {}, HTTP_IF_MATCH=etag)
    assert assert_ok(response)["status"] == "approved"
    assert response["ETag"] == f'"{submitted.version + 1}"'


def test_an_editor_corrects_a_published_ruling(api, editor, published):
    api.force_authenticate(editor)
    payload = {"rating": "half-true", "summary": "Corrected", "explanation": "New figures.", "correction_note": "2024"}
    data = assert_ok(api.post(ruling_url(published, "correct"), {**payload, "version": published.version}), 201)
    corrected = Ruling.objects.get(pk=data["id"])
    assert data["supersedes"] == published.pk and data["correction_note"] == "2024"
    assert (data["status"], data["rating"], data["claimreview"]["claimReviewed"]) == (
        "published",
        "half-true",
        "Corrected",
    )
    published.refresh_from_db()
    assert published.status == Ruling.Status.SUPERSEDED and corrected.supersedes == published
    claim = api.get(url(published.claim)).json()
    assert claim["status"] == "corrected"
    # Correcting the superseded ruling again is refused.
    before = rows()
    assert_error(api.post(ruling_url(published, "correct"), payload), 409, "invalid_transition")
    assert rows() == before


def test_corrections_need_a_note_a_live_rating_and_a_fresh_version(api, editor, published):
    api.force_authenticate(editor)
    before = rows()
    payload = {"rating": "half-true", "summary": "S", "explanation": "E", "correction_note": "Why"}
    assert_error(api.post(ruling_url(published, "correct"), {**payload, "correction_note": ""}), 400, "invalid")
    assert_error(api.post(ruling_url(published, "correct"), {**payload, "rating": "nope"}), 400, "invalid", "rating")
    assert_error(api.post(ruling_url(published, "correct"), {**payload, "version": 1}), 409, "conflict")
    assert rows() == before


def test_only_published_rulings_are_corrected(api, editor, submitted):
    api.force_authenticate(editor)
    before = rows()
    payload = {"rating": "half-true", "summary": "S", "explanation": "E", "correction_note": "Why"}
    assert_error(api.post(ruling_url(submitted, "correct"), payload), 409, "invalid_transition")
    assert rows() == before


# --- Editing sources -------------------------------------------------------------------------


def test_the_assignee_edits_a_source_and_the_rest_is_kept(api, reviewer, source):
    api.force_authenticate(reviewer)
    data = assert_ok(api.patch(f"/api/v1/sources/{source.pk}/", {"title": "SIPRI Top 100", "kind": "dataset"}))
    assert (data["title"], data["kind"], data["url"]) == ("SIPRI Top 100", "dataset", "https://sipri.org/")
    assert Event.objects.filter(action="source.edited", note="SIPRI Top 100").count() == 1


def test_an_editor_edits_a_source(api, editor, source):
    api.force_authenticate(editor)
    data = assert_ok(api.patch(f"/api/v1/sources/{source.pk}/", {"url": "", "accessed_on": "2025-06-20"}))
    assert (data["url"], data["accessed_on"], data["title"]) == ("", "2025-06-20", "SIPRI arms database")


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"title": ""}, "title"), ({"url": "ftp://x"}, "url"), ({"kind": "rumour"}, "kind"), ({"title": 1}, "title")],
)
def test_bad_source_edits_are_400(api, reviewer, source, payload, field):
    api.force_authenticate(reviewer)
    before = rows()
    assert_error(api.patch(f"/api/v1/sources/{source.pk}/", payload), 400, "invalid", field)
    assert rows() == before


# --- Overdue ---------------------------------------------------------------------------------


def test_overdue_claims_are_flagged_and_filtered(api, editor, assigned, other_claim):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Claim.objects.filter(pk__in=[assigned.pk, other_claim.pk]).update(due_date=yesterday)  # a candidate is not open
    api.force_authenticate(editor)
    rows_ = {c["id"]: c["is_overdue"] for c in api.get(CLAIMS, {"page_size": 100}).json()["results"]}
    assert rows_[assigned.pk] is True and rows_[other_claim.pk] is False
    assert sum(rows_.values()) == 1
    assert [c["id"] for c in api.get(CLAIMS, {"overdue": "true"}).json()["results"]] == [assigned.pk]
    not_overdue = {c["id"] for c in api.get(CLAIMS, {"overdue": "false"}).json()["results"]}
    assert assigned.pk not in not_overdue and other_claim.pk in not_overdue
    assert api.get(url(assigned)).json()["is_overdue"] is True
