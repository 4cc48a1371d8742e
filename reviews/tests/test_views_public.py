"""The public fact-check pages: no login, published rulings only, safe ClaimReview markup."""

import json
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from articles import services as article_services
from articles.models import Claim
from reviews import services
from reviews.models import Rating, Ruling

pytestmark = pytest.mark.django_db

# Anonymous: no session query. The ruling, its sources, the rating bounds.
PUBLIC_PAGE_QUERIES = 3
# Anonymous: the count and the page.
INDEX_QUERIES = 2


def _ruling(claim, *, editor, editor2, reviewer, summary="Türkiye has a large defence industry", sources=1):
    services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
    for i in range(sources):
        services.source_add(
            claim=claim, actor=reviewer, title=f"Source {i}", url=f"https://example.org/{i}", publisher="SIPRI"
        )
    return services.ruling_submit(
        claim=claim,
        actor=reviewer,
        rating=Rating.objects.get(slug="mostly-true"),
        summary=summary,
        explanation="SIPRI lists several Turkish firms.\n\nSee the sources below.",
    )


def _publish(ruling, editor2) -> Ruling:
    services.ruling_approve(ruling=ruling, actor=editor2)
    return services.ruling_publish(ruling=ruling, actor=editor2)


@pytest.fixture
def claim(article) -> Claim:
    return article.claims.exclude(speaker="").order_by("-checkworthiness", "start").first()


@pytest.fixture
def submitted(claim, editor, editor2, reviewer) -> Ruling:
    return _ruling(claim, editor=editor, editor2=editor2, reviewer=reviewer)


@pytest.fixture
def published(submitted, editor2) -> Ruling:
    return _publish(submitted, editor2)


def _ld_json(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_a_published_ruling_is_public(client, published, claim, settings):
    response = client.get(reverse("factcheck-public", args=[published.pk]))
    assert response.status_code == 200
    for text in (published.summary, claim.text, claim.speaker, "Mostly true", "#4d7c0f", "Source 0", "SIPRI"):
        assert escape(text) in response.text, text
    assert 'href="https://example.org/0"' in response.text
    assert 'href="https://example.org/nato-summit"' in response.text  # the article the claim appeared in
    assert "<p>SIPRI lists several Turkish firms.</p>" in response.text

    data = _ld_json(response.text)
    assert data["@type"] == "ClaimReview"
    assert data["url"] == settings.SITE_URL + reverse("factcheck-public", args=[published.pk])
    assert data["claimReviewed"] == published.summary
    assert data["reviewRating"]["alternateName"] == "Mostly true"
    assert data["itemReviewed"]["author"]["name"] == claim.speaker
    assert data["author"]["name"] == settings.FACTCHECK_ORG_NAME
    assert data["datePublished"] == published.published_at.date().isoformat()


def test_logged_in_users_see_it_too(client, outsider, published):
    client.force_login(outsider)
    assert client.get(reverse("factcheck-public", args=[published.pk])).status_code == 200


@pytest.mark.parametrize("stage", ["submitted", "returned", "approved"])
def test_unpublished_rulings_are_not_public(client, editor2, submitted, stage, reviewer, editor):
    if stage == "returned":
        services.ruling_return(ruling=submitted, actor=editor2, note="More sources.")
    elif stage == "approved":
        services.ruling_approve(ruling=submitted, actor=editor2)
    for person in (None, editor, reviewer):
        if person:
            client.force_login(person)
        assert client.get(reverse("factcheck-public", args=[submitted.pk])).status_code == 404
    assert submitted not in client.get(reverse("factcheck-index")).context["page"]


def test_an_unknown_fact_check_is_not_found(client):
    assert client.get(reverse("factcheck-public", args=[999999])).status_code == 404


def test_the_markup_cannot_be_broken_out_of(client, claim, editor, editor2, reviewer):
    summary = "</script><script>alert(1)</script> & <!-- x"
    ruling = _publish(_ruling(claim, editor=editor, editor2=editor2, reviewer=reviewer, summary=summary), editor2)
    response = client.get(reverse("factcheck-public", args=[ruling.pk]))
    assert "<script>alert(1)" not in response.text
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in response.text
    assert _ld_json(response.text)["claimReviewed"] == summary
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!-- x" in response.text


def test_the_index_lists_published_rulings_without_login(client, published, editor, editor2, reviewer, article):
    draft_claim = article.claims.exclude(pk=published.claim_id).first()
    draft = _ruling(draft_claim, editor=editor, editor2=editor2, reviewer=reviewer, summary="Not yet public")
    response = client.get(reverse("factcheck-index"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [published]
    assert reverse("factcheck-public", args=[published.pk]) in response.text
    assert reverse("factcheck-public", args=[draft.pk]) not in response.text
    assert "Not yet public" not in response.text


# --- Query budgets -----------------------------------------------------------------------------


def test_the_public_page_query_count_does_not_grow_with_sources(
    client, article, editor, editor2, reviewer, django_assert_num_queries
):
    claims = list(article.claims.all()[:2])
    few = _publish(_ruling(claims[0], editor=editor, editor2=editor2, reviewer=reviewer, sources=2), editor2)
    many = _publish(_ruling(claims[1], editor=editor, editor2=editor2, reviewer=reviewer, sources=40), editor2)
    with django_assert_num_queries(PUBLIC_PAGE_QUERIES):
        client.get(reverse("factcheck-public", args=[few.pk]))
    with django_assert_num_queries(PUBLIC_PAGE_QUERIES):
        response = client.get(reverse("factcheck-public", args=[many.pk]))
    assert response.text.count('href="https://example.org/') == 41  # 40 sources and the article


def test_the_index_query_count_does_not_grow_with_rulings(
    client, article, editor, editor2, reviewer, seed_text, django_assert_num_queries
):
    extra = article_services.article_create(submitted_by=editor, body=f"{seed_text}\n{seed_text}", extract=False)
    article_services.article_extract(article_id=extra.pk)
    claims = list(Claim.objects.order_by("pk")[:40])
    for claim in claims[:2]:
        _publish(_ruling(claim, editor=editor, editor2=editor2, reviewer=reviewer), editor2)
    with django_assert_num_queries(INDEX_QUERIES):
        client.get(reverse("factcheck-index"))

    for claim in claims[2:]:
        _publish(_ruling(claim, editor=editor, editor2=editor2, reviewer=reviewer), editor2)
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(reverse("factcheck-index"))
    assert len(response.context["page"]) == 40


def test_the_address_of_a_corrected_fact_check_leads_to_the_correction(client, published, editor2):
    corrected = services.ruling_correct(
        ruling=published,
        actor=editor2,
        rating=Rating.objects.get(slug="false"),
        summary="Corrected summary",
        explanation="New evidence.",
        correction_note="A new figure was published.",
    )
    response = client.get(f"/fact-checks/{published.pk}/")
    assert response.status_code == 301 and response["Location"] == f"/fact-checks/{corrected.pk}/"
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/fact-checks/999999/").status_code == 404
