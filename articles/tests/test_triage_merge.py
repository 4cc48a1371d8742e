"""Merging from the article page: the claim card's merge control (htmx) and the merge panel (no
script); into another live claim of the same article only; editors only; versions; bad input
is a 400 that changes nothing; the page keeps its query count."""

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article, Claim
from reviews import services as review_services
from reviews.models import Event

pytestmark = pytest.mark.django_db

BODY = "Intro words here.\nThe minister said unemployment fell by 3% in 2023.\nPrices rose 5% last year, the bank said."
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)> rose 9% in 2024."
HTMX = {"HX-Request": "true"}
# Session, user, groups; then the article and its claims (as test_triage_views pins it).
ARTICLE_PAGE_QUERIES = 5


def _article(editor, body=BODY) -> Article:
    article = services.article_create(submitted_by=editor, body=body, extract=False)
    services.article_extract(article_id=article.pk)
    article.refresh_from_db()
    return article


def _claim(article, prefix: str) -> Claim:
    return article.claims.get(text__startswith=prefix)


def _merge(client, article, claim, into, headers=None, **extra):
    data = {"claim": claim.pk, "into": into.pk if hasattr(into, "pk") else into, "version": claim.version}
    data.update(extra)
    return client.post(reverse("article-claim-merge", args=[article.pk]), data, headers=headers)


def _snapshot(article) -> tuple:
    rows = Claim.objects.filter(article=article).order_by("pk")
    return list(rows.values_list("pk", "status", "merged_into", "version")), Event.objects.count()


# --- The controls -----------------------------------------------------------------------------


def test_the_card_offers_merge_into_the_articles_live_claims(client, editor, editor2):
    article = _article(editor)
    minister, prices = _claim(article, "The minister"), _claim(article, "Prices")
    intro = _claim(article, "Intro")
    review_services.claim_merge(claim=intro, into=prices, actor=editor2)
    client.force_login(editor)
    html = client.get(reverse("article-detail", args=[article.pk])).text
    card = html.split('id="claim-card"', 1)[1]
    assert 'data-card-action="merge"' in card and reverse("article-claim-merge", args=[article.pk]) in card
    options = card.split('id="card-merge-into"', 1)[1].split("</select>", 1)[0]
    assert f'value="{minister.pk}"' in options and f'value="{prices.pk}"' in options
    assert f'value="{intro.pk}"' not in options  # a duplicate is not a claim to keep
    marks = {c.pk: html.split(f'data-claim="{c.pk}"', 1)[1].split(">", 1)[0] for c in (minister, intro)}
    assert 'data-actions="accept reject edit merge"' in marks[minister.pk]
    assert 'data-actions=""' in marks[intro.pk]


def test_the_merge_panel_lists_the_other_claims_for_pages_without_the_script(client, editor):
    article = _article(editor)
    minister, prices = _claim(article, "The minister"), _claim(article, "Prices")
    client.force_login(editor)
    page = client.get(reverse("article-detail", args=[article.pk])).text
    assert f"?merge={minister.pk}#merge-claim" in page
    html = client.get(reverse("article-detail", args=[article.pk]) + f"?merge={minister.pk}").text
    panel = html.split('id="merge-claim"', 1)[1].split("</section>", 1)[0]
    assert f"Merge claim {minister.pk}" in panel
    assert f'name="claim" value="{minister.pk}"' in panel and f'name="version" value="{minister.version}"' in panel
    assert f'<option value="{prices.pk}">' in panel and f'<option value="{minister.pk}">' not in panel
    for value in ("abc", 99999, ""):
        response = client.get(reverse("article-detail", args=[article.pk]) + f"?merge={value}")
        assert response.status_code == 200 and 'id="merge-claim"' not in response.text


def test_reviewers_get_no_merge_controls(client, editor, reviewer):
    article = _article(editor)
    claim = review_services.claim_assign(claim=_claim(article, "Prices"), reviewer=reviewer, actor=editor)
    client.force_login(reviewer)
    html = client.get(reverse("article-detail", args=[article.pk]) + f"?merge={claim.pk}").text
    assert reverse("article-claim-merge", args=[article.pk]) not in html
    assert 'id="merge-claim"' not in html


def test_a_single_claim_has_nothing_to_merge_into(client, editor):
    article = _article(editor, body="Exports rose 7% in 2024, the ministry said.")
    claim = article.claims.get()
    client.force_login(editor)
    html = client.get(reverse("article-detail", args=[article.pk])).text
    assert 'data-actions="accept reject edit"' in html
    assert 'data-card-action="merge"' not in html and f"?merge={claim.pk}" not in html


# --- Merging ----------------------------------------------------------------------------------


def test_merge_without_script_redirects_to_the_claim_kept(client, editor):
    article = _article(editor)
    minister, prices = _claim(article, "The minister"), _claim(article, "Prices")
    client.force_login(editor)
    response = _merge(client, article, minister, prices)
    assert response.status_code == 302
    assert response["Location"] == reverse("article-detail", args=[article.pk]) + f"#claim-{prices.pk}"
    minister.refresh_from_db()
    assert (minister.status, minister.merged_into_id, minister.version) == (Claim.Status.MERGED, prices.pk, 2)
    event = Event.objects.get(claim=minister, action="claim.merge")
    assert event.actor == editor and event.from_state == "candidate" and event.to_state == "merged"
    follow = client.get(response["Location"])
    assert f"Claim {minister.pk} merged into claim {prices.pk}." in follow.text


def test_merge_with_htmx_returns_the_fragment_with_the_message(client, editor):
    article = _article(editor)
    minister, prices = _claim(article, "The minister"), _claim(article, "Prices")
    review_services.claim_reject(claim=minister, actor=editor)
    minister.refresh_from_db()
    client.force_login(editor)
    response = _merge(client, article, minister, prices, headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="triage"')
    assert f'data-focus="{prices.pk}"' in response.text
    assert f"Claim {minister.pk} merged into claim {prices.pk}." in response.text
    assert 'data-status="merged"' in response.text


def test_a_stale_version_is_a_conflict_and_changes_nothing(client, editor, editor2):
    article = _article(editor)
    minister, prices = _claim(article, "The minister"), _claim(article, "Prices")
    review_services.claim_accept(claim=minister, actor=editor2)
    before = _snapshot(article)
    client.force_login(editor)
    response = _merge(client, article, minister, prices, headers=HTMX, version=1)
    assert response.status_code == 409 and "changed by someone else" in response.text
    assert _snapshot(article) == before


@pytest.mark.parametrize("headers", [None, HTMX])
def test_the_workflow_refuses_merging_claims_in_review_or_into_duplicates(client, editor, reviewer, headers):
    article = _article(editor)
    minister, prices, intro = _claim(article, "The minister"), _claim(article, "Prices"), _claim(article, "Intro")
    review_services.claim_assign(claim=prices, reviewer=reviewer, actor=editor)
    review_services.claim_merge(claim=intro, into=minister, actor=editor)
    prices.refresh_from_db()
    before = _snapshot(article)
    client.force_login(editor)
    assert _merge(client, article, prices, minister, headers=headers).status_code == 409
    response = _merge(client, article, minister, intro, headers=headers)
    assert response.status_code == 400 and "was itself merged" in response.text
    assert _snapshot(article) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"into": ""}, "Choose the claim to keep."),
        ({"into": "abc"}, "Enter a whole number."),
        ({"into": 0}, "greater than or equal to 1"),
        ({"into": 2**70}, "less than or equal to"),
        ({"claim": "x"}, "Enter a whole number."),
        ({"version": "new"}, "Enter a whole number."),
        ({"into": "self"}, "cannot be merged into itself"),
        ({"into": 999999}, "There is no claim 999999 in this article"),
    ],
)
@pytest.mark.parametrize("headers", [None, HTMX])
def test_bad_input_is_a_400_and_changes_nothing(client, editor, data, message, headers):
    article = _article(editor)
    minister, prices = _claim(article, "The minister"), _claim(article, "Prices")
    if data.get("into") == "self":
        data = {"into": minister.pk}
    before = _snapshot(article)
    client.force_login(editor)
    post = {"claim": minister.pk, "into": prices.pk, "version": minister.version, **data}
    response = client.post(reverse("article-claim-merge", args=[article.pk]), post, headers=headers)
    assert response.status_code == 400
    assert message in response.text
    assert _snapshot(article) == before


def test_a_claim_of_another_article_is_refused_either_way(client, editor):
    article, other = _article(editor), _article(editor, body="Exports rose 7% in 2024, the ministry said.")
    minister, prices = _claim(article, "The minister"), _claim(article, "Prices")
    foreign = other.claims.get()
    before, before_other = _snapshot(article), _snapshot(other)
    client.force_login(editor)
    response = _merge(client, article, minister, foreign)
    assert response.status_code == 400 and f"There is no claim {foreign.pk} in this article" in response.text
    assert 'id="merge-claim"' in response.text  # the panel comes back with the error
    assert _merge(client, article, foreign, prices).status_code == 404
    assert _merge(client, other, minister, foreign).status_code == 404
    assert client.post(reverse("article-claim-merge", args=[999999]), {"claim": 1, "into": 2}).status_code == 404
    assert (_snapshot(article), _snapshot(other)) == (before, before_other)


def test_who_may_merge(client, editor, editor2, reviewer, other_reviewer, outsider, admin_user):
    article = _article(editor)
    minister, prices = _claim(article, "The minister"), _claim(article, "Prices")
    review_services.claim_assign(claim=prices, reviewer=reviewer, actor=editor)
    before = _snapshot(article)
    response = _merge(client, article, minister, prices)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # The assigned reviewer sees the article but may not merge; the other reviewer does not see it.
    for person, expected in ((reviewer, 403), (other_reviewer, 404), (outsider, 403)):
        client.force_login(person)
        assert _merge(client, article, minister, prices).status_code == expected, person
        assert _merge(client, article, minister, prices, headers=HTMX).status_code == expected, person
    assert _snapshot(article) == before
    client.force_login(admin_user)
    assert client.get(reverse("article-claim-merge", args=[article.pk])).status_code == 405
    assert _merge(client, article, minister, prices).status_code == 302
    intro = _claim(article, "Intro")
    client.force_login(editor2)
    assert _merge(client, article, intro, prices).status_code == 302
    assert Claim.objects.filter(article=article, status=Claim.Status.MERGED).count() == 2


def test_hostile_claim_text_in_the_merge_lists_stays_text(client, editor):
    article = _article(editor, body=f"Prices rose 5% last year.\n{HOSTILE}")
    client.force_login(editor)
    claims = list(article.claims.all())
    assert len(claims) == 2 and any("<script>" in c.text for c in claims)
    html = client.get(reverse("article-detail", args=[article.pk]) + f"?merge={claims[0].pk}").text
    assert "<script>alert(1)" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_article_page_with_merge_controls_keeps_its_query_count(
    client, editor, seed_text, django_assert_num_queries
):
    small = _article(editor)
    big = _article(editor, body="\n".join([seed_text] * 3))
    claims = list(big.claims.all())
    assert len(claims) >= 40
    client.force_login(editor)
    for article, query in ((small, ""), (big, ""), (big, f"?merge={claims[20].pk}")):
        with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
            response = client.get(reverse("article-detail", args=[article.pk]) + query)
        assert response.status_code == 200
