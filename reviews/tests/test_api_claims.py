"""The claims API: the queue and its filters, a claim's page, triage and assignment, sources.
Every endpoint is tried by every persona; refused writes leave the rows as they were."""

import datetime

import pytest

from articles.models import Claim
from factcheck.testing import assert_error, bulk_claims, fresh
from reviews import services
from reviews.models import Assignment, Event, Rating, Source

pytestmark = pytest.mark.django_db
S = Claim.Status

CLAIMS = "/api/v1/claims/"


def url(claim, action: str = "") -> str:
    return f"{CLAIMS}{claim.pk}/{action + '/' if action else ''}"


def state(claim) -> tuple:
    claim.refresh_from_db()
    return claim.status, claim.assignee_id, claim.priority, claim.due_date


@pytest.fixture
def source(assigned, reviewer):
    return services.source_add(claim=assigned, actor=reviewer, title="SIPRI arms database", url="https://sipri.org/")


# --- Who may, on every endpoint --------------------------------------------------------------


def _requests(claim, source):
    return [
        ("get", CLAIMS, None),
        ("get", url(claim), None),
        ("post", url(claim, "accept"), {}),
        ("post", url(claim, "reject"), {}),
        ("post", url(claim, "assign"), {"reviewer": claim.assignee_id}),
        ("get", url(claim, "sources"), None),
        ("post", url(claim, "sources"), {"title": "A source"}),
        ("post", url(claim, "ruling"), {"rating": "true", "summary": "S", "explanation": "E"}),
        ("delete", f"/api/v1/sources/{source.pk}/", None),
    ]


def _rows() -> tuple:
    return (
        list(Claim.objects.values_list("id", "status", "assignee_id").order_by("id")),
        Source.objects.count(),
        Assignment.objects.count(),
        Event.objects.count(),
    )


def test_anonymous_clients_get_401_on_every_claim_endpoint(api, source):
    before = _rows()
    for method, path, data in _requests(source.claim, source):
        assert_error(getattr(api, method)(path, data), 401, "not_authenticated")
    assert _rows() == before


def test_users_without_a_newsroom_role_get_403_on_every_claim_endpoint(api, outsider, source):
    before = _rows()
    api.force_authenticate(outsider)
    for method, path, data in _requests(source.claim, source):
        assert_error(getattr(api, method)(path, data), 403, "permission_denied")
    assert _rows() == before


def test_another_reviewer_gets_404_on_every_endpoint_of_a_claim_not_theirs(api, other_reviewer, source):
    before = _rows()
    api.force_authenticate(other_reviewer)
    for method, path, data in _requests(source.claim, source)[1:]:
        assert_error(getattr(api, method)(path, data), 404, "not_found")
    assert api.get(CLAIMS).json()["count"] == 0
    assert _rows() == before


def test_reviewers_get_404_on_unassigned_claims(api, reviewer, claim):
    api.force_authenticate(reviewer)
    assert_error(api.get(url(claim)), 404, "not_found")
    assert_error(api.post(url(claim, "accept")), 404, "not_found")
    assert state(claim)[0] == S.CANDIDATE


# --- The queue ------------------------------------------------------------------------------


def test_editor_sees_the_whole_queue_most_check_worthy_first(api, editor, article):
    api.force_authenticate(editor)
    data = api.get(CLAIMS).json()
    assert data["count"] == 19
    keys = [(-c["priority"], -c["checkworthiness"]) for c in data["results"]]
    assert keys == sorted(keys)
    row = data["results"][0]
    assert set(row) == {
        "id", "article", "start", "end", "text", "checkworthiness", "checkworthy", "claim_type", "speaker",
        "status", "priority", "due_date", "stale", "assignee", "assignee_username", "created_at", "updated_at",
        "version", "merged_into", "is_overdue",
    }  # fmt: skip
    assert (row["version"], row["merged_into"], row["is_overdue"]) == (1, None, False)
    assert row["article"] == article.pk
    assert row["assignee"] is None and row["assignee_username"] is None


def test_reviewers_see_only_their_own_claims(api, editor, reviewer, other_reviewer, assigned):
    api.force_authenticate(reviewer)
    [row] = api.get(CLAIMS).json()["results"]
    assert (row["id"], row["assignee"], row["assignee_username"]) == (assigned.pk, reviewer.pk, "rita")
    assert api.get(CLAIMS, {"reviewer": other_reviewer.pk}).json()["count"] == 0


def test_queue_filters(api, editor, reviewer, article, assigned):
    api.force_authenticate(editor)

    def ids(**params) -> set[int]:
        response = api.get(CLAIMS, params)
        assert response.status_code == 200, response.content
        return {c["id"] for c in response.json()["results"]}

    everything = set(article.claims.values_list("id", flat=True))
    assert ids() == everything
    assert ids(status="assigned") == {assigned.pk}
    assert ids(status="candidate") == everything - {assigned.pk}
    assert ids(reviewer=reviewer.pk) == {assigned.pk}
    assert ids(article=article.pk) == everything
    assert ids(article=article.pk + 1000) == set()
    assert ids(checkworthy="true") == set(article.claims.filter(checkworthy=True).values_list("id", flat=True))
    assert ids(checkworthy="true", status="assigned") == {assigned.pk}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "bogus"}, "status"), ({"reviewer": "abc"}, "reviewer"), ({"article": "1.5"}, "article")],
)
def test_bad_queue_filters_are_400(api, editor, article, params, field):
    api.force_authenticate(editor)
    assert_error(api.get(CLAIMS, params), 400, "invalid", field)


# --- A claim's page -------------------------------------------------------------------------


def test_editor_reads_a_claim_with_its_actions(api, editor, claim):
    api.force_authenticate(editor)
    data = api.get(url(claim)).json()
    assert data["id"] == claim.pk and data["text"] == claim.text and data["speaker"] == "Mark Rutte"
    assert data["sources"] == [] and data["rulings"] == [] and data["events"] == []
    assert data["available_actions"] == ["accept", "reject", "merge", "assign"]


def test_reviewer_reads_their_claim_with_sources_and_history(api, reviewer, source):
    api.force_authenticate(reviewer)
    data = api.get(url(source.claim)).json()
    assert data["status"] == "in_review"  # adding the source started the review
    assert data["available_actions"] == ["submit"]
    assert [s["title"] for s in data["sources"]] == ["SIPRI arms database"]
    assert data["sources"][0]["added_by"] == "rita"
    assert [(e["action"], e["from_state"], e["to_state"], e["actor"]) for e in data["events"]] == [
        ("claim.accept", "candidate", "accepted", "erin"),
        ("claim.assign", "accepted", "assigned", "erin"),
        ("claim.start", "assigned", "in_review", "rita"),
        ("source.added", "", "", "rita"),
    ]
    assert data["events"][1]["note"] == "to rita"


# --- Triage ---------------------------------------------------------------------------------


def test_editor_accepts_and_rejects(api, editor, claim):
    api.force_authenticate(editor)
    response = api.post(url(claim, "accept"), {"note": "Worth a look"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert response.json()["events"][-1]["note"] == "Worth a look"
    response = api.post(url(claim, "reject"))
    assert response.json()["status"] == "rejected"
    assert response.json()["available_actions"] == ["accept", "merge"]
    assert state(claim)[0] == S.REJECTED


def test_reviewer_may_not_triage_their_own_claim(api, reviewer, assigned):
    before = state(assigned)
    api.force_authenticate(reviewer)
    assert_error(api.post(url(assigned, "accept")), 403, "permission_denied")
    assert_error(api.post(url(assigned, "reject")), 403, "permission_denied")
    assert state(assigned) == before


def test_triage_out_of_order_is_a_409(api, editor, assigned):
    api.force_authenticate(editor)
    error = assert_error(api.post(url(assigned, "reject")), 409, "invalid_transition")
    assert "assigned" in error["message"]
    assert state(assigned)[0] == S.ASSIGNED


def test_a_bad_note_is_a_400(api, editor, claim):
    api.force_authenticate(editor)
    assert_error(api.post(url(claim, "accept"), {"note": 5}), 400, "invalid", "note")
    assert_error(api.post(url(claim, "accept"), {"note": "n" * 5001}), 400, "invalid", "note")
    assert state(claim)[0] == S.CANDIDATE


# --- Assignment -----------------------------------------------------------------------------


def test_editor_assigns_a_claim(api, editor, reviewer, claim):
    api.force_authenticate(editor)
    response = api.post(url(claim, "assign"), {"reviewer": reviewer.pk, "priority": 4, "due_date": "2025-07-01"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["assignee"], data["assignee_username"]) == ("assigned", reviewer.pk, "rita")
    assert (data["priority"], data["due_date"]) == (4, "2025-07-01")
    assert data["available_actions"] == ["assign"]
    assert state(claim) == (S.ASSIGNED, reviewer.pk, 4, datetime.date(2025, 7, 1))
    assert Assignment.objects.get(claim=claim, active=True).reviewer == reviewer


def test_editor_reassigns_to_another_reviewer(api, editor, other_reviewer, assigned):
    api.force_authenticate(editor)
    response = api.post(url(assigned, "assign"), {"reviewer": other_reviewer.pk, "note": "Rita is away"})
    assert response.json()["assignee_username"] == "otto"
    assert list(Assignment.objects.filter(claim=assigned).values_list("reviewer__username", "active")) == [
        ("otto", True),
        ("rita", False),
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "reviewer"),
        ({"reviewer": "editor2"}, "reviewer"),  # a user who is not a reviewer
        ({"reviewer": 999999}, "reviewer"),
        ({"reviewer": "rita"}, "reviewer"),  # a username, not an id
        ({"reviewer": "reviewer", "priority": 7}, "priority"),
        ({"reviewer": "reviewer", "due_date": "next week"}, "due_date"),
    ],
)
def test_bad_assignments_are_400_and_change_nothing(api, request, editor, claim, payload, field):
    for key, value in payload.items():
        if value in ("editor2", "reviewer"):
            payload[key] = request.getfixturevalue(value).pk
    before = state(claim)
    api.force_authenticate(editor)
    assert_error(api.post(url(claim, "assign"), payload), 400, "invalid", field)
    assert state(claim) == before
    assert Assignment.objects.count() == 0


def test_reviewers_may_not_assign(api, reviewer, other_reviewer, assigned):
    before = state(assigned)
    api.force_authenticate(reviewer)
    assert_error(api.post(url(assigned, "assign"), {"reviewer": other_reviewer.pk}), 403, "permission_denied")
    assert state(assigned) == before


def test_assigning_the_same_reviewer_again_is_a_409(api, editor, reviewer, assigned):
    api.force_authenticate(editor)
    assert_error(api.post(url(assigned, "assign"), {"reviewer": reviewer.pk}), 409, "invalid_transition")
    assert Assignment.objects.count() == 1


# --- Sources --------------------------------------------------------------------------------


def test_reviewer_adds_and_lists_sources(api, reviewer, assigned):
    api.force_authenticate(reviewer)
    response = api.post(
        url(assigned, "sources"),
        {
            "title": " Defence industry report ",
            "url": "https://example.org/report.pdf",
            "kind": "official_statistics",
            "publisher": "Ministry",
            "excerpt": "Exports rose.",
            "accessed_on": "2025-06-25",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    source = Source.objects.get()
    assert data == {
        "id": source.pk,
        "claim": assigned.pk,
        "kind": "official_statistics",
        "url": "https://example.org/report.pdf",
        "title": "Defence industry report",
        "publisher": "Ministry",
        "excerpt": "Exports rose.",
        "accessed_on": "2025-06-25",
        "added_by": "rita",
        "created_at": data["created_at"],
    }
    listed = api.get(url(assigned, "sources"))
    assert listed.status_code == 200
    assert listed.json() == [data]


def test_editor_adds_a_source_to_an_assigned_claim(api, editor, assigned):
    api.force_authenticate(editor)
    response = api.post(url(assigned, "sources"), {"title": "Editor's find"})
    assert response.status_code == 201
    assert response.json()["kind"] == "primary_document"
    assert response.json()["added_by"] == "erin"


def test_sources_cannot_be_added_before_assignment(api, editor, claim):
    api.force_authenticate(editor)
    assert_error(api.post(url(claim, "sources"), {"title": "Too early"}), 409, "invalid_transition")
    assert Source.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": "   "}, "title"),
        ({"title": 3}, "title"),
        ({"title": "T", "url": "not-a-url"}, "url"),
        ({"title": "T", "kind": "rumour"}, "kind"),
        ({"title": "T", "accessed_on": "yesterday"}, "accessed_on"),
        ({"title": "T", "excerpt": "bad\x00byte"}, "excerpt"),
    ],
)
def test_bad_sources_are_400(api, reviewer, assigned, payload, field):
    api.force_authenticate(reviewer)
    assert_error(api.post(url(assigned, "sources"), payload), 400, "invalid", field)
    assert Source.objects.count() == 0


def test_reviewer_removes_a_source(api, reviewer, source):
    api.force_authenticate(reviewer)
    response = api.delete(f"/api/v1/sources/{source.pk}/")
    assert response.status_code == 204
    assert not Source.objects.exists()
    assert Event.objects.filter(action="source.removed", note="SIPRI arms database").count() == 1
    assert_error(api.delete(f"/api/v1/sources/{source.pk}/"), 404, "not_found")


def test_editor_removes_a_source(api, editor, source):
    api.force_authenticate(editor)
    assert api.delete(f"/api/v1/sources/{source.pk}/").status_code == 204
    assert not Source.objects.exists()


def test_sources_are_frozen_once_a_ruling_is_approved(api, editor, editor2, reviewer, source):
    ruling = services.ruling_submit(
        claim=source.claim, actor=reviewer, rating=Rating.objects.get(slug="true"), summary="S", explanation="E"
    )
    services.ruling_approve(ruling=ruling, actor=editor2)
    api.force_authenticate(editor)
    assert_error(api.delete(f"/api/v1/sources/{source.pk}/"), 409, "invalid_transition")
    assert_error(api.post(url(source.claim, "sources"), {"title": "Late"}), 409, "invalid_transition")
    assert Source.objects.count() == 1
    assert_error(api.get(f"/api/v1/sources/{source.pk}/"), 405, "method_not_allowed")


# --- Query budgets --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["editor", "reviewer"])
def test_queue_query_count_does_not_grow_with_claims(
    api, request, editor, reviewer, other_reviewer, article, assigned, django_assert_num_queries, persona
):
    user = request.getfixturevalue(persona)
    # 1 role lookup, 1 page with its count and the assignees joined
    api.force_authenticate(fresh(user))
    with django_assert_num_queries(2):
        assert api.get(CLAIMS).status_code == 200
    bulk_claims(article, 60, [reviewer, other_reviewer])
    api.force_authenticate(fresh(user))
    with django_assert_num_queries(2):
        response = api.get(CLAIMS, {"checkworthy": "false"} if persona == "reviewer" else {})
    assert len(response.json()["results"]) == (50 if persona == "editor" else 30)


def test_claim_detail_query_count_does_not_grow_with_history(
    api, editor, reviewer, assigned, source, django_assert_num_queries
):
    # 1 role lookup, 1 claim with article and assignee, then sources, rulings, events and comments
    api.force_authenticate(fresh(editor))
    with django_assert_num_queries(6):
        assert api.get(url(assigned)).status_code == 200
    for i in range(20):
        services.source_add(claim=assigned, actor=reviewer if i % 2 else editor, title=f"Source {i}")
    ruling = services.ruling_submit(
        claim=assigned, actor=reviewer, rating=Rating.objects.get(slug="false"), summary="S", explanation="E"
    )
    services.ruling_return(ruling=ruling, actor=editor, note="More, please")
    services.ruling_submit(
        claim=assigned, actor=reviewer, rating=Rating.objects.get(slug="half-true"), summary="S2", explanation="E2"
    )
    for i in range(10):
        services.comment_add(claim=assigned, actor=reviewer if i % 2 else editor, body=f"Comment {i}")
    api.force_authenticate(fresh(editor))
    with django_assert_num_queries(6):
        data = api.get(url(assigned)).json()
    assert (len(data["sources"]), len(data["rulings"]), len(data["events"])) == (21, 2, 27)
    assert [c["author"] for c in data["comments"][:2]] == ["erin", "rita"]


def test_the_queue_sorts_by_score_on_request(api, editor, article):
    api.force_authenticate(editor)
    scores = [c["checkworthiness"] for c in api.get("/api/v1/claims/?ordering=score").json()["results"]]
    assert scores == sorted(scores)
    scores = [c["checkworthiness"] for c in api.get("/api/v1/claims/?ordering=-score").json()["results"]]
    assert scores == sorted(scores, reverse=True)
    assert api.get("/api/v1/claims/?ordering=text").status_code == 400


# --- The queue's filters and ordering in full ---------------------------------------------------


def _ids(qs) -> set[int]:
    return set(qs.values_list("id", flat=True))


def test_queue_filters_on_states_types_scores_speakers_and_priorities(api, editor, reviewer, article, assigned):
    api.force_authenticate(editor)
    claims = article.claims.all()
    rejected = claims.filter(status=S.CANDIDATE).order_by("start").first()
    services.claim_reject(claim=rejected, actor=editor)
    Claim.objects.filter(pk=assigned.pk).update(priority=Claim.Priority.URGENT)

    def ids(**params) -> set[int]:
        response = api.get(CLAIMS, {"page_size": 200, **params})
        assert response.status_code == 200, response.content
        return {c["id"] for c in response.json()["results"]}

    assert ids(status=["assigned", "rejected"]) == {assigned.pk, rejected.pk}
    assert ids(claim_type=["quantity", "prediction"]) == _ids(claims.filter(claim_type__in=["quantity", "prediction"]))
    assert ids(claim_type="quantity") == _ids(claims.filter(claim_type="quantity"))
    assert ids(priority=4) == {assigned.pk}
    assert ids(priority=[2, 3]) == _ids(claims.filter(priority__in=[2, 3]))
    assert ids(min_score="0.9") == _ids(claims.filter(checkworthiness__gte=0.9))
    assert ids(min_score="0.3", max_score="0.8") == _ids(claims.filter(checkworthiness__range=(0.3, 0.8)))
    assert ids(speaker="zelensk") == _ids(claims.filter(speaker__icontains="zelensk")) != set()
    assert ids(speaker="ZELENSKYY", status="candidate", min_score="0.85") == _ids(
        claims.filter(speaker__icontains="zelenskyy", status=S.CANDIDATE, checkworthiness__gte=0.85)
    )
    assert ids(reviewer=reviewer.pk, stale="false") == {assigned.pk}


def test_queue_filters_on_dates(api, editor, article, assigned):
    api.force_authenticate(editor)
    old, older = article.claims.exclude(pk=assigned.pk).order_by("start")[:2]
    Claim.objects.filter(pk=old.pk).update(created_at="2025-01-10T12:00:00Z", updated_at="2025-01-20T12:00:00Z")
    Claim.objects.filter(pk=older.pk).update(created_at="2024-12-31T23:00:00Z", updated_at="2025-01-01T00:00:00Z")
    Claim.objects.filter(pk=assigned.pk).update(due_date=datetime.date(2031, 5, 1))

    def ids(**params) -> set[int]:
        response = api.get(CLAIMS, {"page_size": 200, **params})
        assert response.status_code == 200, response.content
        return {c["id"] for c in response.json()["results"]}

    assert ids(created_before="2025-06-01") == {old.pk, older.pk}
    assert ids(created_after="2025-01-01", created_before="2025-06-01") == {old.pk}
    assert ids(created_before="2024-12-31T23:00:00Z") == set()  # "before" excludes the instant itself
    assert ids(created_before="2025-01-01T00:00:00+01:00") == set()  # offsets are honoured: 23:00 UTC
    assert ids(updated_after="2025-01-01", updated_before="2025-01-20T12:00:01Z") == {old.pk, older.pk}
    assert ids(updated_before="2025-01-01T00:00:00Z") == set()
    assert ids(due_after="2031-05-01", due_before="2031-05-01") == {assigned.pk}
    assert len(ids(created_after="2025-06-01")) == 17


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": ["assigned", "bogus"]}, "status"),
        ({"claim_type": "opinion"}, "claim_type"),
        ({"priority": 9}, "priority"),
        ({"priority": "high"}, "priority"),
        ({"min_score": "lots"}, "min_score"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"updated_before": "2025-13-01"}, "updated_before"),
        ({"due_before": "2025-02-30"}, "due_before"),
        ({"overdue": "maybe"}, "overdue"),
        ({"checkworthy": "yes"}, "checkworthy"),
        ({"ordering": "speaker"}, "ordering"),
    ],
)
def test_bad_queue_filters_name_the_field(api, editor, article, params, field):
    api.force_authenticate(editor)
    assert_error(api.get(CLAIMS, params), 400, "invalid", field)


@pytest.mark.parametrize("ordering", ["score", "-priority", "due", "created", "-updated", ""])
def test_pages_never_repeat_or_skip_a_claim_whatever_the_ordering(api, editor, article, ordering):
    """Equal sort keys everywhere (one score, one priority, no due dates, one timestamp): the
    claim id settles the order, so paging through gives every claim exactly once."""
    article.claims.update(checkworthiness=0.5, priority=2, created_at="2025-01-01T00:00:00Z")
    api.force_authenticate(editor)
    seen = []
    for page in range(1, 5):
        response = api.get(CLAIMS, {"page_size": 5, "page": page, "ordering": ordering})
        assert response.status_code == 200, response.content
        seen += [c["id"] for c in response.json()["results"]]
    assert sorted(seen) == sorted(_ids(article.claims.all())) and len(seen) == 19


def test_the_queue_orders_by_update_time(api, editor, article, assigned):
    api.force_authenticate(editor)
    ids = [c["id"] for c in api.get(CLAIMS, {"ordering": "-updated", "page_size": 3}).json()["results"]]
    assert ids[0] == assigned.pk  # the last one changed


@pytest.mark.parametrize("persona", ["editor", "reviewer"])
def test_queue_query_count_does_not_grow_with_page_size(
    api, request, reviewer, other_reviewer, article, assigned, django_assert_num_queries, persona
):
    bulk_claims(article, 60, [reviewer, other_reviewer])
    # 1 role lookup, 1 page with its count and the assignees joined, whatever the page size
    for size in (5, 50, 200):
        api.force_authenticate(fresh(request.getfixturevalue(persona)))
        with django_assert_num_queries(2):
            response = api.get(CLAIMS, {"page_size": size, "status": ["assigned", "candidate"], "min_score": 0})
        assert len(response.json()["results"]) == min(size, 79 if persona == "editor" else 31)
