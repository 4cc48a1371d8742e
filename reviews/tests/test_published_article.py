"""The public annotated article: the text with each checked claim highlighted in its verdict's
colour and linked to its fact-check; public, published verdicts only, never a script from text."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from articles import services as article_services
from articles.models import Claim
from reviews import services
from reviews.models import Rating, Ruling

pytestmark = pytest.mark.django_db

# Anonymous: the published rulings with their claims and ratings, then the article.
ARTICLE_QUERIES = 2
# The fact-check page of a corrected verdict: the page's 3 and the superseded rulings.
CORRECTED_PAGE_QUERIES = 4

HOSTILE_BODY = (
    "The minister said unemployment fell to 4% last year.\n"
    'Critics replied <script>alert("body")</script> and <img src=x onerror=alert(1)> that it rose.\n'
    "Exports doubled since 2020, the report claims."
)


def _claim(article, text: str, **fields) -> Claim:
    start = article.body.index(text)
    return Claim.objects.create(article=article, start=start, end=start + len(text), text=text, **fields)


def _publish(claim, *, editor, editor2, reviewer, rating="mostly-true", summary="Unemployment did fall") -> Ruling:
    services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
    services.source_add(claim=claim, actor=reviewer, title="Labour survey", url="https://example.org/lfs")
    ruling = services.ruling_submit(
        claim=claim, actor=reviewer, rating=Rating.objects.get(slug=rating), summary=summary, explanation="Per the ONS."
    )
    services.ruling_approve(ruling=ruling, actor=editor2)
    return services.ruling_publish(ruling=ruling, actor=editor2)


@pytest.fixture
def hostile_article(editor):
    return article_services.article_create(
        submitted_by=editor,
        title="Jobs <b>report</b>",
        body=HOSTILE_BODY,
        source_url="https://example.org/jobs",
        outlet="Example Wire",
        extract=False,
    )


@pytest.fixture
def checked(hostile_article):
    return _claim(hostile_article, "unemployment fell to 4% last year", speaker="The minister")


@pytest.fixture
def unchecked(hostile_article):
    return _claim(hostile_article, "Exports doubled since 2020")


@pytest.fixture
def published(checked, unchecked, editor, editor2, reviewer) -> Ruling:
    return _publish(checked, editor=editor, editor2=editor2, reviewer=reviewer)


def _url(article) -> str:
    return reverse("factcheck-article", args=[article.pk])


# --- Who may see it ----------------------------------------------------------------------------


def test_anonymous_readers_see_an_article_with_a_published_verdict(client, hostile_article, published):
    response = client.get(_url(hostile_article))
    assert response.status_code == 200
    assert "<title>Fact-checked: Jobs &lt;b&gt;report&lt;/b&gt; · factcheck</title>" in response.text


@pytest.mark.parametrize("persona", ["outsider", "reviewer", "other_reviewer", "editor", "admin_user"])
def test_logged_in_people_see_it_too(client, request, hostile_article, published, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(hostile_article)).status_code == 200


@pytest.mark.parametrize("stage", ["none", "submitted", "approved"])
def test_an_article_without_a_published_verdict_is_not_found(
    client, hostile_article, checked, editor, editor2, reviewer, stage
):
    if stage != "none":
        services.claim_assign(claim=checked, reviewer=reviewer, actor=editor)
        services.source_add(claim=checked, actor=reviewer, title="Survey", url="https://example.org/s")
        ruling = services.ruling_submit(
            claim=checked, actor=reviewer, rating=Rating.objects.first(), summary="Draft", explanation="Work."
        )
        if stage == "approved":
            services.ruling_approve(ruling=ruling, actor=editor2)
    for person in (None, editor, reviewer):
        if person:
            client.force_login(person)
        assert client.get(_url(hostile_article)).status_code == 404


def test_an_unknown_article_is_not_found(client):
    assert client.get(reverse("factcheck-article", args=[999999])).status_code == 404


# --- What it shows -----------------------------------------------------------------------------


def test_a_checked_claim_is_highlighted_in_its_verdicts_colour_and_links_to_its_fact_check(
    client, hostile_article, published, checked
):
    response = client.get(_url(hostile_article))
    link = reverse("factcheck-public", args=[published.pk])
    assert (
        f'<a class="verdict-mark" href="{link}" style="--rating-colour: #4d7c0f">'
        f'<mark>{checked.text}</mark> <span class="verdict-label">Mostly true</span></a>'
    ) in response.text
    assert escape(published.summary) in response.text  # listed under the text too


def test_unchecked_claims_are_plain_text(client, hostile_article, published, unchecked):
    response = client.get(_url(hostile_article))
    assert "Exports doubled since 2020, the report claims." in response.text
    assert response.text.count("<mark>") == 1
    assert reverse("claim-detail", args=[unchecked.pk]) not in response.text


def test_a_corrected_verdict_shows_the_correction_in_its_colour(client, hostile_article, published, editor):
    corrected = services.ruling_correct(
        ruling=published,
        actor=editor,
        rating=Rating.objects.get(slug="false"),
        summary="Unemployment rose",
        explanation="The revised series shows a rise.",
        correction_note="The ONS revised its series.",
    )
    response = client.get(_url(hostile_article))
    assert response.status_code == 200
    assert (
        f'href="{reverse("factcheck-public", args=[corrected.pk])}" style="--rating-colour: #b91c1c"' in response.text
    )
    assert reverse("factcheck-public", args=[published.pk]) not in response.text
    assert "corrected" in response.text


def test_a_colour_that_is_not_a_hex_colour_is_never_written_into_the_page(client, hostile_article, published):
    Rating.objects.filter(pk=published.rating_id).update(colour="red;x:1")
    response = client.get(_url(hostile_article))
    assert "red;x:1" not in response.text
    assert "--rating-colour: #4b5563" in response.text


# --- Safety ------------------------------------------------------------------------------------


def test_script_in_the_article_text_and_the_summary_is_escaped(client, hostile_article, editor, editor2, reviewer):
    hostile = _claim(hostile_article, '<script>alert("body")</script> and <img src=x onerror=alert(1)>')
    ruling = _publish(
        hostile, editor=editor, editor2=editor2, reviewer=reviewer, summary="<script>alert('summary')</script>"
    )
    response = client.get(_url(hostile_article))
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    assert escape('<script>alert("body")</script>') in response.text
    assert escape("<img src=x onerror=alert(1)>") in response.text
    assert escape("<script>alert('summary')</script>") in response.text
    assert reverse("factcheck-public", args=[ruling.pk]) in response.text


# --- The fact-check page links here and shows corrections --------------------------------------


def test_the_fact_check_page_links_to_the_annotated_article(client, hostile_article, published):
    response = client.get(reverse("factcheck-public", args=[published.pk]))
    assert f'href="{_url(hostile_article)}"' in response.text
    assert "Correction" not in response.text


def test_the_fact_check_page_shows_each_correction_and_the_previous_verdict(
    client, published, editor, editor2, django_assert_num_queries
):
    first = services.ruling_correct(
        ruling=published,
        actor=editor,
        rating=Rating.objects.get(slug="half-true"),
        summary="Unemployment barely moved",
        explanation="Revised.",
        correction_note="The ONS revised its series <once>.",
    )
    second = services.ruling_correct(
        ruling=first,
        actor=editor2,
        rating=Rating.objects.get(slug="false"),
        summary="Unemployment rose",
        explanation="Revised again.",
        correction_note="A second revision.",
    )
    with django_assert_num_queries(CORRECTED_PAGE_QUERIES):
        response = client.get(reverse("factcheck-public", args=[second.pk]))
    text = response.text
    assert response.status_code == 200
    corrections = response.context["corrections"]
    assert [(c.note, c.previous) for c in corrections] == [
        ("A second revision.", first),
        ("The ONS revised its series <once>.", published),
    ]
    assert "Correction (<time" in text
    assert "A second revision." in text and escape("The ONS revised its series <once>.") in text
    assert "Previous verdict:" in text
    for previous in (first, published):
        assert escape(previous.summary) in text and previous.rating.name in text


# --- Query budget ------------------------------------------------------------------------------


def test_the_query_count_does_not_grow_with_checked_claims(
    client, editor, editor2, reviewer, django_assert_num_queries
):
    body = "\n".join(f"Claim number {i} says {i * 7} percent." for i in range(30))
    article = article_services.article_create(submitted_by=editor, title="Many claims", body=body, extract=False)
    claims = [_claim(article, f"Claim number {i} says {i * 7} percent") for i in range(30)]
    _publish(claims[0], editor=editor, editor2=editor2, reviewer=reviewer)
    with django_assert_num_queries(ARTICLE_QUERIES):
        client.get(_url(article))
    for claim in claims[1:]:
        _publish(claim, editor=editor, editor2=editor2, reviewer=reviewer, rating="false")
    with django_assert_num_queries(ARTICLE_QUERIES):
        response = client.get(_url(article))
    assert response.text.count("<mark>") == 30
