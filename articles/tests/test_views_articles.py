"""The article pages: who may see and submit them, bad input, escaping, query budgets."""

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article, Claim
from articles.views import highlight
from reviews import services as review_services
from reviews.models import Event

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"
SHORT_BODY = "The minister said unemployment fell by 3% in 2023.\nPrices rose 5% last year, the bank said."

# Session, user, groups; then the page's own queries.
ARTICLE_LIST_QUERIES = 5
ARTICLE_PAGE_QUERIES = 5


def _article(editor, body=SHORT_BODY, title="", extract=True) -> Article:
    article = services.article_create(submitted_by=editor, body=body, title=title, extract=False)
    if extract:
        services.article_extract(article_id=article.pk)
        article.refresh_from_db()
    return article


def _assign_one(article, editor, reviewer) -> Claim:
    claim = article.claims.order_by("start").first()
    return review_services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)


def _valid_post(**changes) -> dict:
    data = {
        "title": "Budget speech",
        "body": SHORT_BODY,
        "source_url": "https://example.org/budget",
        "outlet": "Example Wire",
        "byline": "A. Writer",
        "published_on": "2025-06-24",
        "language": "en",
    }
    data.update(changes)
    return data


# --- Who may see what --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["article-list", "article-create"])
def test_anonymous_users_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["article-detail", "article-status"])
def test_anonymous_users_are_sent_to_login_from_an_article(client, article, name):
    response = client.get(reverse(name, args=[article.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_outsiders_are_refused_every_article_page(client, outsider, article):
    client.force_login(outsider)
    for url in (
        reverse("article-list"),
        reverse("article-create"),
        reverse("article-detail", args=[article.pk]),
        reverse("article-status", args=[article.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_editors_see_every_article_and_the_submit_link(client, editor, article):
    client.force_login(editor)
    response = client.get(reverse("article-list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [article]
    assert reverse("article-create") in response.text
    assert "Example Wire" in response.text


def test_reviewers_see_only_articles_holding_their_claims(client, editor, reviewer, other_reviewer, article):
    other = _article(editor, title="Another article")
    _assign_one(article, editor, reviewer)

    client.force_login(reviewer)
    response = client.get(reverse("article-list"))
    assert list(response.context["page"]) == [article]
    assert reverse("article-create") not in response.text
    assert client.get(reverse("article-detail", args=[article.pk])).status_code == 200
    assert client.get(reverse("article-detail", args=[other.pk])).status_code == 404

    client.force_login(other_reviewer)
    assert list(client.get(reverse("article-list")).context["page"]) == []
    assert client.get(reverse("article-detail", args=[article.pk])).status_code == 404
    assert client.get(reverse("article-status", args=[article.pk])).status_code == 404


def test_reviewers_see_only_their_own_claims_on_the_article_page(client, editor, reviewer, article):
    claim = _assign_one(article, editor, reviewer)
    client.force_login(reviewer)
    response = client.get(reverse("article-detail", args=[article.pk]))
    assert response.context["claims"] == [claim]
    assert response.text.count("<mark ") == 1


# --- Submitting --------------------------------------------------------------------------------


def test_editors_submit_an_article(client, editor):
    client.force_login(editor)
    assert client.get(reverse("article-create")).status_code == 200

    response = client.post(reverse("article-create"), _valid_post(), follow=True)

    article = Article.objects.get()
    assert response.redirect_chain == [(reverse("article-detail", args=[article.pk]), 302)]
    assert "Article saved; extraction queued" in response.text
    assert article.submitted_by == editor
    assert article.title == "Budget speech"
    assert article.published_on.isoformat() == "2025-06-24"
    assert article.extraction_status == Article.ExtractionStatus.PENDING


def test_line_endings_from_browsers_are_normalised(client, editor):
    client.force_login(editor)
    client.post(reverse("article-create"), _valid_post(body="First line.\r\nSecond line."))
    assert Article.objects.get().body == "First line.\nSecond line."


@pytest.mark.parametrize("user", ["reviewer", "admin_user"])
def test_only_editors_may_submit(client, request, user):
    person = request.getfixturevalue(user)
    client.force_login(person)
    expected = 200 if user == "admin_user" else 403  # superusers are editors
    assert client.get(reverse("article-create")).status_code == expected
    if expected == 403:
        assert client.post(reverse("article-create"), _valid_post()).status_code == 403
        assert Article.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   \n\t  "}, "body"),
        ({"body": "Unemployment fell\x00 by 3%."}, "body"),
        ({"body": "Unemployment fell\x07 by 3%."}, "body"),
        ({"title": "Bell\x07"}, "title"),
        ({"outlet": "Wire\x1b[31m"}, "outlet"),
        ({"source_url": "not a url"}, "source_url"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"source_url": "ftp://example.org/file"}, "source_url"),
        ({"published_on": "2025-13-45"}, "published_on"),
        ({"published_on": "yesterday"}, "published_on"),
        ({"language": "x" * 17}, "language"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(client, editor, changes, field):
    client.force_login(editor)
    response = client.post(reverse("article-create"), _valid_post(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'class="errorlist' in response.text
    assert Article.objects.count() == 0


def test_a_body_over_the_limit_is_refused(client, editor, settings):
    settings.ARTICLE_MAX_CHARS = 100
    client.force_login(editor)
    response = client.post(reverse("article-create"), _valid_post(body="x" * 101))
    assert response.status_code == 400
    assert "limit is 100" in str(response.context["form"].errors["body"])
    assert Article.objects.count() == 0

    assert client.post(reverse("article-create"), _valid_post(body="x" * 100)).status_code == 302


# --- The article page --------------------------------------------------------------------------


def test_every_visible_claim_is_highlighted_and_linked(client, editor, article):
    client.force_login(editor)
    response = client.get(reverse("article-detail", args=[article.pk]))
    assert response.status_code == 200
    claims = list(article.claims.all())
    assert len(claims) > 2
    assert response.text.count("<mark ") == len(claims)
    for claim in claims:
        assert reverse("claim-detail", args=[claim.pk]) in response.text
        assert f'data-claim="{claim.pk}"' in response.text
    assert "Re-extract" in response.text


def test_a_hostile_body_is_escaped_on_the_article_page(client, editor):
    client.force_login(editor)
    body = f"The minister said {HOSTILE} unemployment fell by 3% in 2023.\n{HOSTILE}"
    client.post(reverse("article-create"), _valid_post(body=body, title=HOSTILE))
    article = Article.objects.get()
    services.article_extract(article_id=article.pk)

    response = client.get(reverse("article-detail", args=[article.pk]))
    assert response.status_code == 200
    assert any("<script>" in claim.text for claim in article.claims.all())  # marked, and still escaped
    assert response.text.count("<mark ") == article.claims.count()
    assert HOSTILE not in response.text
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in response.text


def test_highlight_splits_lines_and_skips_overlaps():
    body = "Alpha beta.\nGamma delta epsilon."
    a = Claim(pk=1, start=6, end=17)  # "beta.\nGamma" crosses the line break
    b = Claim(pk=2, start=12, end=17)  # overlaps a: left unmarked
    c = Claim(pk=3, start=18, end=23)
    paragraphs = highlight(body, [c, b, a])
    assert [[(s.text, s.claim and s.claim.pk) for s in p] for p in paragraphs] == [
        [("Alpha ", None), ("beta.", 1)],
        [("Gamma", 1), (" ", None), ("delta", 3), (" epsilon.", None)],
    ]


def test_highlight_ignores_spans_past_the_end_and_blank_lines():
    body = "One.\n\n\nTwo."
    paragraphs = highlight(body, [Claim(pk=1, start=7, end=11), Claim(pk=2, start=8, end=99)])
    assert [[(s.text, s.claim and s.claim.pk) for s in p] for p in paragraphs] == [
        [("One.", None)],
        [("Two.", 1)],
    ]


# --- Extraction status and re-extraction -------------------------------------------------------


def test_the_status_fragment_polls_until_extraction_finishes(client, editor):
    article = _article(editor, extract=False)
    client.force_login(editor)
    url = reverse("article-status", args=[article.pk])

    page = client.get(reverse("article-detail", args=[article.pk]))
    assert f'hx-get="{url}"' in page.text
    pending = client.get(url, headers={"HX-Request": "true"})
    assert pending.status_code == 200
    assert 'hx-trigger="every 1.5s"' in pending.text
    assert "HX-Refresh" not in pending
    assert "<html" not in pending.text

    services.article_extract(article_id=article.pk)
    done = client.get(url, headers={"HX-Request": "true"})
    assert "hx-trigger" not in done.text
    assert done["HX-Refresh"] == "true"
    assert "Claims extracted" in done.text
    assert "hx-trigger" not in client.get(reverse("article-detail", args=[article.pk])).text


def test_a_failed_extraction_is_shown(client, editor):
    article = _article(editor, extract=False)
    Article.objects.filter(pk=article.pk).update(extraction_status="failed", extraction_error="Boom <b>")
    client.force_login(editor)
    response = client.get(reverse("article-status", args=[article.pk]))
    assert "Extraction failed" in response.text
    assert "Boom &lt;b&gt;" in response.text


def test_editors_request_re_extraction(client, editor, article):
    client.force_login(editor)
    events = Event.objects.count()
    response = client.post(reverse("article-extract", args=[article.pk]), follow=True)
    assert "Extraction queued" in response.text
    article.refresh_from_db()
    assert article.extraction_status == Article.ExtractionStatus.PENDING
    assert Event.objects.count() == events + 1


def test_others_may_not_request_re_extraction(client, editor, reviewer, other_reviewer, outsider, article):
    _assign_one(article, editor, reviewer)
    url = reverse("article-extract", args=[article.pk])
    events = Event.objects.count()

    assert client.post(url)["Location"].startswith(reverse("login"))
    for person, expected in ((reviewer, 403), (other_reviewer, 404), (outsider, 403)):
        client.force_login(person)
        assert client.post(url).status_code == expected, person
    client.force_login(editor)
    assert client.get(url).status_code == 405

    article.refresh_from_db()
    assert article.extraction_status == Article.ExtractionStatus.DONE
    assert Event.objects.count() == events


# --- Query budgets -----------------------------------------------------------------------------


def test_the_article_list_query_count_does_not_grow_with_rows(client, editor, django_assert_num_queries):
    for i in range(2):
        _article(editor, title=f"Article {i}")
    client.force_login(editor)
    with django_assert_num_queries(ARTICLE_LIST_QUERIES):
        response = client.get(reverse("article-list"))
    assert len(response.context["page"]) == 2

    for i in range(2, 15):
        _article(editor, title=f"Article {i}")
    with django_assert_num_queries(ARTICLE_LIST_QUERIES):
        response = client.get(reverse("article-list"))
    assert len(response.context["page"]) == 15


def test_the_article_page_query_count_does_not_grow_with_claims(
    client, editor, reviewer, seed_text, django_assert_num_queries
):
    small = _article(editor)
    big = _article(editor, body="\n".join([seed_text] * 3))
    for claim in big.claims.all()[:10]:
        review_services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
    assert small.claims.count() == 2 and big.claims.count() >= 40
    client.force_login(editor)

    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        client.get(reverse("article-detail", args=[small.pk]))
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = client.get(reverse("article-detail", args=[big.pk]))
    assert response.text.count("<mark ") == big.claims.count()


def test_stale_claims_are_listed_apart_and_not_highlighted(client, editor, article):
    claim = article.claims.get(text__startswith="Referring to Türkiye")
    Claim.objects.filter(pk=claim.pk).update(status="accepted")
    Article.objects.filter(pk=article.pk).update(body=article.body.replace(claim.text, "Rewritten."))
    services.article_request_extraction(article=article, actor=editor)
    services.article_extract(article_id=article.pk)
    client.force_login(editor)
    response = client.get(f"/articles/{article.pk}/")
    assert [c.pk for c in response.context["stale_claims"]] == [claim.pk]
    assert all(c.pk != claim.pk for c in response.context["claims"])
    assert "No longer in the text" in response.content.decode()
