"""The newsroom claim pages: home, the queue, the claim page and every workflow action,
for who may and who may not; the whole path through the web UI; query budgets."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles import services as article_services
from articles.models import Article, Claim
from conftest import PASSWORD
from factcheck.roles import EDITORS, REVIEWERS
from reviews import services
from reviews.models import Assignment, Event, Rating, Ruling, Source
from reviews.views.claim import PARAGRAPH_CHARS

pytestmark = pytest.mark.django_db
S = Claim.Status

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"

# Session, user, groups; then the page's own queries.
QUEUE_QUERIES = 7  # + count, page, reviewers for the filter's select and for the bulk-assign select
# + claim, sources, rulings, comments, merged claims, history, reviewers (assign form)
CLAIM_PAGE_QUERIES = 10
# + which of the names @mentioned in the comments are users: only when a comment mentions someone.
MENTIONS_QUERY = 1
ACTIONS = ["claim-accept", "claim-reject", "claim-assign", "source-add", "ruling-submit"]
RULING_ACTIONS = ["ruling-approve", "ruling-return", "ruling-publish"]


@pytest.fixture
def claim(article) -> Claim:
    return article.claims.exclude(speaker="").order_by("-checkworthiness", "start").first()


@pytest.fixture
def submitted(assigned, reviewer) -> Ruling:
    services.source_add(claim=assigned, actor=reviewer, title="SIPRI Top 100", url="https://sipri.org/top100")
    return services.ruling_submit(
        claim=assigned,
        actor=reviewer,
        rating=Rating.objects.get(slug="mostly-true"),
        summary="Türkiye has a large defence industry",
        explanation="SIPRI lists several Turkish firms in its top 100.",
    )


def _state(claim: Claim) -> tuple:
    """Everything a refused action must leave as it was."""
    claim.refresh_from_db()
    return (
        claim.status,
        claim.assignee_id,
        claim.priority,
        Event.objects.count(),
        Source.objects.count(),
        Ruling.objects.count(),
        Assignment.objects.count(),
        tuple(Ruling.objects.values_list("status", flat=True)),
    )


def _post_data(name: str, reviewer=None) -> dict:
    if name == "claim-assign":
        return {"reviewer": reviewer.pk if reviewer else "", "priority": 3, "due_date": "2030-01-31"}
    if name == "source-add":
        return {"title": "A source", "url": "https://example.org/", "kind": "dataset"}
    if name == "ruling-submit":
        return {"rating": Rating.objects.get(slug="false").pk, "summary": "A summary", "explanation": "An explanation."}
    if name == "ruling-return":
        return {"note": "Please add a primary source."}
    return {}


# --- Home, login, logout -----------------------------------------------------------------------


def test_home_sends_each_role_to_its_place(client, editor, reviewer, outsider):
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    client.force_login(editor)
    assert client.get(reverse("home"))["Location"] == reverse("claim-queue")
    client.force_login(reviewer)
    assert client.get(reverse("home"))["Location"] == reverse("my-claims")
    client.force_login(outsider)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "no newsroom role" in response.text.lower()


def test_login_and_logout(client, editor):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert '<label for="id_username"' in page.text and '<label for="id_password"' in page.text

    response = client.post(reverse("login"), {"username": "erin", "password": PASSWORD})
    assert response["Location"] == reverse("home")
    queue = client.get(reverse("claim-queue"))
    assert reverse("logout") in queue.text and "erin" in queue.text

    assert client.get(reverse("logout")).status_code == 405  # logout is a POST form
    assert client.post(reverse("logout"))["Location"] == reverse("login")
    assert client.get(reverse("claim-queue")).status_code == 302


def test_the_nav_shows_what_each_role_may_use(client, editor, reviewer, admin_user):
    client.force_login(reviewer)
    text = client.get(reverse("my-claims")).text
    assert reverse("my-claims") in text and reverse("article-create") not in text
    assert reverse("admin:index") not in text
    client.force_login(editor)
    text = client.get(reverse("claim-queue")).text
    assert reverse("article-create") in text and f'href="{reverse("my-claims")}"' not in text
    client.force_login(admin_user)
    assert reverse("admin:index") in client.get(reverse("claim-queue")).text


# --- The queue ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["claim-queue", "my-claims"])
def test_the_queue_needs_a_newsroom_role(client, outsider, name):
    assert client.get(reverse(name))["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(reverse(name)).status_code == 403


def test_editors_see_every_claim_in_the_queue(client, editor, article):
    client.force_login(editor)
    response = client.get(reverse("claim-queue"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == article.claims.count()


def test_reviewers_see_only_their_own_claims(client, reviewer, other_reviewer, assigned):
    for name in ("claim-queue", "my-claims"):
        client.force_login(reviewer)
        assert list(client.get(reverse(name)).context["page"]) == [assigned]
        client.force_login(other_reviewer)
        assert list(client.get(reverse(name)).context["page"]) == []


def test_my_claims_are_the_claims_assigned_to_me(client, editor, assigned):
    client.force_login(editor)
    assert list(client.get(reverse("my-claims")).context["page"]) == []


def test_the_queue_filters(client, editor, reviewer, article, assigned):
    client.force_login(editor)
    url = reverse("claim-queue")
    assert list(client.get(url, {"status": "assigned"}).context["page"]) == [assigned]
    assert list(client.get(url, {"reviewer": reviewer.pk}).context["page"]) == [assigned]
    by_article = client.get(url, {"article": article.pk}).context["page"]
    assert by_article.paginator.count == article.claims.count()
    assert client.get(url, {"article": article.pk + 1000}).context["page"].paginator.count == 0


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bogus"},
        {"status": "\x00"},
        {"reviewer": "abc"},
        {"reviewer": "999999"},
        {"reviewer": "9" * 30},
        {"article": "-1"},
        {"article": "1e9x"},
        {"article": "9" * 30},
    ],
)
def test_bad_queue_filters_are_ignored_and_reported(client, editor, article, params):
    client.force_login(editor)
    response = client.get(reverse("claim-queue"), params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "not understood" in response.text
    assert response.context["page"].paginator.count == article.claims.count()


def test_reviewers_cannot_filter_by_reviewer(client, reviewer, other_reviewer, assigned):
    client.force_login(reviewer)
    response = client.get(reverse("claim-queue"), {"reviewer": other_reviewer.pk})
    assert "reviewer" not in response.context["form"].fields  # only editors filter by reviewer
    assert list(response.context["page"]) == [assigned]


def test_the_queue_is_paginated(client, editor, article, seed_text):
    extra = article_services.article_create(submitted_by=editor, body="\n".join([seed_text] * 3), extract=False)
    article_services.article_extract(article_id=extra.pk)
    total = Claim.objects.count()
    assert total > 50
    client.force_login(editor)
    first = client.get(reverse("claim-queue"))
    assert len(first.context["page"]) == 50
    assert "page=2" in first.text
    second = client.get(reverse("claim-queue"), {"page": 2, "status": "candidate"})
    assert len(second.context["page"]) == total - 50
    assert "status=candidate" in second.text  # pagination links keep the filters
    assert client.get(reverse("claim-queue"), {"page": "nonsense"}).status_code == 200


# --- The claim page ----------------------------------------------------------------------------


def test_the_claim_page_is_for_the_newsroom_only(client, outsider, claim):
    url = reverse("claim-detail", args=[claim.pk])
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_reviewers_open_their_own_claims_only(client, reviewer, other_reviewer, assigned, article):
    url = reverse("claim-detail", args=[assigned.pk])
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    # The reviewer may add sources and submit a ruling, not triage or assign.
    assert reverse("source-add", args=[assigned.pk]) in response.text
    assert reverse("ruling-submit", args=[assigned.pk]) in response.text
    assert reverse("claim-assign", args=[assigned.pk]) not in response.text
    assert reverse("claim-reject", args=[assigned.pk]) not in response.text

    client.force_login(other_reviewer)
    assert client.get(url).status_code == 404
    unassigned = article.claims.exclude(pk=assigned.pk).first()
    client.force_login(reviewer)
    assert client.get(reverse("claim-detail", args=[unassigned.pk])).status_code == 404


def test_editors_see_the_claim_in_context_with_its_actions(client, editor, claim):
    client.force_login(editor)
    response = client.get(reverse("claim-detail", args=[claim.pk]))
    assert response.status_code == 200
    assert f'<mark class="status-candidate">{escape(claim.text)}</mark>' in response.text
    assert claim.speaker in response.text
    for name in ("claim-accept", "claim-reject", "claim-assign"):
        assert reverse(name, args=[claim.pk]) in response.text
    assert reverse("ruling-submit", args=[claim.pk]) not in response.text
    assert reverse("source-add", args=[claim.pk]) not in response.text  # candidates take no sources


def test_the_claim_page_shows_rulings_sources_and_history(client, editor, submitted, editor2):
    services.ruling_return(ruling=submitted, actor=editor2, note="Needs the 2024 figures.")
    client.force_login(editor)
    response = client.get(reverse("claim-detail", args=[submitted.claim_id]))
    assert "Needs the 2024 figures." in response.text
    assert "SIPRI Top 100" in response.text and 'href="https://sipri.org/top100"' in response.text
    for action in ("claim.accept", "claim.assign", "source.added", "claim.submit", "claim.return"):
        assert action in response.text
    assert "Ruling submitted → Returned" in response.text


def test_a_hostile_claim_is_escaped_on_the_claim_page(client, editor):
    body = f"The minister said {HOSTILE} unemployment fell by 3% in 2023."
    article = article_services.article_create(submitted_by=editor, body=body, title=HOSTILE, extract=False)
    claim = Claim.objects.create(
        article=article, start=0, end=len(body), text=body, speaker=HOSTILE, checkworthiness=0.9
    )
    client.force_login(editor)
    response = client.get(reverse("claim-detail", args=[claim.pk]))
    assert response.status_code == 200
    assert HOSTILE not in response.text
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_the_claim_excerpt_is_cut_around_a_long_line(client, editor):
    body = "x" * 2000 + " Unemployment fell by 3% in 2023. " + "y" * 2000
    article = article_services.article_create(submitted_by=editor, body=body, extract=False)
    start = body.index("Unemployment")
    claim = Claim.objects.create(article=article, start=start, end=start + 32, text=body[start : start + 32])
    client.force_login(editor)
    excerpt = client.get(reverse("claim-detail", args=[claim.pk])).context["excerpt"]
    assert excerpt["text"] == "Unemployment fell by 3% in 2023."
    assert excerpt["cut_before"] and excerpt["cut_after"]
    assert len(excerpt["before"]) == len(excerpt["after"]) == PARAGRAPH_CHARS
    assert excerpt["previous"] is None and excerpt["next"] is None


# --- Actions: who may not, and nothing changes -------------------------------------------------


@pytest.mark.parametrize("name", ACTIONS)
def test_anonymous_actions_go_to_login_and_change_nothing(client, reviewer, assigned, name):
    before = _state(assigned)
    response = client.post(reverse(name, args=[assigned.pk]), _post_data(name, reviewer))
    assert response["Location"].startswith(reverse("login"))
    assert _state(assigned) == before


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_are_post_only(client, editor, claim, name):
    client.force_login(editor)
    assert client.get(reverse(name, args=[claim.pk])).status_code == 405


def test_actions_need_the_csrf_token(reviewer, assigned):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    before = _state(assigned)
    response = client.post(reverse("source-add", args=[assigned.pk]), _post_data("source-add"))
    assert response.status_code == 403
    assert _state(assigned) == before


@pytest.mark.parametrize("name", ACTIONS)
def test_outsiders_are_refused_every_action(client, outsider, reviewer, assigned, name):
    before = _state(assigned)
    client.force_login(outsider)
    assert client.post(reverse(name, args=[assigned.pk]), _post_data(name, reviewer)).status_code == 403
    assert _state(assigned) == before


@pytest.mark.parametrize("name", ACTIONS)
def test_other_reviewers_cannot_even_find_the_claim(client, other_reviewer, reviewer, assigned, name):
    before = _state(assigned)
    client.force_login(other_reviewer)
    assert client.post(reverse(name, args=[assigned.pk]), _post_data(name, reviewer)).status_code == 404
    assert _state(assigned) == before


@pytest.mark.parametrize("name", ["claim-accept", "claim-reject", "claim-assign"])
def test_reviewers_may_not_triage_or_assign_their_claims(client, reviewer, other_reviewer, assigned, name):
    before = _state(assigned)
    client.force_login(reviewer)
    response = client.post(reverse(name, args=[assigned.pk]), _post_data(name, other_reviewer))
    assert response.status_code == 403
    assert _state(assigned) == before


def test_editors_may_not_submit_rulings(client, editor, reviewer, assigned):
    services.source_add(claim=assigned, actor=reviewer, title="A source")
    before = _state(assigned)
    client.force_login(editor)
    response = client.post(reverse("ruling-submit", args=[assigned.pk]), _post_data("ruling-submit", reviewer))
    assert response.status_code == 403
    assert _state(assigned) == before


@pytest.mark.parametrize("name", RULING_ACTIONS)
def test_ruling_actions_refuse_outsiders_and_other_reviewers(client, outsider, other_reviewer, submitted, name):
    before = _state(submitted.claim)
    url = reverse(name, args=[submitted.pk])
    data = _post_data(name)
    assert client.post(url, data)["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.post(url, data).status_code == 403
    client.force_login(other_reviewer)
    assert client.post(url, data).status_code == 404
    assert client.get(url).status_code == 405
    assert _state(submitted.claim) == before


@pytest.mark.parametrize("name", ["ruling-approve", "ruling-return"])
def test_reviewers_cannot_decide_their_own_ruling(client, reviewer, submitted, name):
    before = _state(submitted.claim)
    client.force_login(reviewer)
    assert client.post(reverse(name, args=[submitted.pk]), _post_data(name)).status_code == 403
    assert _state(submitted.claim) == before


def test_four_eyes_for_an_editor_who_wrote_the_ruling(client, editor, django_user_model, claim):
    both = django_user_model.objects.create_user(username="bea", password=PASSWORD)
    both.groups.add(Group.objects.get(name=EDITORS), Group.objects.get(name=REVIEWERS))
    services.claim_assign(claim=claim, reviewer=both, actor=editor)
    services.source_add(claim=claim, actor=both, title="A source")
    ruling = services.ruling_submit(
        claim=claim, actor=both, rating=Rating.objects.get(slug="false"), summary="S", explanation="E"
    )
    client.force_login(both)
    page = client.get(reverse("claim-detail", args=[claim.pk]))
    assert reverse("ruling-approve", args=[ruling.pk]) not in page.text  # the button is hidden...
    before = _state(claim)
    assert client.post(reverse("ruling-approve", args=[ruling.pk])).status_code == 403  # ...and refused
    assert _state(claim) == before


def test_publishing_needs_an_approved_ruling(client, editor2, submitted):
    before = _state(submitted.claim)
    client.force_login(editor2)
    response = client.post(reverse("ruling-publish", args=[submitted.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("claim-detail", args=[submitted.claim_id])
    assert "Cannot publish a claim that is ruling submitted." in response.text
    assert _state(submitted.claim) == before


# --- Actions: refused transitions and bad input ------------------------------------------------


def test_an_impossible_transition_is_explained_on_the_claim_page(client, editor, assigned):
    before = _state(assigned)
    client.force_login(editor)
    response = client.post(reverse("claim-accept", args=[assigned.pk]), follow=True)
    assert response.redirect_chain == [(reverse("claim-detail", args=[assigned.pk]), 302)]
    assert "Cannot accept a claim that is assigned." in response.text
    assert _state(assigned) == before


def test_assigning_to_a_non_reviewer_is_refused_on_the_form(client, editor, editor2, claim):
    before = _state(claim)
    client.force_login(editor)
    response = client.post(reverse("claim-assign", args=[claim.pk]), {"reviewer": editor2.pk, "priority": 2})
    assert response.status_code == 400
    assert "reviewer" in response.context["assign_form"].errors
    assert _state(claim) == before


def test_a_bad_source_url_is_refused_on_the_form(client, reviewer, assigned):
    before = _state(assigned)
    client.force_login(reviewer)
    response = client.post(
        reverse("source-add", args=[assigned.pk]), {"title": "Evil", "url": "javascript:alert(1)", "kind": "other"}
    )
    assert response.status_code == 400
    assert "url" in response.context["source_form"].errors
    assert _state(assigned) == before


def test_an_empty_ruling_is_refused_on_the_form(client, reviewer, assigned):
    services.source_add(claim=assigned, actor=reviewer, title="A source")
    before = _state(assigned)
    client.force_login(reviewer)
    data = _post_data("ruling-submit") | {"summary": "   ", "explanation": "ok\x00"}
    response = client.post(reverse("ruling-submit", args=[assigned.pk]), data)
    assert response.status_code == 400
    assert {"summary", "explanation"} <= set(response.context["ruling_form"].errors)
    assert _state(assigned) == before


def test_a_ruling_needs_a_source_first(client, reviewer, assigned):
    before = _state(assigned)
    client.force_login(reviewer)
    response = client.post(reverse("ruling-submit", args=[assigned.pk]), _post_data("ruling-submit"), follow=True)
    assert "Add at least one source" in response.text
    assert _state(assigned) == before


def test_returning_needs_a_note(client, editor2, submitted):
    before = _state(submitted.claim)
    client.force_login(editor2)
    response = client.post(reverse("ruling-return", args=[submitted.pk]), {"note": "  "})
    assert response.status_code == 400
    assert "note" in response.context["return_form"].errors
    assert _state(submitted.claim) == before


# --- The whole path through the web UI ---------------------------------------------------------


def _ld_json(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert match, "no ld+json block"
    return json.loads(match.group(1))


def test_the_whole_path_through_the_web_ui(client, editor, editor2, reviewer, seed_text, settings):
    # The editor submits an article; the worker (called here in-process) extracts its claims.
    client.force_login(editor)
    response = client.post(
        reverse("article-create"),
        {
            "title": "NATO summit",
            "body": seed_text,
            "source_url": "https://example.org/nato",
            "outlet": "Example Wire",
            "published_on": "2025-06-24",
            "language": "en",
        },
    )
    article = Article.objects.get()
    assert response["Location"] == reverse("article-detail", args=[article.pk])
    assert article_services.article_extract(article_id=article.pk) > 0
    claim = article.claims.exclude(speaker="").order_by("-checkworthiness", "start").first()
    claim_url = reverse("claim-detail", args=[claim.pk])

    # The editor accepts the claim and assigns it.
    assert client.post(reverse("claim-accept", args=[claim.pk]))["Location"] == claim_url
    response = client.post(
        reverse("claim-assign", args=[claim.pk]), {"reviewer": reviewer.pk, "priority": 4, "due_date": "2030-01-31"}
    )
    assert response["Location"] == claim_url
    claim.refresh_from_db()
    assert (claim.status, claim.assignee, claim.priority) == (S.ASSIGNED, reviewer, 4)

    # The reviewer finds it in their queue, adds a source and submits a ruling.
    client.force_login(reviewer)
    assert claim in client.get(reverse("my-claims")).context["page"]
    response = client.post(
        reverse("source-add", args=[claim.pk]),
        {"title": "SIPRI Top 100", "url": "https://sipri.org/top100", "kind": "dataset", "publisher": "SIPRI"},
    )
    assert response["Location"] == claim_url
    response = client.post(
        reverse("ruling-submit", args=[claim.pk]),
        {
            "rating": Rating.objects.get(slug="mostly-true").pk,
            "summary": "Türkiye has a very large defence industry",
            "explanation": "SIPRI lists several Turkish firms in its top 100.",
        },
    )
    assert response["Location"] == claim_url
    ruling = Ruling.objects.get(claim=claim)

    # The reviewer cannot approve their own ruling.
    assert client.post(reverse("ruling-approve", args=[ruling.pk])).status_code == 403
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED

    # Not published yet: no public page.
    client.logout()
    assert client.get(reverse("factcheck-public", args=[ruling.pk])).status_code == 404

    # A second editor approves and publishes.
    client.force_login(editor2)
    page = client.get(claim_url)
    assert reverse("ruling-approve", args=[ruling.pk]) in page.text
    assert client.post(reverse("ruling-approve", args=[ruling.pk]))["Location"] == claim_url
    assert client.post(reverse("ruling-publish", args=[ruling.pk]))["Location"] == claim_url
    claim.refresh_from_db()
    ruling.refresh_from_db()
    assert claim.status == S.PUBLISHED and ruling.approved_by == editor2 and ruling.published_at

    # The public page needs no login and carries ClaimReview markup.
    client.logout()
    response = client.get(reverse("factcheck-public", args=[ruling.pk]))
    assert response.status_code == 200
    data = _ld_json(response.text)
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == "Türkiye has a very large defence industry"
    assert data["reviewRating"]["alternateName"] == "Mostly true"
    assert data["itemReviewed"]["author"]["name"] == claim.speaker
    assert data["author"]["name"] == settings.FACTCHECK_ORG_NAME
    assert data["datePublished"] == ruling.published_at.date().isoformat()
    assert claim.speaker in response.text and "SIPRI Top 100" in response.text


# --- Query budgets -----------------------------------------------------------------------------


def test_the_queue_query_count_does_not_grow_with_claims(
    client, editor, reviewer, other_reviewer, article, seed_text, django_assert_num_queries
):
    small = article_services.article_create(
        submitted_by=editor, body="Unemployment fell by 3% in 2023.\nPrices rose 5% last year.", extract=False
    )
    article_services.article_extract(article_id=small.pk)
    client.force_login(editor)
    url = reverse("claim-queue")
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(url, {"article": small.pk})
    assert len(response.context["page"]) == 2

    extra = article_services.article_create(submitted_by=editor, body=f"{seed_text}\n{seed_text}", extract=False)
    article_services.article_extract(article_id=extra.pk)
    yesterday = timezone.localdate() - datetime.timedelta(days=2)
    for i, claim in enumerate(Claim.objects.all()[:30]):
        due = yesterday if i % 3 == 0 else None  # some overdue: the badge costs no query
        services.claim_assign(claim=claim, reviewer=(reviewer, other_reviewer)[i % 2], actor=editor, due_date=due)
    assert Claim.objects.count() >= 40
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(url)
    assert len(response.context["page"]) >= 40
    assert any(claim.assignee_id for claim in response.context["page"])
    assert any(claim.is_overdue for claim in response.context["page"])


def test_the_claim_page_query_count_does_not_grow_with_sources_and_events(
    client, editor, editor2, reviewer, article, assigned, django_assert_num_queries
):
    client.force_login(editor)
    url = reverse("claim-detail", args=[assigned.pk])
    services.source_add(claim=assigned, actor=reviewer, title="Source 0")
    with django_assert_num_queries(CLAIM_PAGE_QUERIES):
        client.get(url)

    for i in range(1, 40):
        services.source_add(claim=assigned, actor=reviewer, title=f"Source {i}", url=f"https://example.org/{i}")
    # Rulings submitted and returned, comments with mentions, duplicates merged into the claim.
    for i in range(3):
        ruling = services.ruling_submit(
            claim=assigned, actor=reviewer, rating=Rating.objects.get(slug="false"), summary=f"S{i}", explanation="E"
        )
        services.ruling_return(ruling=ruling, actor=editor2, note=f"Return {i}")
    for i in range(15):
        services.comment_add(claim=assigned, actor=(editor, reviewer)[i % 2], body=f"Comment {i} @erin")
    duplicates = list(article.claims.filter(status=S.CANDIDATE)[:4])
    for duplicate in duplicates:
        services.claim_merge(claim=duplicate, into=assigned, actor=editor)
    with django_assert_num_queries(CLAIM_PAGE_QUERIES + MENTIONS_QUERY):
        response = client.get(url)
    assert response.text.count("source.added") == 40
    assert response.text.count('class="ruling ruling-returned"') == 3 and "claim.return" in response.text
    assert response.text.count('class="mention"') == 15
    assert response.text.count("claim.merge") == 4


def test_the_queue_sorts_by_score(client, editor, article):
    client.force_login(editor)
    page = client.get("/claims/?sort=score").context["page"]
    scores = [c.checkworthiness for c in page]
    assert scores == sorted(scores, reverse=True)
    # An unknown sort is ignored, not an error.
    assert client.get("/claims/?sort=bogus").status_code == 200


def test_the_merge_form_suggests_the_articles_other_claims(client, editor, article, django_assert_num_queries):
    claim, duplicate, *rest = article.claims.order_by("start")
    services.claim_merge(claim=duplicate, into=rest[0], actor=editor)
    client.force_login(editor)
    url = reverse("claim-detail", args=[claim.pk])
    # The claim page's queries, plus the suggestions (the page has no history, rulings or reviewers yet).
    with django_assert_num_queries(CLAIM_PAGE_QUERIES + 1):
        response = client.get(url)
    html = response.text
    datalist = html[html.index('<datalist id="merge-targets">') : html.index("</datalist>")]
    suggested = [int(pk) for pk in re.findall(r'<option value="(\d+)"', datalist)]
    assert suggested == [c.pk for c in rest]  # in text order; not the claim itself, not a merged duplicate
    assert 'list="merge-targets"' in html
    # A claim of another article is still accepted by number.
    elsewhere = article_services.article_create(submitted_by=editor, title="Another", body="It rose 5%.", extract=False)
    other = Claim.objects.create(article=elsewhere, start=0, end=11, text="It rose 5%.", checkworthiness=0.9)
    client.post(reverse("claim-merge", args=[claim.pk]), {"into": other.pk})
    claim.refresh_from_db()
    assert claim.merged_into_id == other.pk


def test_a_reviewer_gets_no_merge_suggestions(client, reviewer, article):
    client.force_login(reviewer)
    claim = article.claims.first()
    services.claim_accept(claim=claim, actor=article.submitted_by)
    services.claim_assign(claim=claim, reviewer=reviewer, actor=article.submitted_by)
    assert "merge-targets" not in client.get(reverse("claim-detail", args=[claim.pk])).text
