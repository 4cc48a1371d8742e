"""The claim list's fast path (docs/benchmarks.md, "API list endpoint"): token, user and roles
in one query; no FilterSet when no filter is given; the page and its count in one query, its
SQL compiled once per visibility, page and size; the serializer's class-wide plan. Each gives
the same answers as the slow path it replaces."""

import json

import pytest
from django.contrib.auth.models import Group
from rest_framework import serializers

from articles.filters import COMPILED, CompiledQueries
from articles.models import Claim
from factcheck import tokens
from factcheck.roles import EDITORS, REVIEWERS
from factcheck.testing import assert_error, bulk_claims
from reviews import selectors
from reviews.filters import ClaimFilter, stable_order
from reviews.serializers import ClaimDetailSerializer, QueueClaimSerializer

pytestmark = pytest.mark.django_db
S = Claim.Status
CLAIMS = "/api/v1/claims/"


def _bearer(api, user):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.token_create(user=user, name='t', actor=user)[1]}")
    return api


def _claims(article, count: int, assignees=(None,)) -> None:
    bulk_claims(
        article,
        count,
        assignees,
        checkworthiness=lambda i: (i % 7) / 10,  # ties, so the id tie-break decides
        priority=lambda i: 1 + i % 2,
        due_date=lambda i: "2020-01-01" if i % 3 == 0 else None,
    )


def _ids(api, **params) -> list[int]:
    ids, page = [], 1
    while True:
        body = api.get(CLAIMS, {"page": page, **params}).json()
        ids += [row["id"] for row in body["results"]]
        if not body["next"]:
            return ids
        page += 1


# --- One query for token, user and roles ----------------------------------------------------


@pytest.mark.parametrize("persona", ["editor", "reviewer"])
def test_a_token_request_for_the_list_takes_two_queries(
    api, request, article, reviewer, other_reviewer, django_assert_num_queries, persona
):
    _claims(article, 80, [reviewer, other_reviewer, None])
    _bearer(api, request.getfixturevalue(persona))
    api.get(CLAIMS)  # the token's first use writes last_used_at (at most once a minute)
    # token with its user and roles; the page with its count and assignees
    with django_assert_num_queries(2):
        response = api.get(CLAIMS, {"page_size": 200})
    expected = Claim.objects.all() if persona == "editor" else Claim.objects.filter(assignee=reviewer)
    assert response.json()["count"] == expected.count()
    assert {row["id"] for row in response.json()["results"]} == set(expected.values_list("id", flat=True))


def test_roles_loaded_with_the_token_are_the_users_groups(api, editor, reviewer, outsider, admin_user, article):
    both = outsider
    both.groups.add(Group.objects.get(name=EDITORS), Group.objects.get(name=REVIEWERS))
    for user, status in ((editor, 200), (reviewer, 200), (both, 200), (admin_user, 200)):
        token = tokens.token_for_auth(tokens.token_create(user=user, name="t", actor=user)[0].prefix)
        assert token.user._factcheck_groups == set(user.groups.values_list("name", flat=True))
        assert _bearer(api, user).get(CLAIMS).status_code == status
    assert api.get(CLAIMS).json()["count"] == Claim.objects.count()  # the admin sees everything


def test_a_token_without_a_role_is_refused_and_a_group_change_shows_at_once(api, outsider, article):
    _bearer(api, outsider)
    assert_error(api.get(CLAIMS), 403, "permission_denied")
    outsider.groups.add(Group.objects.get(name=EDITORS))
    assert api.get(CLAIMS).json()["count"] == Claim.objects.count()
    outsider.groups.clear()
    assert_error(api.get(CLAIMS), 403, "permission_denied")


# --- No FilterSet without filters -----------------------------------------------------------


def test_the_unfiltered_list_has_the_filtersets_order(api, editor, article):
    _claims(article, 70)
    qs = selectors.claim_list(user=editor)
    assert stable_order(qs).query.order_by == ClaimFilter(data={}, queryset=qs).qs.query.order_by
    api.force_authenticate(editor)
    # An empty ordering parameter takes the FilterSet's path; the order is the same.
    assert _ids(api, page_size=20) == _ids(api, page_size=20, ordering="")
    assert _ids(api) == list(stable_order(qs).values_list("id", flat=True))


def test_filters_and_bad_filters_still_work_with_paging_parameters(api, editor, article):
    _claims(article, 30)
    api.force_authenticate(editor)
    body = api.get(CLAIMS, {"page_size": 5, "status": "candidate"}).json()
    assert body["count"] == Claim.objects.filter(status=S.CANDIDATE).count()
    assert {row["status"] for row in body["results"]} == {"candidate"}
    assert_error(api.get(CLAIMS, {"page_size": 5, "status": "nonsense"}), 400, "invalid")
    assert_error(api.get(CLAIMS, {"page": 1, "min_score": "high"}), 400, "invalid")


# --- The page and its count in one query ----------------------------------------------------


def test_every_page_counts_the_whole_list(api, editor, article):
    _claims(article, 45)
    total = Claim.objects.count()
    pages = -(-total // 20)
    api.force_authenticate(editor)
    bodies = [api.get(CLAIMS, {"page_size": 20, "page": page}).json() for page in range(1, pages + 1)]
    assert [body["count"] for body in bodies] == [total] * pages
    assert [len(body["results"]) for body in bodies] == [20] * (pages - 1) + [total - 20 * (pages - 1)]
    assert bodies[-1]["next"] is None and bodies[-2]["next"].endswith(f"page={pages}&page_size=20")
    assert api.get(CLAIMS, {"page_size": 20, "page": "last"}).json()["results"] == bodies[-1]["results"]
    assert_error(api.get(CLAIMS, {"page_size": 20, "page": pages + 1}), 404, "not_found")


@pytest.mark.parametrize("page", ["9", "0", "-1", "x", "1.5", "99999999999999999999"])
def test_a_page_that_does_not_exist_is_a_404(api, editor, article, page):
    _claims(article, 45)
    api.force_authenticate(editor)
    assert_error(api.get(CLAIMS, {"page_size": 20, "page": page}), 404, "not_found")


def test_an_empty_list_is_an_empty_first_page(api, reviewer, article):
    api.force_authenticate(reviewer)  # nothing assigned to them
    assert api.get(CLAIMS).json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert_error(api.get(CLAIMS, {"page": 2}), 404, "not_found")


# --- The page's SQL compiled once per key ---------------------------------------------------


def _pages(api, **params) -> list[dict]:
    bodies, page = [], 1
    while True:
        body = api.get(CLAIMS, {"page": page, "page_size": 20, **params}).json()
        bodies.append({"count": body["count"], "results": body["results"]})
        if not body["next"]:
            return bodies
        page += 1


@pytest.mark.parametrize("persona", ["editor", "reviewer"])
def test_compiled_pages_are_the_orms_pages(api, request, article, reviewer, other_reviewer, persona):
    _claims(article, 75, [reviewer, other_reviewer, None])
    api.force_authenticate(request.getfixturevalue(persona))
    COMPILED.clear()
    compiled = _pages(api)  # compiles each page's SQL
    assert _pages(api) == compiled  # reuses it
    # An (empty) ordering parameter takes the FilterSet's path, which the ORM compiles each time.
    assert _pages(api, ordering="") == compiled
    assert sum(len(body["results"]) for body in compiled) == compiled[0]["count"] > 20


def test_compiled_sql_is_kept_apart_per_reviewer(api, article, reviewer, other_reviewer, editor):
    _claims(article, 12, [reviewer, other_reviewer])
    COMPILED.clear()
    for user in (reviewer, other_reviewer, reviewer, editor):
        api.force_authenticate(user)
        ids = {row["id"] for row in api.get(CLAIMS).json()["results"]}
        visible = Claim.objects.all() if user == editor else Claim.objects.filter(assignee=user)
        assert ids == set(visible.values_list("id", flat=True))
    assert len(COMPILED._sql) == 3  # each reviewer's list, and the editors'


def test_a_claim_change_shows_at_once_in_a_compiled_page(api, editor, article):
    _claims(article, 5)
    api.force_authenticate(editor)
    first = api.get(CLAIMS).json()["results"][0]
    Claim.objects.filter(pk=first["id"]).update(priority=4, speaker="Somebody new")
    row = next(r for r in api.get(CLAIMS).json()["results"] if r["id"] == first["id"])
    assert row["speaker"] == "Somebody new" and row["priority"] == 4


def test_a_keyed_page_of_nothing_is_the_orms_empty_page(article):
    from django.core.paginator import EmptyPage

    from articles.filters import OneQueryPaginator

    with pytest.raises(EmptyPage):  # as Django's Paginator answers an empty queryset's page 2
        OneQueryPaginator(Claim.objects.none(), 20, sql_key=("claim_list", "none")).page(2)
    assert list(OneQueryPaginator(Claim.objects.none(), 20, sql_key=("claim_list", "none")).page(1)) == []


def test_compiled_queries_keep_the_most_recently_used():
    compiled = CompiledQueries(size=2)
    queryset = Claim.objects.filter(pk=1)
    for key in ("a", "b", "a", "c"):
        assert compiled.sql((key,), queryset) == (*queryset.query.sql_with_params()[:1], (1,))
    assert list(compiled._sql) == [("a",), ("c",)]


# --- The serializer's class-wide plan -------------------------------------------------------


def test_fast_rows_are_drfs_rows(editor, reviewer, article):
    _claims(article, 30, [reviewer, None])
    rows = list(selectors.claim_list(user=editor))
    for _ in range(2):  # the first response makes the class's plan, the second uses it
        fast = QueueClaimSerializer(rows, many=True).data
        generic = [serializers.ModelSerializer.to_representation(QueueClaimSerializer(), row) for row in rows]
        assert json.dumps(fast) == json.dumps(generic)
    assert "_class_row_plan" in QueueClaimSerializer.__dict__
    assert {row["assignee_username"] for row in fast} == {reviewer.username, None}
    assert any(row["is_overdue"] for row in fast)


def test_a_serializer_with_nested_fields_keeps_a_plan_per_response(api, editor, article):
    claim = article.claims.first()
    api.force_authenticate(editor)
    assert api.get(f"{CLAIMS}{claim.pk}/").json()["available_actions"]
    assert "_class_row_plan" not in ClaimDetailSerializer.__dict__
