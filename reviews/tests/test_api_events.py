"""The audit trail and the desk's comments as lists of their own, for audit export and
integrations: who may read which rows, the filters, stable paging, and query budgets that do
not grow with the page size. Also the query budget of the rating scale."""

import pytest

from articles.models import Claim
from factcheck.testing import assert_error, fresh
from reviews import services
from reviews.models import Comment, Event, Rating

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"
COMMENTS = "/api/v1/comments/"


@pytest.fixture
def desk(article, editor, editor2, reviewer, other_reviewer, assigned):
    """Rita's claim (``assigned``, with a source and comments) and one claim of Otto's."""
    otto_claim = article.claims.exclude(pk=assigned.pk).order_by("start").first()
    services.claim_accept(claim=otto_claim, actor=editor2)
    services.claim_assign(claim=otto_claim, reviewer=other_reviewer, actor=editor2)
    services.source_add(claim=assigned, actor=reviewer, title="SIPRI")
    services.comment_add(claim=assigned, actor=reviewer, body="Looking at SIPRI.")
    services.comment_add(claim=assigned, actor=editor, body="Thanks.")
    services.comment_add(claim=otto_claim, actor=other_reviewer, body="On it.")
    return {"rita": assigned, "otto": otto_claim}


def ids(api, path: str, **params) -> list[int]:
    response = api.get(path, {"page_size": 200, **params})
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def event_ids(qs) -> list[int]:
    return list(qs.order_by("created_at", "id").values_list("id", flat=True))


# --- Who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [EVENTS, COMMENTS])
def test_anonymous_and_outsiders_are_refused(api, outsider, desk, path):
    assert_error(api.get(path), 401, "not_authenticated")
    api.force_authenticate(outsider)
    assert_error(api.get(path), 403, "permission_denied")


@pytest.mark.parametrize("path", [EVENTS, COMMENTS])
def test_the_lists_are_read_only(api, editor, desk, path):
    api.force_authenticate(editor)
    before = (Event.objects.count(), Comment.objects.count())
    assert_error(api.post(path, {"body": "x", "action": "claim.accepted"}), 405, "method_not_allowed")
    first = Event.objects.first() if path == EVENTS else Comment.objects.first()
    assert_error(api.delete(f"{path}{first.pk}/"), 404, "not_found")
    assert (Event.objects.count(), Comment.objects.count()) == before


def test_editors_read_the_whole_trail_oldest_first(api, editor2, desk, article, editor):
    api.force_authenticate(editor2)
    data = api.get(EVENTS).json()
    assert data["count"] == Event.objects.count()
    assert [row["id"] for row in data["results"]] == event_ids(Event.objects.all())
    first = data["results"][0]
    assert first == {
        "id": first["id"], "article": article.pk, "claim": None, "action": "article.submitted",
        "from_state": "", "to_state": "pending", "note": "", "actor": editor.pk, "actor_username": "erin",
        "created_at": first["created_at"],
    }  # fmt: skip
    extracted = next(row for row in data["results"] if row["action"] == "article.extracted")
    assert (extracted["actor"], extracted["actor_username"]) == (None, None)  # the worker


def test_reviewers_read_only_the_events_of_their_claims(api, reviewer, other_reviewer, desk):
    for user, claim in [(reviewer, desk["rita"]), (other_reviewer, desk["otto"])]:
        api.force_authenticate(user)
        assert ids(api, EVENTS) == event_ids(Event.objects.filter(claim=claim))
        other = desk["otto"] if claim == desk["rita"] else desk["rita"]
        assert ids(api, EVENTS, claim=other.pk) == []
        assert ids(api, EVENTS, article=claim.article_id, action_prefix="article.") == []


def test_a_reassigned_claim_takes_its_history_to_the_new_reviewer(api, editor, reviewer, other_reviewer, desk):
    services.claim_assign(claim=Claim.objects.get(pk=desk["rita"].pk), reviewer=other_reviewer, actor=editor)
    api.force_authenticate(reviewer)
    assert ids(api, EVENTS) == []
    api.force_authenticate(other_reviewer)
    assert set(ids(api, EVENTS)) == set(event_ids(Event.objects.filter(claim__in=desk.values())))


# --- Filters ----------------------------------------------------------------------------------


def test_the_trail_filters(api, editor, editor2, reviewer, desk, article):
    api.force_authenticate(editor)
    rita = desk["rita"]
    assert ids(api, EVENTS, claim=rita.pk) == event_ids(Event.objects.filter(claim=rita))
    assert ids(api, EVENTS, article=article.pk) == event_ids(Event.objects.all())
    assert ids(api, EVENTS, article=article.pk + 99) == []
    assert ids(api, EVENTS, actor=editor2.pk) == event_ids(Event.objects.filter(actor=editor2)) != []
    assert ids(api, EVENTS, system="true") == event_ids(Event.objects.filter(actor=None)) != []
    accepted_or_assigned = Event.objects.filter(action__in=["claim.accept", "claim.assign"])
    assert ids(api, EVENTS, action="claim.accept,claim.assign") == event_ids(accepted_or_assigned)
    assert len(event_ids(accepted_or_assigned)) == 4
    assert ids(api, EVENTS, action_prefix="source.") == event_ids(Event.objects.filter(action="source.added"))
    assert ids(api, EVENTS, ordering="-created") == event_ids(Event.objects.all())[::-1]


def test_the_trail_filters_on_dates(api, editor, desk):
    first, second, *rest = event_ids(Event.objects.all())
    Event.objects.filter(pk=first).update(created_at="2025-01-01T10:00:00Z")
    Event.objects.filter(pk=second).update(created_at="2025-01-02T10:00:00Z")
    api.force_authenticate(editor)
    assert ids(api, EVENTS, created_before="2025-01-02T10:00:00Z") == [first]
    assert ids(api, EVENTS, created_after="2025-01-01T10:00:01Z", created_before="2025-02-01") == [second]
    assert ids(api, EVENTS, created_after="2025-01-03") == rest


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"claim": "abc"}, "claim"),
        ({"actor": "1.5"}, "actor"),
        ({"created_after": "soon"}, "created_after"),
        ({"system": "maybe"}, "system"),
        ({"ordering": "note"}, "ordering"),
    ],
)
def test_bad_trail_filters_are_400(api, editor, desk, params, field):
    api.force_authenticate(editor)
    assert_error(api.get(EVENTS, params), 400, "invalid", field)


def test_paging_through_the_trail_gives_every_event_once_even_as_the_desk_works(api, editor, reviewer, desk):
    Event.objects.update(created_at="2025-01-01T00:00:00Z")  # equal timestamps: the id decides
    api.force_authenticate(editor)
    total = Event.objects.count()
    seen, page = [], 1
    while True:
        response = api.get(EVENTS, {"page_size": 4, "page": page})
        seen += [row["id"] for row in response.json()["results"]]
        if page == 1:  # the desk keeps working while the export runs: new rows join the end
            services.comment_add(claim=desk["rita"], actor=reviewer, body="More @erin")
            services.source_add(claim=desk["rita"], actor=reviewer, title="Another source")
        if response.json()["next"] is None:
            break
        page += 1
    assert seen == event_ids(Event.objects.all()) and len(seen) == total + 1  # + source.added


# --- Comments ---------------------------------------------------------------------------------


def test_comments_are_listed_per_visible_claim(api, editor, reviewer, other_reviewer, desk):
    api.force_authenticate(editor)
    data = api.get(COMMENTS).json()
    assert [row["body"] for row in data["results"]] == ["Looking at SIPRI.", "Thanks.", "On it."]
    assert set(data["results"][0]) == {"id", "claim", "author", "body", "created_at"}
    assert [row["body"] for row in api.get(COMMENTS, {"claim": desk["otto"].pk}).json()["results"]] == ["On it."]
    assert len(ids(api, COMMENTS, author=editor.pk)) == 1
    api.force_authenticate(reviewer)
    assert [row["author"] for row in api.get(COMMENTS).json()["results"]] == ["rita", "erin"]
    assert ids(api, COMMENTS, claim=desk["otto"].pk) == []
    api.force_authenticate(other_reviewer)
    assert [row["body"] for row in api.get(COMMENTS).json()["results"]] == ["On it."]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"claim": "x"}, "claim"), ({"author": "erin"}, "author"), ({"created_before": "-"}, "created_before")],
)
def test_bad_comment_filters_are_400(api, editor, desk, params, field):
    api.force_authenticate(editor)
    assert_error(api.get(COMMENTS, params), 400, "invalid", field)


# --- Query budgets ----------------------------------------------------------------------------


def _busy_desk(desk, editor, reviewer, count: int) -> None:
    for i in range(count):
        services.comment_add(claim=desk["rita"], actor=reviewer if i % 2 else editor, body=f"Comment {i}")
        services.source_add(claim=desk["rita"], actor=reviewer, title=f"Source {i}")


@pytest.mark.parametrize("persona", ["editor", "reviewer"])
@pytest.mark.parametrize("path", [EVENTS, COMMENTS])
def test_list_query_count_does_not_grow_with_page_size(
    api, request, editor, reviewer, desk, django_assert_num_queries, persona, path
):
    _busy_desk(desk, editor, reviewer, 50)
    user = request.getfixturevalue(persona)
    # 1 role lookup, 1 count, 1 page with the actors (authors) joined, whatever the page size
    for size in (5, 50):
        api.force_authenticate(fresh(user))
        with django_assert_num_queries(3):
            response = api.get(path, {"page_size": size, "claim": desk["rita"].pk})
        assert len(response.json()["results"]) == size


def test_rating_scale_query_count_does_not_grow_with_ratings(api, editor, django_assert_num_queries):
    # 1 role lookup, 1 list
    api.force_authenticate(fresh(editor))
    with django_assert_num_queries(2):
        before = len(api.get("/api/v1/ratings/").json())
    Rating.objects.bulk_create(Rating(name=f"Scale {i}", slug=f"scale-{i}", order=50 + i) for i in range(20))
    api.force_authenticate(fresh(editor))
    with django_assert_num_queries(2):
        assert len(api.get("/api/v1/ratings/").json()) == before + 20
