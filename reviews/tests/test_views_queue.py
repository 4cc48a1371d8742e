"""The claim queue: every filter, the sort orders, the saved filters, invalid input, the htmx
swap, bulk selection, who may see what, and a pinned query count."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Claim
from reviews import services

pytestmark = pytest.mark.django_db
S = Claim.Status
TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
URL = reverse("claim-queue")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "queue-view"}

# Session, user, groups; then count, page, reviewers (filter select), reviewers (bulk-assign select).
QUEUE_QUERIES = 7
# My claims: no reviewer select and no bulk form.
MY_CLAIMS_QUERIES = 5


def make_claims(n: int, *, title: str = "Bulk article", **fields) -> list[Claim]:
    """``n`` claims in one new article, written in one INSERT. ``fields`` are the same for all
    of them; a callable value is called with the claim's index."""
    article = Article.objects.create(title=title, body="x" * (n + 10), extraction_status="done")
    rows = []
    for i in range(n):
        values = {"text": f"{title} claim {i}", "checkworthiness": 0.5}
        values.update({name: value(i) if callable(value) else value for name, value in fields.items()})
        rows.append(Claim(article=article, start=i, end=i + 1, **values))
    return Claim.objects.bulk_create(rows)


def ids(response) -> list[int]:
    return [claim.pk for claim in response.context["page"]]


def pks(claims) -> list[int]:
    return [claim.pk for claim in claims]


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def mixed(editor, reviewer, other_reviewer) -> dict[str, list[Claim]]:
    """A small desk: candidates, accepted, assigned to either reviewer, one overdue, one published."""
    return {
        "candidates": make_claims(
            3,
            title="Budget",
            speaker=lambda i: ("Jane Minister", "John Doe", "")[i],
            claim_type=lambda i: (Claim.ClaimType.QUANTITY, Claim.ClaimType.PREDICTION, Claim.ClaimType.OTHER)[i],
            checkworthiness=lambda i: (0.9, 0.3, 0.6)[i],
        ),
        "accepted": make_claims(2, title="Health", status=S.ACCEPTED, checkworthiness=0.7, speaker="jane minister"),
        "rita": make_claims(
            2,
            title="Defence",
            status=S.ASSIGNED,
            assignee=reviewer,
            due_date=lambda i: (YESTERDAY, TODAY + datetime.timedelta(days=3))[i],
            priority=lambda i: (Claim.Priority.URGENT, Claim.Priority.LOW)[i],
        ),
        "otto": make_claims(1, title="Transport", status=S.IN_REVIEW, assignee=other_reviewer, due_date=YESTERDAY),
        "published": make_claims(1, title="Archive", status=S.PUBLISHED, due_date=YESTERDAY),
    }


# --- Who may see the queue ---------------------------------------------------------------------


def test_the_queue_needs_a_newsroom_role(client, outsider):
    assert client.get(URL)["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


def test_a_reviewer_sees_only_their_claims(client, reviewer, mixed):
    client.force_login(reviewer)
    response = client.get(URL)
    assert set(ids(response)) == set(pks(mixed["rita"]))
    assert 'id="bulk-form"' not in response.text
    # No reviewer filter and no four-eyes link for a reviewer.
    assert 'name="reviewer"' not in response.text and "awaiting=on" not in response.text


def test_a_reviewer_sees_accepted_claims_to_take_where_the_desk_allows_it(client, reviewer, mixed, settings):
    settings.REVIEWER_SELF_ASSIGN = True
    client.force_login(reviewer)
    response = client.get(URL)
    assert set(ids(response)) == set(pks(mixed["rita"] + mixed["accepted"]))
    assert 'href="?status=accepted&amp;unassigned=on"' in response.text  # "Open to take"
    # "Assigned to me" leaves the claims to take out.
    assert set(ids(client.get(URL, {"mine": "on"}))) == set(pks(mixed["rita"]))


def test_an_editor_sees_every_claim(editor_client, mixed):
    response = editor_client.get(URL)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == sum(len(c) for c in mixed.values())


# --- Filters -----------------------------------------------------------------------------------


def test_filter_by_state(editor_client, mixed):
    assert set(ids(editor_client.get(URL, {"status": "accepted"}))) == set(pks(mixed["accepted"]))


def test_filter_by_reviewer(editor_client, mixed, other_reviewer):
    assert ids(editor_client.get(URL, {"reviewer": other_reviewer.pk})) == pks(mixed["otto"])


def test_filter_by_article(editor_client, mixed):
    article_id = mixed["rita"][0].article_id
    assert set(ids(editor_client.get(URL, {"article": article_id}))) == set(pks(mixed["rita"]))


def test_filter_by_claim_type(editor_client, mixed):
    assert ids(editor_client.get(URL, {"claim_type": "prediction"})) == [mixed["candidates"][1].pk]


def test_filter_by_score_range(editor_client, mixed):
    high = {c.pk for c in Claim.objects.filter(checkworthiness__gte=0.65)}
    assert (
        set(ids(editor_client.get(URL, {"min_score": "0.65"})))
        == high
        == {
            mixed["candidates"][0].pk,
            *pks(mixed["accepted"]),
        }
    )
    assert set(ids(editor_client.get(URL, {"min_score": "0.55", "max_score": "0.65"}))) == {mixed["candidates"][2].pk}


def test_filter_by_speaker_matches_part_of_the_name_in_any_case(editor_client, mixed):
    expected = {mixed["candidates"][0].pk, *pks(mixed["accepted"])}
    assert set(ids(editor_client.get(URL, {"speaker": "MINISTER"}))) == expected
    assert set(ids(editor_client.get(URL, {"speaker": "  jane "}))) == expected


def test_filter_overdue_only_open_claims(editor_client, mixed):
    # The published claim is past its due date too, but its work is done.
    assert set(ids(editor_client.get(URL, {"overdue": "on"}))) == {mixed["rita"][0].pk, mixed["otto"][0].pk}


def test_filters_combine(editor_client, mixed, reviewer):
    response = editor_client.get(URL, {"reviewer": reviewer.pk, "overdue": "on", "status": "assigned"})
    assert ids(response) == [mixed["rita"][0].pk]
    assert ids(editor_client.get(URL, {"reviewer": reviewer.pk, "status": "accepted"})) == []
    assert "No claims match." in editor_client.get(URL, {"reviewer": reviewer.pk, "status": "accepted"}).text


def test_filters_keep_their_values_in_the_form(editor_client, mixed):
    text = editor_client.get(URL, {"speaker": "jane", "min_score": "0.4", "claim_type": "quantity"}).text
    assert 'name="speaker" value="jane"' in text
    assert 'name="min_score" value="0.4"' in text
    assert '<option value="quantity" selected>' in text


# --- Sorting -----------------------------------------------------------------------------------


def test_sort_orders(editor_client, mixed):
    everything = [c for group in mixed.values() for c in group]
    by_score = sorted(everything, key=lambda c: (-c.checkworthiness, c.article_id, c.start))
    assert ids(editor_client.get(URL, {"sort": "score"})) == pks(by_score)
    by_priority = sorted(everything, key=lambda c: (-c.priority, -c.checkworthiness, c.article_id, c.start))
    assert ids(editor_client.get(URL, {"sort": "priority"})) == pks(by_priority)
    assert ids(editor_client.get(URL)) == pks(by_priority)  # the default
    due = ids(editor_client.get(URL, {"sort": "due"}))
    dated = [c for c in everything if c.due_date]
    # Earliest due date first, claims without one last.
    assert due[: len(dated)] == pks(sorted(dated, key=lambda c: (c.due_date, -c.priority, c.article_id, c.start)))
    assert ids(editor_client.get(URL, {"sort": "newest"})) == sorted(pks(everything), reverse=True)


# --- Invalid input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "bogus"}, "Status"),
        ({"claim_type": "opinion"}, "Claim type"),
        ({"min_score": "abc"}, "Score at least"),
        ({"min_score": "1.5"}, "Score at least"),
        ({"min_score": "nan"}, "Score at least"),
        ({"max_score": "-1"}, "Score at most"),
        ({"article": "9" * 30}, "Article no."),
        ({"article": "-4"}, "Article no."),
        ({"reviewer": "abc"}, "Reviewer"),
        ({"reviewer": "999999"}, "Reviewer"),
        ({"sort": "random()"}, "Sort by"),
        ({"speaker": "x" * 201}, "Speaker"),
        ({"speaker": "a\x00b"}, "Speaker"),
    ],
)
def test_an_invalid_filter_is_named_and_ignored(editor_client, mixed, params, field):
    response = editor_client.get(URL, params)
    assert response.status_code == 200
    assert "Some filters were not understood and are ignored" in response.text
    assert f"<li>{field}: " in response.text
    assert response.context["page"].paginator.count == sum(len(c) for c in mixed.values())


def test_the_valid_filters_still_apply_beside_an_invalid_one(editor_client, mixed):
    response = editor_client.get(URL, {"status": "accepted", "min_score": "lots"})
    assert set(ids(response)) == set(pks(mixed["accepted"]))


def test_a_score_range_upside_down_is_refused(editor_client, mixed):
    response = editor_client.get(URL, {"min_score": "0.8", "max_score": "0.2"})
    assert "Score at most: The upper score is below the lower one." in response.text
    # The lower bound alone still applies.
    assert ids(response) == [mixed["candidates"][0].pk]


def test_a_page_out_of_range_shows_the_last_page(editor_client, editor):
    make_claims(60)
    for bad in ("abc", "999", "-1"):
        response = editor_client.get(URL, {"page": bad})
        assert response.status_code == 200 and len(response.context["page"]) in (50, 10)


# --- Saved filters -----------------------------------------------------------------------------


def test_saved_filters_for_editors(editor_client, mixed):
    text = editor_client.get(URL).text
    for label, query in (
        ("Assigned to me", "mine=on"),
        ("Waiting for my approval", "awaiting=on"),
        ("Needs triage", "status=candidate&amp;sort=score"),
        ("Unassigned accepted", "status=accepted&amp;unassigned=on"),
        ("Overdue", "overdue=on"),
    ):
        assert f'<a href="?{query}">{label}</a>' in text
    assert 'aria-current="page" class="active"' not in text


def test_needs_triage_is_the_candidates_by_score(editor_client, mixed):
    response = editor_client.get(URL, {"status": "candidate", "sort": "score"})
    by_score = sorted(mixed["candidates"], key=lambda c: -c.checkworthiness)
    assert ids(response) == pks(by_score)
    assert '<a href="?status=candidate&amp;sort=score" aria-current="page" class="active">Needs triage</a>' in (
        response.text
    )


def test_unassigned_accepted(editor_client, editor, mixed, reviewer):
    taken = make_claims(1, status=S.ACCEPTED, assignee=reviewer)
    response = editor_client.get(URL, {"status": "accepted", "unassigned": "on"})
    assert set(ids(response)) == set(pks(mixed["accepted"]))
    assert taken[0].pk not in ids(response)
    assert 'aria-current="page" class="active">Unassigned accepted</a>' in response.text


def test_a_saved_filter_is_active_when_the_form_sends_every_field(editor_client, mixed):
    # What the filter form sends: every field, empty or at its default, in form order.
    params = {
        "status": "",
        "reviewer": "",
        "article": "",
        "claim_type": "",
        "min_score": "",
        "max_score": "",
        "speaker": "",
        "sort": "priority",
        "overdue": "on",
    }
    text = editor_client.get(URL, params).text
    assert 'aria-current="page" class="active">Overdue</a>' in text
    assert text.count('class="active"') == 1
    # One more filter: no saved filter is exactly that.
    assert 'class="active"' not in editor_client.get(URL, {**params, "speaker": "jane"}).text


def test_my_claims_offers_only_overdue(client, reviewer, mixed):
    client.force_login(reviewer)
    response = client.get(reverse("my-claims"), {"overdue": "on"})
    assert ids(response) == [mixed["rita"][0].pk]
    assert 'aria-current="page" class="active">Overdue</a>' in response.text
    assert "Needs triage" not in response.text and 'name="mine"' not in response.text


@pytest.mark.parametrize("persona", ["editor", "reviewer"])
def test_my_claims_offers_no_unassigned_filter_and_ignores_one_sent(client, persona, request, mixed):
    # Every claim in "My claims" has an assignee: the filter could only ever empty the list.
    client.force_login(request.getfixturevalue(persona))
    assert 'name="unassigned"' not in client.get(reverse("my-claims")).text
    response = client.get(reverse("my-claims"), {"unassigned": "on"})
    assert response.status_code == 200
    expected = [mixed["rita"][0].pk, mixed["rita"][1].pk] if persona == "reviewer" else []
    assert sorted(ids(response)) == sorted(expected)
    # The queue keeps it.
    if persona == "editor":
        assert 'name="unassigned"' in client.get(URL).text


# --- htmx: the list swaps without a page load ---------------------------------------------------


def test_the_filter_form_swaps_the_view_with_htmx_and_works_without(editor_client, mixed):
    text = editor_client.get(URL).text
    form = re.search(r'<form method="get"[^>]*class="filters"[^>]*>', text).group(0)
    assert f'hx-get="{URL}"' in form and 'hx-push-url="true"' in form and 'hx-target="#queue-view"' in form
    assert f'action="{URL}"' in form  # a plain GET form without JS
    assert "htmx" in text and 'id="queue-view"' in text
    assert "{#" not in text and "{%" not in text  # no template comment leaks into the page


def test_htmx_gets_only_the_view(editor_client, mixed):
    response = editor_client.get(URL, {"status": "accepted"}, **HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="queue-view"')
    assert "<html" not in response.text and "site-header" not in response.text
    assert set(ids(response)) == set(pks(mixed["accepted"]))
    assert {"HX-Request", "HX-Target"} <= {h.strip() for h in response["Vary"].split(",")}


def test_a_history_restore_or_another_target_gets_the_whole_page(editor_client, mixed):
    restore = editor_client.get(URL, **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    other = editor_client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="something-else")
    for response in (restore, other):
        assert "<html" in response.text and 'id="queue-view"' in response.text


def test_invalid_filters_in_an_htmx_request_show_the_error(editor_client, mixed):
    response = editor_client.get(URL, {"min_score": "high"}, **HTMX)
    assert response.status_code == 200 and "Score at least: Enter a number." in response.text


# --- Bulk selection ----------------------------------------------------------------------------


def test_select_all_on_the_page_and_the_selected_count(editor_client, mixed):
    text = editor_client.get(URL).text
    assert re.search(r'<input type="checkbox" id="select-all" data-select-all aria-label="[^"]+">', text)
    assert "<output data-selected-count>0</output> selected" in text
    boxes = re.findall(r'<input type="checkbox" name="claims" value="(\d+)" form="bulk-form"', text)
    assert sorted(map(int, boxes)) == sorted(c.pk for group in mixed.values() for c in group)


def test_select_all_is_on_this_page_only(editor_client):
    claims = make_claims(60, status=S.ACCEPTED)
    text = editor_client.get(URL, {"sort": "article"}).text
    boxes = re.findall(r'name="claims" value="(\d+)" form="bulk-form"', text)
    assert list(map(int, boxes)) == pks(claims[:50])


def test_assigning_every_claim_selected_on_the_page(editor_client, reviewer):
    claims = make_claims(60, status=S.ACCEPTED)
    text = editor_client.get(URL, {"status": "accepted", "sort": "article"}).text
    on_page = re.findall(r'name="claims" value="(\d+)" form="bulk-form"', text)
    action = re.search(r'id="bulk-form" action="([^"]+)"', text).group(1).replace("&amp;", "&")
    assert action == reverse("claims-bulk-assign") + "?status=accepted&sort=article"
    response = editor_client.post(action, {"claims": on_page, "reviewer": reviewer.pk}, follow=True)
    assert response.redirect_chain[-1][0] == URL + "?status=accepted&sort=article"
    assert "50 assigned to rita." in response.text
    assigned = set(Claim.objects.filter(assignee=reviewer, status=S.ASSIGNED).values_list("pk", flat=True))
    assert assigned == set(pks(claims[:50]))
    # The filtered queue now shows the ten left.
    assert ids(response) == pks(claims[50:])


def test_a_refused_bulk_form_keeps_the_selection_and_its_count(editor_client, editor2):
    claims = make_claims(3, status=S.ACCEPTED)
    response = editor_client.post(reverse("claims-bulk-assign"), {"claims": pks(claims[:2]), "reviewer": editor2.pk})
    assert response.status_code == 400
    assert "<output data-selected-count>2</output> selected" in response.text
    for claim in claims[:2]:
        assert f'value="{claim.pk}" form="bulk-form" aria-label="Select claim {claim.pk}" checked' in response.text
    assert f'value="{claims[2].pk}" form="bulk-form" aria-label="Select claim {claims[2].pk}">' in response.text
    assert not Claim.objects.filter(assignee__isnull=False).exists()


def test_bulk_assign_with_services_writes_events(editor_client, editor, reviewer):
    claims = make_claims(2)
    before = {c.pk: c.status for c in claims}
    editor_client.post(reverse("claims-bulk-assign"), {"claims": pks(claims), "reviewer": reviewer.pk})
    for claim in claims:
        claim.refresh_from_db()
        assert (before[claim.pk], claim.status, claim.assignee_id) == (S.CANDIDATE, S.ASSIGNED, reviewer.pk)
        assert claim.events.filter(action="claim.assign").count() == 1


# --- Escaping ----------------------------------------------------------------------------------


def test_claim_text_and_speaker_are_escaped(editor_client):
    make_claims(1, text="<script>alert(1)</script>", speaker="<img src=x onerror=alert(1)>")
    text = editor_client.get(URL).text
    assert "<script>alert(1)" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


# --- Query budget ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{}, {"overdue": "on", "sort": "due"}, {"speaker": "minister", "min_score": "0.2", "claim_type": "quantity"}],
)
def test_the_queue_query_count_does_not_grow_with_claims(
    editor_client, editor, reviewer, other_reviewer, django_assert_num_queries, params
):
    def grow(n: int) -> None:
        make_claims(
            n,
            assignee=lambda i: (reviewer, other_reviewer, None)[i % 3],
            status=lambda i: (S.ASSIGNED, S.IN_REVIEW, S.CANDIDATE)[i % 3],
            due_date=YESTERDAY,
            speaker="The Minister",
            claim_type=Claim.ClaimType.QUANTITY,
        )

    grow(3)
    editor_client.get(URL)  # warm the session
    with django_assert_num_queries(QUEUE_QUERIES):
        few = editor_client.get(URL, params)
    grow(120)
    with django_assert_num_queries(QUEUE_QUERIES):
        many = editor_client.get(URL, params)
    with django_assert_num_queries(QUEUE_QUERIES):
        editor_client.get(URL, params, **HTMX)
    assert len(few.context["page"]) < len(many.context["page"]) == 50


def test_my_claims_query_count_does_not_grow_with_claims(client, editor, reviewer, django_assert_num_queries):
    def grow(n: int) -> None:
        claims = make_claims(n, status=S.ACCEPTED, due_date=YESTERDAY)
        for claim in claims:
            services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)

    grow(2)
    client.force_login(reviewer)
    client.get(reverse("my-claims"))
    with django_assert_num_queries(MY_CLAIMS_QUERIES):
        client.get(reverse("my-claims"), {"overdue": "on"})
    grow(40)
    with django_assert_num_queries(MY_CLAIMS_QUERIES):
        response = client.get(reverse("my-claims"), {"overdue": "on"})
    assert len(response.context["page"]) == 42


def _nav_links(client) -> list[str]:
    html = client.get(reverse("claim-board")).content.decode()
    nav = html[html.index('aria-label="Main"') : html.index("</nav>")]
    return re.findall(r">([^<>]+)</a>", nav)


@pytest.mark.parametrize(
    ("persona", "self_assign", "has_queue"),
    [("editor", False, True), ("reviewer", False, False), ("reviewer", True, True)],
)
def test_the_queue_link_is_there_only_when_it_differs_from_my_claims(
    client, request, settings, persona, self_assign, has_queue
):
    settings.REVIEWER_SELF_ASSIGN = self_assign
    client.force_login(request.getfixturevalue(persona))
    links = _nav_links(client)
    assert ("Queue" in links) is has_queue
    assert ("My claims" in links) is (persona == "reviewer")
    assert "Board" in links
