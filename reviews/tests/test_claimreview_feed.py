"""The ClaimReview feed (GET /api/v1/claimreview/feed/) and one ruling's ClaimReview
(GET /api/v1/claimreview/{id}/): public, published rulings only, in the DataFeed shape of
Google's Fact Check Markup Tool feed, cursor-paginated with a Link header, a fixed number of
queries whatever the page size."""

import datetime
import json
import re

import extruct
import pytest
from django.utils import timezone

from articles import services as article_services
from articles.models import Claim
from factcheck.testing import assert_error
from reviews import services
from reviews.claimreview import claimreview
from reviews.models import Rating, Ruling

pytestmark = pytest.mark.django_db

FEED = "/api/v1/claimreview/feed/"
# Anonymous: the page of rulings (ratings, claims, articles joined), the newest publication
# (dateModified), the rating scale's bounds.
FEED_QUERIES = 3
BODY = "The minister said the deficit halved in two years. " * 80


def one(ruling) -> str:
    return f"/api/v1/claimreview/{ruling.pk}/"


@pytest.fixture
def article(editor):
    return article_services.article_create(
        submitted_by=editor,
        title="Budget debate",
        body=BODY,
        source_url="https://news.example.org/budget",
        outlet="Example Times",
        published_on=datetime.date(2026, 3, 3),
        extract=False,
    )


def _claim(article, n: int, speaker: str = "Finance Minister Jan Jansen") -> Claim:
    start = 52 * n
    return Claim.objects.create(
        article=article, start=start, end=start + 50, text=BODY[start : start + 50], speaker=speaker
    )


def publish(claim, *, editor, editor2, reviewer, rating="mostly-true", summary="The deficit halved") -> Ruling:
    """Through the whole workflow, as the desk does it."""
    services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
    services.source_add(claim=claim, actor=reviewer, title="Budget statistics", url="https://example.org/budget")
    ruling = services.ruling_submit(
        claim=claim, actor=reviewer, rating=Rating.objects.get(slug=rating), summary=summary, explanation="Checked."
    )
    services.ruling_approve(ruling=ruling, actor=editor2)
    return services.ruling_publish(ruling=ruling, actor=editor2)


def many_published(article, count: int, *, reviewer, editor2, first: int = 10) -> list[Ruling]:
    """``count`` published rulings written directly (the workflow is tested elsewhere), one a
    minute apart, the newest last."""
    ratings = list(Rating.objects.all())
    base = timezone.now() - datetime.timedelta(days=1)
    return [
        Ruling.objects.create(
            claim=_claim(article, first + i),
            rating=ratings[i % len(ratings)],
            summary=f"Claim number {i}",
            explanation="Checked.",
            reviewer=reviewer,
            approved_by=editor2,
            status=Ruling.Status.PUBLISHED,
            published_at=base + datetime.timedelta(minutes=i),
        )
        for i in range(count)
    ]


@pytest.fixture
def published(article, editor, editor2, reviewer) -> Ruling:
    return publish(_claim(article, 0), editor=editor, editor2=editor2, reviewer=reviewer)


def _links(response) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.get("Link", ""))}


# --- The feed ------------------------------------------------------------------------------------


def test_anyone_reads_the_feed_as_a_datafeed_of_claimreviews(api, article, published, editor, editor2, reviewer):
    second = publish(_claim(article, 1), editor=editor, editor2=editor2, reviewer=reviewer, rating="false")
    response = api.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    feed = json.loads(response.content)
    assert feed["@context"] == "https://schema.org"
    assert feed["@type"] == "DataFeed"
    second.refresh_from_db()
    assert datetime.datetime.fromisoformat(feed["dateModified"]) == second.published_at
    elements = feed["dataFeedElement"]
    assert [e["@type"] for e in elements] == ["DataFeedItem", "DataFeedItem"]
    # Newest first; each element's item is a list holding the ruling's ClaimReview.
    for element, ruling in zip(elements, [second, published], strict=True):
        ruling.refresh_from_db()
        assert datetime.datetime.fromisoformat(element["dateCreated"]) == ruling.published_at
        assert element["url"].endswith(f"/fact-checks/{ruling.pk}/")
        assert element["item"] == [claimreview(Ruling.objects.get(pk=ruling.pk))]
        review = element["item"][0]
        # Google's required fields.
        assert review["@type"] == "ClaimReview"
        assert review["url"] == element["url"]
        assert review["claimReviewed"]
        assert review["reviewRating"]["alternateName"]
    assert elements[0]["item"][0]["reviewRating"]["alternateName"] == "False"


def test_a_crawler_reads_the_feed_as_json_ld(api, published):
    """Embedded in a page, extruct reads the feed back unchanged: it is well-formed JSON-LD."""
    feed = json.loads(api.get(FEED).content)
    html = f'<html><head><script type="application/ld+json">{json.dumps(feed)}</script></head></html>'
    items = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    assert items == [feed]
    assert items[0]["dataFeedElement"][0]["item"][0]["@type"] == "ClaimReview"


def test_only_published_rulings_are_in_the_feed(api, article, published, editor, reviewer):
    claim = _claim(article, 1)
    services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
    services.source_add(claim=claim, actor=reviewer, title="Stats")
    services.ruling_submit(
        claim=claim, actor=reviewer, rating=Rating.objects.get(slug="true"), summary="Not yet", explanation="E"
    )
    elements = json.loads(api.get(FEED).content)["dataFeedElement"]
    assert [e["item"][0]["claimReviewed"] for e in elements] == ["The deficit halved"]


def test_a_corrected_fact_check_appears_once_with_its_correction(api, published, editor):
    corrected = services.ruling_correct(
        ruling=published,
        actor=editor,
        rating=Rating.objects.get(slug="half-true"),
        summary="The deficit fell by a third",
        explanation="The 2025 figures were revised.",
        correction_note="We misread the 2025 figures.",
    )
    elements = json.loads(api.get(FEED).content)["dataFeedElement"]
    assert len(elements) == 1
    review = elements[0]["item"][0]
    assert review["url"].endswith(f"/fact-checks/{corrected.pk}/")
    assert review["claimReviewed"] == "The deficit fell by a third"
    assert review["reviewRating"]["alternateName"] == "Half true"
    assert review["correction"]["@type"] == "CorrectionComment"
    assert review["correction"]["text"] == "We misread the 2025 figures."


def test_an_empty_feed_is_still_a_datafeed(api):
    response = api.get(FEED)
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [],
    }
    assert "Link" not in response


def test_the_feed_is_paged_by_cursor_through_the_link_header(api, article, reviewer, editor2):
    rulings = many_published(article, 7, reviewer=reviewer, editor2=editor2)
    seen, url, pages = [], f"{FEED}?page_size=3", 0
    while url:
        response = api.get(url)
        assert response.status_code == 200
        body = json.loads(response.content)
        assert body["@type"] == "DataFeed" and set(body) == {"@context", "@type", "dateModified", "dataFeedElement"}
        seen += [e["item"][0]["claimReviewed"] for e in body["dataFeedElement"]]
        links = _links(response)
        if pages:
            assert "prev" in links
        url, pages = links.get("next"), pages + 1
    assert pages == 3
    assert seen == [r.summary for r in reversed(rulings)]


def test_a_ruling_published_while_paging_does_not_shift_the_pages(api, article, reviewer, editor2):
    many_published(article, 4, reviewer=reviewer, editor2=editor2)
    first = api.get(f"{FEED}?page_size=2")
    Ruling.objects.create(
        claim=_claim(article, 3),
        rating=Rating.objects.get(slug="true"),
        summary="Brand new",
        explanation="E",
        reviewer=reviewer,
        approved_by=editor2,
        status=Ruling.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    second = json.loads(api.get(_links(first)["next"]).content)
    assert [e["item"][0]["claimReviewed"] for e in second["dataFeedElement"]] == ["Claim number 1", "Claim number 0"]


def test_a_bad_cursor_is_a_json_404(api, published):
    response = api.get(f"{FEED}?cursor=not-a-cursor")
    assert_error(response, 404, "not_found")


def test_json_when_the_client_asks_for_it(api, published):
    response = api.get(FEED, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["@type"] == "DataFeed"


@pytest.mark.parametrize("page_size", [None, 50, 200])
def test_the_feed_query_count_does_not_grow_with_the_page_size(
    api, article, reviewer, editor2, django_assert_num_queries, page_size
):
    many_published(article, 60, reviewer=reviewer, editor2=editor2)
    params = {"page_size": page_size} if page_size else {}
    with django_assert_num_queries(FEED_QUERIES):
        response = api.get(FEED, params)
    assert len(json.loads(response.content)["dataFeedElement"]) == min(page_size or 50, 60)


def test_the_feed_query_count_is_the_same_for_a_signed_in_user(
    api, article, reviewer, editor2, django_assert_num_queries
):
    many_published(article, 5, reviewer=reviewer, editor2=editor2)
    api.force_authenticate(reviewer)
    with django_assert_num_queries(FEED_QUERIES):
        assert api.get(FEED).status_code == 200


@pytest.mark.parametrize("persona", ["editor", "reviewer", "outsider"])
def test_everyone_gets_the_same_feed(api, request, published, persona):
    anonymous = api.get(FEED).content
    api.force_authenticate(request.getfixturevalue(persona))
    assert api.get(FEED).content == anonymous


def test_writing_to_the_feed_is_refused(api, editor, published):
    api.force_authenticate(editor)
    assert_error(api.post(FEED, {}, format="json"), 405, "method_not_allowed")


def test_an_unknown_token_is_a_401_not_a_silent_anonymous_read(api, published):
    response = api.get(FEED, HTTP_AUTHORIZATION="Bearer fc_not-a-real-token")
    assert_error(response, 401, "not_authenticated")


# --- One ruling --------------------------------------------------------------------------------


def test_anyone_reads_one_published_rulings_claimreview(api, published, django_assert_num_queries):
    with django_assert_num_queries(2):  # the ruling with its claim, article and rating; the bounds
        response = api.get(one(published))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    data = json.loads(response.content)
    assert data == claimreview(Ruling.objects.get(pk=published.pk))
    assert data["@context"] == "https://schema.org" and data["@type"] == "ClaimReview"


def test_an_unpublished_ruling_is_a_json_404(api, article, editor, reviewer):
    claim = _claim(article, 1)
    services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
    services.source_add(claim=claim, actor=reviewer, title="Stats")
    ruling = services.ruling_submit(
        claim=claim, actor=reviewer, rating=Rating.objects.get(slug="true"), summary="Draft", explanation="E"
    )
    assert_error(api.get(one(ruling)), 404, "not_found")
    api.force_authenticate(editor)  # even for the desk: this is the published record
    assert_error(api.get(one(ruling)), 404, "not_found")
    assert_error(api.get("/api/v1/claimreview/999999/"), 404, "not_found")


def test_a_corrected_rulings_old_id_is_a_404_naming_the_current_one(api, published, editor):
    corrected = services.ruling_correct(
        ruling=published,
        actor=editor,
        rating=Rating.objects.get(slug="false"),
        summary="Wrong",
        explanation="E",
        correction_note="Revised.",
    )
    error = assert_error(api.get(one(published)), 404, "not_found")
    assert f"/api/v1/claimreview/{corrected.pk}/" in error["message"]
    assert json.loads(api.get(one(corrected)).content)["correction"]["text"] == "Revised."


def test_hostile_text_is_data_in_the_feed(api, article, editor, editor2, reviewer):
    summary = '</script><script>alert("x")</script> & <!--'
    publish(
        _claim(article, 1, speaker="<img src=x onerror=alert(1)>"),
        editor=editor,
        editor2=editor2,
        reviewer=reviewer,
        summary=summary,
    )
    review = json.loads(api.get(FEED).content)["dataFeedElement"][0]["item"][0]
    assert review["claimReviewed"] == summary
    assert review["itemReviewed"]["author"]["name"] == "<img src=x onerror=alert(1)>"
