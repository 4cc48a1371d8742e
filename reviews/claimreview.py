"""schema.org ClaimReview markup for a published ruling, following Google's documented fields:
https://developers.google.com/search/docs/appearance/structured-data/factcheck"""

from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from .models import Rating, Ruling


def rating_bounds() -> tuple[int | None, int | None]:
    bounds = Rating.objects.filter(value__isnull=False).aggregate(best=Max("value"), worst=Min("value"))
    return bounds["best"], bounds["worst"]


def public_url(ruling: Ruling) -> str:
    return settings.SITE_URL + reverse("factcheck-public", args=[ruling.pk])


_ORGANISATION_WORDS = ("office", "ministry", "department", "agency", "party", "government", "council", "bank")


def _speaker_type(name: str) -> str:
    return "Organization" if any(w in name.lower() for w in _ORGANISATION_WORDS) else "Person"


def _date(value) -> str | None:
    return timezone.localdate(value).isoformat() if value else None


def claimreview(ruling: Ruling, *, bounds: tuple[int | None, int | None] | None = None) -> dict:
    """The JSON-LD dict of one published ruling. ``bounds`` may be passed to save a query in feeds.

    Google's fields: claimReviewed, reviewRating (alternateName always; ratingValue with
    bestRating and worstRating only for ratings on the numeric scale), url, author (the desk),
    datePublished, and itemReviewed: a Claim whose author is the speaker (else the outlet that
    printed it), datePublished, and appearance (the article, a CreativeWork with its url).
    A correction also carries schema.org's ``correction`` with its note; it reads only fields
    of the ruling itself, so feeds stay at a fixed number of queries."""
    best, worst = bounds if bounds is not None else rating_bounds()
    claim = ruling.claim
    article = claim.article
    review_rating = {"@type": "Rating", "alternateName": ruling.rating.name}
    if ruling.rating.value is not None and best is not None:
        review_rating.update(ratingValue=ruling.rating.value, bestRating=best, worstRating=worst)
    item_reviewed = {"@type": "Claim", "appearance": {"@type": "CreativeWork"}}
    if claim.speaker:
        item_reviewed["author"] = {"@type": _speaker_type(claim.speaker), "name": claim.speaker}
    elif article.outlet:
        item_reviewed["author"] = {"@type": "Organization", "name": article.outlet}
    if article.published_on:
        item_reviewed["datePublished"] = article.published_on.isoformat()
        item_reviewed["appearance"]["datePublished"] = article.published_on.isoformat()
    if article.source_url:
        item_reviewed["appearance"]["url"] = article.source_url
    item_reviewed["appearance"]["headline"] = article.title
    data = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": public_url(ruling),
        "claimReviewed": ruling.summary,
        "reviewRating": review_rating,
        "itemReviewed": item_reviewed,
        "author": {"@type": "Organization", "name": settings.FACTCHECK_ORG_NAME, "url": settings.FACTCHECK_ORG_URL},
        "datePublished": _date(ruling.published_at),
    }
    if ruling.supersedes_id and ruling.correction_note:
        data["correction"] = {
            "@type": "CorrectionComment",
            "text": ruling.correction_note,
            "datePublished": _date(ruling.published_at),
        }
    return data


def _datetime(value) -> str | None:
    return value.isoformat() if value else None


def claimreview_feed(rulings, *, date_modified, bounds: tuple[int | None, int | None]) -> dict:
    """A page of published rulings in the DataFeed shape of Google's Fact Check Markup Tool
    feed (https://datacommons.org/factcheck/download): ``dataFeedElement`` is a list of
    DataFeedItems, each with ``dateCreated`` (when the ruling was published), the public
    ``url`` and ``item``, a list holding the ruling's ClaimReview. ``date_modified`` is the
    newest publication on the whole feed, not just this page."""
    feed = {"@context": "https://schema.org", "@type": "DataFeed"}
    if date_modified:
        feed["dateModified"] = _datetime(date_modified)
    feed["dataFeedElement"] = [
        {
            "@type": "DataFeedItem",
            "dateCreated": _datetime(ruling.published_at),
            "url": public_url(ruling),
            "item": [claimreview(ruling, bounds=bounds)],
        }
        for ruling in rulings
    ]
    return feed
