"""The ClaimReview JSON-LD on the public fact-check page, read back the way a crawler reads it
(with extruct) and checked field by field against Google's documented fields:
https://developers.google.com/search/docs/appearance/structured-data/factcheck"""

import datetime

import extruct
import pytest
from django.urls import reverse

from articles import services as article_services
from articles.models import Claim
from reviews import services
from reviews.models import Rating, Ruling

pytestmark = pytest.mark.django_db

BODY = (
    "Brussels, 3 March.\n"
    "The finance minister said the deficit halved in two years.\n"
    "Tax receipts are said to have reached a record this spring."
)
SPOKEN = "the deficit halved in two years"
UNATTRIBUTED = "Tax receipts are said to have reached a record this spring"


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


def _claim(article, text: str, speaker: str = "") -> Claim:
    start = article.body.index(text)
    return Claim.objects.create(article=article, start=start, end=start + len(text), text=text, speaker=speaker)


def _publish(claim, *, editor, editor2, reviewer, rating: str, summary: str) -> Ruling:
    services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
    services.source_add(claim=claim, actor=reviewer, title="Budget statistics", url="https://example.org/budget")
    ruling = services.ruling_submit(
        claim=claim, actor=reviewer, rating=Rating.objects.get(slug=rating), summary=summary, explanation="Checked."
    )
    services.ruling_approve(ruling=ruling, actor=editor2)
    return services.ruling_publish(ruling=ruling, actor=editor2)


def _claimreview(client, ruling: Ruling, settings) -> dict:
    url = settings.SITE_URL + reverse("factcheck-public", args=[ruling.pk])
    response = client.get(reverse("factcheck-public", args=[ruling.pk]))
    assert response.status_code == 200
    items = extruct.extract(response.text, base_url=url, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert [item["@type"] for item in items] == ["ClaimReview"]
    return items[0]


@pytest.fixture
def spoken(article, editor, editor2, reviewer) -> Ruling:
    claim = _claim(article, SPOKEN, speaker="Finance Minister Jan Jansen")
    return _publish(
        claim, editor=editor, editor2=editor2, reviewer=reviewer, rating="mostly-true", summary="The deficit halved"
    )


def test_every_documented_field_of_a_numeric_verdict(client, spoken, settings):
    data = _claimreview(client, spoken, settings)
    assert data["@context"] == "https://schema.org"
    assert data["claimReviewed"] == "The deficit halved"
    assert data["url"] == f"{settings.SITE_URL}/fact-checks/{spoken.pk}/"
    assert data["datePublished"] == spoken.published_at.date().isoformat()
    assert data["author"] == {
        "@type": "Organization",
        "name": settings.FACTCHECK_ORG_NAME,
        "url": settings.FACTCHECK_ORG_URL,
    }
    # Mostly true is 4 on the seeded scale of 1 (False) to 5 (True).
    assert data["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly true",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
    }
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Finance Minister Jan Jansen"}
    assert item["datePublished"] == "2026-03-03"
    assert item["appearance"]["@type"] == "CreativeWork"
    assert item["appearance"]["url"] == "https://news.example.org/budget"
    assert item["appearance"]["headline"] == "Budget debate"
    assert "correction" not in data


def test_a_claim_without_a_speaker_is_attributed_to_the_outlet(client, article, editor, editor2, reviewer, settings):
    claim = _claim(article, UNATTRIBUTED)
    ruling = _publish(claim, editor=editor, editor2=editor2, reviewer=reviewer, rating="half-true", summary="A record")
    item = _claimreview(client, ruling, settings)["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "Example Times"}
    assert item["appearance"]["url"] == "https://news.example.org/budget"


def test_without_a_speaker_or_an_outlet_the_claim_has_no_author(client, editor, editor2, reviewer, settings):
    article = article_services.article_create(submitted_by=editor, title="Anon", body=BODY, extract=False)
    ruling = _publish(
        _claim(article, UNATTRIBUTED), editor=editor, editor2=editor2, reviewer=reviewer, rating="false", summary="No"
    )
    item = _claimreview(client, ruling, settings)["itemReviewed"]
    assert "author" not in item and "datePublished" not in item
    assert item["appearance"] == {"@type": "CreativeWork", "headline": "Anon"}


def test_unproven_has_a_name_but_no_value_on_the_scale(client, article, editor, editor2, reviewer, settings):
    claim = _claim(article, SPOKEN, speaker="Finance Minister Jan Jansen")
    ruling = _publish(claim, editor=editor, editor2=editor2, reviewer=reviewer, rating="unproven", summary="Unclear")
    assert _claimreview(client, ruling, settings)["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}


def test_an_organisation_speaker_is_typed_as_one(client, article, editor, editor2, reviewer, settings):
    claim = _claim(article, SPOKEN, speaker="The Finance Ministry")
    ruling = _publish(claim, editor=editor, editor2=editor2, reviewer=reviewer, rating="true", summary="Halved")
    assert _claimreview(client, ruling, settings)["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "The Finance Ministry",
    }


def test_after_a_correction_the_new_verdict_carries_the_correction(client, spoken, editor, settings):
    corrected = services.ruling_correct(
        ruling=spoken,
        actor=editor,
        rating=Rating.objects.get(slug="mostly-false"),
        summary="The deficit fell by a quarter",
        explanation="Revised figures.",
        correction_note="Eurostat revised the 2025 figure.",
    )
    data = _claimreview(client, corrected, settings)
    assert data["url"] == f"{settings.SITE_URL}/fact-checks/{corrected.pk}/"
    assert data["claimReviewed"] == "The deficit fell by a quarter"
    assert data["reviewRating"]["alternateName"] == "Mostly false"
    assert data["reviewRating"]["ratingValue"] == 2
    assert data["datePublished"] == corrected.published_at.date().isoformat()
    assert data["correction"] == {
        "@type": "CorrectionComment",
        "text": "Eurostat revised the 2025 figure.",
        "datePublished": corrected.published_at.date().isoformat(),
    }
    assert data["itemReviewed"]["author"]["name"] == "Finance Minister Jan Jansen"


def test_hostile_text_survives_as_data(client, article, editor, editor2, reviewer, settings):
    summary = '</script><script>alert("x")</script> & <!--'
    claim = _claim(article, SPOKEN, speaker='<img src=x onerror="alert(1)">')
    ruling = _publish(claim, editor=editor, editor2=editor2, reviewer=reviewer, rating="false", summary=summary)
    data = _claimreview(client, ruling, settings)
    assert data["claimReviewed"] == summary
    assert data["itemReviewed"]["author"]["name"] == '<img src=x onerror="alert(1)">'
