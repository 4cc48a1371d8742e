"""The claim board: a column per workflow state with its first cards and its count, the queue's
filters, who may see what, links to the queue, the htmx swap, and a pinned query count."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Claim
from reviews.selectors import BOARD_PER_COLUMN, BOARD_STATES
from reviews.tests.test_views_queue import make_claims, pks

pytestmark = pytest.mark.django_db
S = Claim.Status
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
URL = reverse("claim-board")

# Session, user, groups; then reviewers (filter select), counts per state, the ids of the first
# cards of every column, those cards.
BOARD_QUERIES = 7


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def columns(response) -> dict[str, list[int]]:
    return {column.status: pks(column.claims) for column in response.context["board"].columns}


def totals(response) -> dict[str, int]:
    board = response.context["board"]
    return {column.status: column.total for column in board.columns + board.collapsed}


def queue_link(response, status: str) -> dict[str, str]:
    """The query of a column's "Show all in the queue" link."""
    html = response.text.split(f'id="column-{status}"', 1)[1]
    href = unescape(re.search(r'<a href="([^"]+)">Show all', html).group(1))
    assert urlsplit(href).path == reverse("claim-queue")
    return dict(parse_qsl(urlsplit(href).query))


# --- Who may see the board ---------------------------------------------------------------------


def test_the_board_needs_a_newsroom_role(client, outsider):
    assert client.get(URL)["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


def test_a_reviewer_sees_only_their_claims(client, reviewer, other_reviewer):
    mine = make_claims(2, status=S.IN_REVIEW, assignee=reviewer)
    make_claims(3, status=S.IN_REVIEW, assignee=other_reviewer)
    make_claims(4)  # candidates
    client.force_login(reviewer)
    response = client.get(URL)
    assert response.status_code == 200
    assert columns(response)[S.IN_REVIEW] == pks(mine)
    assert sum(totals(response).values()) == 2
    assert 'name="reviewer"' not in response.text


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_the_board_is_in_the_main_navigation(client, request, role):
    client.force_login(request.getfixturevalue(role))
    for url in (URL, reverse("claim-queue")):
        text = client.get(url).text
        assert f'<a href="{URL}"' in text
    assert f'<a href="{URL}" aria-current="page">Board</a>' in client.get(URL).text


def test_no_board_link_for_someone_without_a_role(client, outsider):
    client.force_login(outsider)
    assert f'href="{URL}"' not in client.get(reverse("home")).text


# --- Columns and cards -------------------------------------------------------------------------


def test_one_column_per_state_in_workflow_order(editor_client):
    for status in S.values:
        make_claims(2, title=f"In {status}", status=status)
    response = editor_client.get(URL)
    board = response.context["board"]
    assert [c.status for c in board.columns] == list(BOARD_STATES)
    assert [c.status for c in board.columns][:8] == [
        "candidate",
        "accepted",
        "assigned",
        "in_review",
        "submitted",
        "returned",
        "approved",
        "published",
    ]
    assert all(c.total == 2 and len(c.claims) == 2 for c in board.columns)
    # Rejected and merged are collapsed into counts that link to the queue.
    assert [(c.status, c.total) for c in board.collapsed] == [("rejected", 2), ("merged", 2)]
    assert f'href="{reverse("claim-queue")}?status=rejected">Rejected 2</a>' in response.text
    headings = re.findall(r'<h2 id="column-(\w+)">', response.text)
    assert headings == list(BOARD_STATES)


def test_a_column_shows_its_first_cards_its_total_and_a_link_to_the_rest(editor_client):
    claims = make_claims(BOARD_PER_COLUMN + 40, checkworthiness=lambda i: (i % 97) / 100)
    make_claims(3, status=S.ACCEPTED)
    response = editor_client.get(URL, {"sort": "score"})
    by_score = sorted(claims, key=lambda c: (-c.checkworthiness, c.article_id, c.start))
    assert columns(response)[S.CANDIDATE] == pks(by_score[:BOARD_PER_COLUMN])
    assert totals(response)[S.CANDIDATE] == BOARD_PER_COLUMN + 40
    assert f"{BOARD_PER_COLUMN} of {BOARD_PER_COLUMN + 40} shown." in response.text
    assert response.text.count('<li class="card') == BOARD_PER_COLUMN + 3
    assert queue_link(response, S.CANDIDATE) == {"sort": "score", "status": "candidate"}
    assert queue_link(response, S.ACCEPTED) == {"sort": "score", "status": "accepted"}
    assert "3 of 3 shown" not in response.text  # a complete column says nothing about it


def test_a_card_shows_what_the_desk_needs(editor_client, reviewer):
    claim = make_claims(
        1,
        title="Budget 2026",
        text="The deficit fell by 4% last year " + "and more words " * 20,
        status=S.ASSIGNED,
        speaker="Jane Minister",
        checkworthiness=0.87,
        assignee=reviewer,
        due_date=YESTERDAY,
        priority=Claim.Priority.URGENT,
    )[0]
    text = editor_client.get(URL).text
    card = re.search(r'<li class="card is-overdue">(.*?)</li>', text, re.S).group(1)
    assert f'href="{reverse("claim-detail", args=[claim.pk])}">The deficit fell by 4% last year' in card
    assert "…</a>" in card  # truncated
    assert '<p class="card-article">Budget 2026</p>' in card
    for shown in ("Jane Minister", "0.87", "Urgent", "rita", f'datetime="{YESTERDAY:%Y-%m-%d}"', "Overdue"):
        assert shown in card


def test_an_empty_board(editor_client):
    response = editor_client.get(URL)
    assert response.status_code == 200
    assert response.text.count('<p class="empty">None.</p>') == len(BOARD_STATES)
    assert "Show all" not in response.text


# --- Filters -----------------------------------------------------------------------------------


def test_the_queue_filters_apply_to_the_board(editor_client, reviewer, other_reviewer):
    rita = make_claims(3, status=S.IN_REVIEW, assignee=reviewer, speaker="Jane Minister", due_date=YESTERDAY)
    make_claims(2, status=S.IN_REVIEW, assignee=other_reviewer, speaker="John Doe")
    make_claims(4, speaker="Jane Minister", claim_type=Claim.ClaimType.PREDICTION, checkworthiness=0.2)

    response = editor_client.get(URL, {"reviewer": reviewer.pk})
    assert columns(response)[S.IN_REVIEW] == pks(rita) and totals(response)[S.CANDIDATE] == 0
    assert queue_link(response, S.IN_REVIEW) == {"reviewer": str(reviewer.pk), "status": "in_review"}

    response = editor_client.get(URL, {"speaker": "minister"})
    assert totals(response)[S.IN_REVIEW] == 3 and totals(response)[S.CANDIDATE] == 4
    assert totals(editor_client.get(URL, {"claim_type": "prediction"}))[S.CANDIDATE] == 4
    assert sum(totals(editor_client.get(URL, {"min_score": "0.3"})).values()) == 5
    assert sum(totals(editor_client.get(URL, {"overdue": "on"})).values()) == 3
    response = editor_client.get(URL, {"status": "in_review"})
    assert sum(totals(response).values()) == 5


def test_an_invalid_filter_on_the_board_is_named_and_ignored(editor_client):
    make_claims(2)
    response = editor_client.get(URL, {"claim_type": "gossip", "page": "x"})
    assert response.status_code == 200
    assert "<li>Claim type: Select a valid choice." in response.text
    assert totals(response)[S.CANDIDATE] == 2


def test_saved_filters_on_the_board(editor_client):
    make_claims(2)
    response = editor_client.get(URL, {"status": "candidate", "sort": "score"})
    assert '<a href="?status=candidate&amp;sort=score" aria-current="page" class="active">Needs triage</a>' in (
        response.text
    )
    assert f'<a href="{reverse("claim-queue")}?status=candidate&amp;sort=score">List view</a>' in response.text


def test_the_queue_links_to_the_board_with_its_filters(editor_client):
    text = editor_client.get(reverse("claim-queue"), {"speaker": "jane", "page": "2"}).text
    assert f'<a href="{URL}?speaker=jane">Board view</a>' in text


# --- htmx --------------------------------------------------------------------------------------


def test_htmx_gets_only_the_board(editor_client):
    make_claims(2)
    response = editor_client.get(URL, {"sort": "score"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="board-view")
    assert response.text.lstrip().startswith('<div id="board-view"')
    assert "<html" not in response.text
    assert totals(response)[S.CANDIDATE] == 2
    full = editor_client.get(URL).text
    form = re.search(r'<form method="get"[^>]*class="filters"[^>]*>', full).group(0)
    assert f'hx-get="{URL}"' in form and 'hx-target="#board-view"' in form and 'hx-push-url="true"' in form


# --- Query budget ------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"sort": "due", "overdue": "on"}, {"speaker": "minister", "sort": "score"}])
def test_the_board_query_count_does_not_grow_with_claims(
    editor_client, reviewer, other_reviewer, django_assert_num_queries, params
):
    def grow(per_state: int) -> None:
        for status in S.values:
            make_claims(
                per_state,
                status=status,
                speaker="The Minister",
                due_date=YESTERDAY,
                assignee=lambda i: (reviewer, other_reviewer, None)[i % 3],
            )

    grow(1)
    editor_client.get(URL)  # warm the session
    with django_assert_num_queries(BOARD_QUERIES):
        few = editor_client.get(URL, params)
    grow(40)
    with django_assert_num_queries(BOARD_QUERIES):
        many = editor_client.get(URL, params)
    shown = sum(len(c.claims) for c in many.context["board"].columns)
    assert sum(len(c.claims) for c in few.context["board"].columns) < shown <= len(BOARD_STATES) * BOARD_PER_COLUMN
