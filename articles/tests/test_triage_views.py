"""Triage on the article page: the claim card's data, accept/reject, adding a claim from a
selection and re-cutting one; who may and who may not; bad input; htmx and plain POSTs."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services
from articles.models import Article, Claim
from reviews import services as review_services
from reviews.models import Event

pytestmark = pytest.mark.django_db

BODY = "Intro words here.\nThe minister said unemployment fell by 3% in 2023.\nPrices rose 5% last year, the bank said."
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"
HTMX = {"HX-Request": "true"}
# Session, user, groups; then the article and its claims.
ARTICLE_PAGE_QUERIES = 5


def _article(editor, body=BODY, extract=True) -> Article:
    article = services.article_create(submitted_by=editor, body=body, extract=False)
    if extract:
        services.article_extract(article_id=article.pk)
    article.refresh_from_db()
    return article


def _claim(article, prefix: str) -> Claim:
    return article.claims.get(text__startswith=prefix)


def _triage(client, article, claim, action="accept", headers=None, **extra):
    data = {"claim": claim.pk, "action": action, "version": claim.version}
    data.update(extra)
    return client.post(reverse("article-triage", args=[article.pk]), data, headers=headers)


def _snapshot(article) -> list[tuple]:
    rows = Claim.objects.filter(article=article).order_by("pk")
    return list(rows.values_list("pk", "start", "end", "text", "status", "version")), Event.objects.count()


# --- The page: segments with offsets, the card's data, the controls per role -------------------


def test_every_segment_carries_its_offset_into_the_body(client, editor):
    body = "Emoji 🇹🇷 first <b>bold</b> & more.\n\nThe minister said unemployment fell by 3% in 2023."
    article = _article(editor, body=body)
    client.force_login(editor)
    html = client.get(reverse("article-detail", args=[article.pk])).text
    segments = re.findall(r'data-offset="(\d+)"[^>]*>([^<]*)</', html)
    assert len(segments) >= 2
    for offset, text in segments:
        text = unescape(text)
        assert body[int(offset) : int(offset) + len(text)] == text
    joined = "".join(unescape(t) for _, t in segments)
    assert joined == body.replace("\n", "")


def test_editors_get_the_card_with_triage_actions_and_the_script(client, editor):
    article = _article(editor)
    claim = _claim(article, "The minister")
    client.force_login(editor)
    response = client.get(reverse("article-detail", args=[article.pk]))
    html = response.text
    assert 'id="claim-card"' in html and 'id="shortcut-help"' in html and 'id="selection-bar"' in html
    assert "factcheck/triage.js" in html
    assert f'id="claim-{claim.pk}" data-keys-item' in html
    assert 'data-speaker="minister"' in html and 'data-type-label="Quantity"' in html
    assert 'data-status-label="Candidate"' in html and 'data-actions="accept reject edit merge"' in html
    assert f'data-version="{claim.version}"' in html
    assert f'aria-label="Accept claim {claim.pk}"' in html
    assert reverse("article-claim-add", args=[article.pk]) in html


def test_reviewers_get_the_card_without_triage_controls(client, editor, reviewer):
    article = _article(editor)
    claim = review_services.claim_assign(claim=_claim(article, "Prices"), reviewer=reviewer, actor=editor)
    client.force_login(reviewer)
    html = client.get(reverse("article-detail", args=[article.pk])).text
    assert 'id="claim-card"' in html and 'data-actions=""' in html
    assert 'data-assignee="rita"' in html
    assert reverse("article-triage", args=[article.pk]) not in html
    assert reverse("article-claim-add", args=[article.pk]) not in html
    assert 'id="selection-bar"' not in html
    editing = client.get(reverse("article-detail", args=[article.pk]) + f"?edit={claim.pk}")
    assert "edit-claim-form" not in editing.text


def test_actions_follow_the_workflow(client, editor, reviewer):
    article = _article(editor)
    first, second = _claim(article, "The minister"), _claim(article, "Prices")
    review_services.claim_reject(claim=first, actor=editor)
    review_services.claim_assign(claim=second, reviewer=reviewer, actor=editor)
    client.force_login(editor)
    html = client.get(reverse("article-detail", args=[article.pk])).text
    assert 'data-status="rejected" data-status-label="Rejected"' in html
    assert 'data-actions="accept merge"' in html  # a rejected claim may be accepted again, not re-cut
    assert 'data-actions=""' in html  # the assigned one: nothing to triage


# --- Accept and reject -------------------------------------------------------------------------


def test_accept_without_script_redirects_back_to_the_claim_on_the_article_page(client, editor):
    article = _article(editor)
    claim = _claim(article, "The minister")
    client.force_login(editor)
    response = _triage(client, article, claim)
    assert response.status_code == 302
    assert response["Location"] == reverse("article-detail", args=[article.pk]) + f"#claim-{claim.pk}"
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ACCEPTED and claim.version == 2
    assert Event.objects.filter(claim=claim, action="claim.accept", actor=editor).count() == 1
    assert f"Claim {claim.pk} accepted." in client.get(response["Location"]).text


def test_reject_with_htmx_returns_the_fragment_and_the_message(client, editor):
    article = _article(editor)
    claim = _claim(article, "Prices")
    client.force_login(editor)
    response = _triage(client, article, claim, action="reject", headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="triage"')
    assert f'data-focus="{claim.pk}"' in response.text
    assert 'hx-swap-oob="innerHTML"' in response.text and f"Claim {claim.pk} rejected." in response.text
    assert 'data-status="rejected"' in response.text
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED


@pytest.mark.parametrize("headers", [None, HTMX])
def test_a_stale_version_is_a_conflict_and_changes_nothing(client, editor, editor2, headers):
    article = _article(editor)
    claim = _claim(article, "Prices")
    review_services.claim_accept(claim=claim, actor=editor2)
    before = _snapshot(article)
    client.force_login(editor)
    response = _triage(client, article, claim, action="reject", version=1, headers=headers)
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    assert _snapshot(article) == before


def test_an_action_the_workflow_refuses_is_a_conflict_with_its_reason(client, editor, reviewer):
    article = _article(editor)
    claim = review_services.claim_assign(claim=_claim(article, "Prices"), reviewer=reviewer, actor=editor)
    before = _snapshot(article)
    client.force_login(editor)
    response = _triage(client, article, claim, action="accept", headers=HTMX)
    assert response.status_code == 409
    assert "Cannot accept a claim that is assigned" in response.text
    assert _snapshot(article) == before


@pytest.mark.parametrize(
    "data",
    [
        {"action": "delete"},
        {"action": ""},
        {"claim": "abc"},
        {"claim": ""},
        {"version": "x"},
        {"version": "0"},
    ],
)
def test_bad_triage_input_is_a_400_and_changes_nothing(client, editor, data):
    article = _article(editor)
    claim = _claim(article, "Prices")
    before = _snapshot(article)
    client.force_login(editor)
    post = {"claim": claim.pk, "action": "accept", "version": claim.version, **data}
    response = client.post(reverse("article-triage", args=[article.pk]), post)
    assert response.status_code == 400
    assert 'class="message error"' in response.text or "errorlist" in response.text
    assert _snapshot(article) == before


def test_a_claim_of_another_article_or_none_at_all_is_a_404(client, editor):
    article, other = _article(editor), _article(editor, body="Exports rose 7% in 2024.")
    client.force_login(editor)
    foreign = other.claims.get()
    assert _triage(client, article, foreign).status_code == 404
    url = reverse("article-triage", args=[article.pk])
    assert client.post(url, {"claim": 99999, "action": "accept"}).status_code == 404
    url = reverse("article-triage", args=[99999])
    assert client.post(url, {"claim": foreign.pk, "action": "accept"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Claim.Status.CANDIDATE


def test_who_may_triage_from_the_article_page(client, editor, reviewer, other_reviewer, outsider, admin_user):
    article = _article(editor)
    claim = review_services.claim_assign(claim=_claim(article, "Prices"), reviewer=reviewer, actor=editor)
    candidate = _claim(article, "The minister")
    url = reverse("article-triage", args=[article.pk])
    before = _snapshot(article)

    assert client.post(url, {"claim": candidate.pk, "action": "accept"})["Location"].startswith(reverse("login"))
    for person, target, expected in (
        (outsider, candidate, 403),
        (reviewer, claim, 403),  # their own claim: reviewers do not triage
        (reviewer, candidate, 404),  # not theirs: not even visible
        (other_reviewer, claim, 404),
    ):
        client.force_login(person)
        assert client.post(url, {"claim": target.pk, "action": "reject"}).status_code == expected, person
    client.force_login(editor)
    assert client.get(url).status_code == 405
    assert _snapshot(article) == before

    client.force_login(admin_user)
    assert _triage(client, article, candidate).status_code == 302


# --- Adding a claim ----------------------------------------------------------------------------


def _add(client, article, headers=None, **data):
    return client.post(reverse("article-claim-add", args=[article.pk]), data, headers=headers)


def test_an_editor_adds_a_claim_from_a_selection(client, editor):
    article = _article(editor, extract=False)
    start = BODY.index("The minister")
    end = BODY.index("2023.") + 5
    client.force_login(editor)
    response = _add(client, article, start=start - 1, end=end + 1, text=BODY[start - 1 : end + 1])
    claim = Claim.objects.get(article=article)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#claim-{claim.pk}")
    assert (claim.start, claim.end, claim.status) == (start, end, Claim.Status.CANDIDATE)
    assert Event.objects.filter(claim=claim, action="claim.added", actor=editor).exists()


def test_adding_with_htmx_swaps_in_the_new_claim(client, editor):
    article = _article(editor, extract=False)
    client.force_login(editor)
    response = _add(client, article, headers=HTMX, start=0, end=17, text="Intro words here.")
    claim = Claim.objects.get(article=article)
    assert response.status_code == 200
    assert f'data-focus="{claim.pk}"' in response.text and f'id="claim-{claim.pk}"' in response.text
    assert f"Claim {claim.pk} added" in response.text


def test_adding_by_text_works_without_a_script(client, editor):
    article = _article(editor, extract=False)
    client.force_login(editor)
    response = _add(client, article, text="Prices rose 5% last year")
    assert response.status_code == 302
    assert Claim.objects.get(article=article).text == "Prices rose 5% last year"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": 0, "end": 17, "text": "Intro words"}, "not what the article says"),
        ({"start": 0, "end": 9999}, "not inside"),
        ({"start": -1, "end": 5}, "greater than or equal to 0"),
        ({"start": 3}, "both the start and the end"),
        ({"start": "a", "end": "b"}, "whole number"),
        ({}, "Select the claim"),
        ({"text": "Nowhere in the text"}, "not in the article"),
        ({"text": "x" * 20_001}, "at most 20000"),
        ({"start": 17, "end": 18}, "only spaces"),
    ],
)
@pytest.mark.parametrize("headers", [None, HTMX])
def test_bad_selections_are_a_400_and_add_nothing(client, editor, data, message, headers):
    article = _article(editor, extract=False)
    client.force_login(editor)
    response = _add(client, article, headers=headers, **data)
    assert response.status_code == 400
    assert message in unescape(response.text)
    assert not Claim.objects.filter(article=article).exists()
    assert not Event.objects.filter(action="claim.added").exists()


def test_a_selection_overlapping_a_claim_is_refused_with_the_claim_named(client, editor):
    article = _article(editor)
    claim = _claim(article, "The minister")
    before = _snapshot(article)
    client.force_login(editor)
    response = _add(client, article, start=claim.start + 4, end=claim.end + 3)
    assert response.status_code == 400
    assert f"overlaps claim {claim.pk}" in response.text
    assert response.context["add_form"].errors  # the no-script form shows it too
    assert _snapshot(article) == before


def test_only_editors_add_claims(client, editor, reviewer, other_reviewer, outsider):
    article = _article(editor, extract=False)
    services.article_request_extraction(article=article, actor=editor)
    services.article_extract(article_id=article.pk)
    review_services.claim_assign(claim=_claim(article, "Prices"), reviewer=reviewer, actor=editor)
    Claim.objects.filter(article=article).exclude(text__startswith="Prices").delete()
    before = _snapshot(article)
    url = reverse("article-claim-add", args=[article.pk])
    assert client.post(url, {"start": 0, "end": 17})["Location"].startswith(reverse("login"))
    for person, expected in ((reviewer, 403), (other_reviewer, 404), (outsider, 403)):
        client.force_login(person)
        assert client.post(url, {"start": 0, "end": 17}).status_code == expected, person
    client.force_login(editor)
    assert client.get(url).status_code == 405
    assert _snapshot(article) == before


def test_hostile_text_added_as_a_claim_stays_text(client, editor):
    body = f"The minister said {HOSTILE} unemployment fell.\nEnd."
    article = _article(editor, body=body, extract=False)
    client.force_login(editor)
    start, end = body.index("<script>"), body.index("fell.") + 5
    assert _add(client, article, start=start, end=end, text=body[start:end]).status_code == 302
    claim = Claim.objects.get(article=article)
    assert claim.text.startswith("<script>")

    for response in (
        client.get(reverse("article-detail", args=[article.pk])),
        client.get(reverse("article-detail", args=[article.pk]) + f"?edit={claim.pk}"),
        _triage(client, article, claim, headers=HTMX),
    ):
        assert response.status_code == 200
        assert "<script>alert" not in response.text and "<img src=x" not in response.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


# --- Re-cutting a claim ------------------------------------------------------------------------


def _edit(client, article, claim, headers=None, **data):
    return client.post(reverse("article-claim-edit", args=[article.pk, claim.pk]), data, headers=headers)


def test_the_edit_panel_opens_for_a_claim_editors_may_recut(client, editor):
    article = _article(editor)
    claim = _claim(article, "Prices")
    client.force_login(editor)
    html = client.get(reverse("article-detail", args=[article.pk]) + f"?edit={claim.pk}").text
    assert f"Edit claim {claim.pk}" in html
    assert reverse("article-claim-edit", args=[article.pk, claim.pk]) in html
    assert f'name="version" value="{claim.version}"' in html
    assert "Use selection as claim" in html
    # Unknown, malformed or un-re-cuttable ids just show the page.
    review_services.claim_reject(claim=claim, actor=editor)
    for value in (claim.pk, "abc", 99999):
        response = client.get(reverse("article-detail", args=[article.pk]) + f"?edit={value}")
        assert response.status_code == 200 and "edit-claim-form" not in response.text


def test_an_editor_recuts_a_claim_from_a_selection(client, editor):
    article = _article(editor)
    claim = _claim(article, "Prices")
    client.force_login(editor)
    start, end = claim.start, BODY.index("year,") + 4
    response = _edit(client, article, claim, start=start, end=end, text="Prices rose 5% last year", version=1)
    assert response.status_code == 302 and response["Location"].endswith(f"#claim-{claim.pk}")
    claim.refresh_from_db()
    assert (claim.text, claim.version) == ("Prices rose 5% last year", 2)
    assert Event.objects.filter(claim=claim, action="claim.recut", actor=editor).exists()


def test_an_editor_recuts_a_claim_by_its_text(client, editor):
    article = _article(editor)
    claim = _claim(article, "The minister")
    client.force_login(editor)
    response = _edit(client, article, claim, text="unemployment fell by 3% in 2023.", version=1)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.text == "unemployment fell by 3% in 2023."


def test_a_recut_from_an_old_page_is_a_conflict(client, editor, editor2):
    article = _article(editor)
    claim = _claim(article, "Prices")
    review_services.claim_accept(claim=claim, actor=editor2)
    before = _snapshot(article)
    client.force_login(editor)
    response = _edit(client, article, claim, text="Prices rose 5%", version=1)
    assert response.status_code == 409 and "changed by someone else" in response.text
    assert _snapshot(article) == before


def test_a_recut_over_another_claim_is_refused_and_the_form_kept(client, editor):
    article = _article(editor)
    first, second = _claim(article, "The minister"), _claim(article, "Prices")
    before = _snapshot(article)
    client.force_login(editor)
    response = _edit(client, article, first, start=first.start, end=second.start + 6, version=1)
    assert response.status_code == 400
    assert f"overlaps claim {second.pk}" in response.text
    assert "edit-claim-form" in response.text and response.context["edit_form"].errors
    assert _snapshot(article) == before


def test_a_claim_with_reviewer_work_cannot_be_recut(client, editor, reviewer):
    article = _article(editor)
    claim = review_services.claim_assign(claim=_claim(article, "Prices"), reviewer=reviewer, actor=editor)
    before = _snapshot(article)
    client.force_login(editor)
    response = _edit(client, article, claim, headers=HTMX, start=claim.start, end=claim.end - 6)
    assert response.status_code == 409
    assert "can no longer be changed" in response.text
    assert _snapshot(article) == before


def test_only_editors_recut(client, editor, reviewer, other_reviewer, outsider):
    article = _article(editor)
    claim = review_services.claim_assign(claim=_claim(article, "Prices"), reviewer=reviewer, actor=editor)
    other = _article(editor, body="Exports rose 7% in 2024.")
    before = _snapshot(article)
    url = reverse("article-claim-edit", args=[article.pk, claim.pk])
    assert client.post(url, {"text": "Prices"})["Location"].startswith(reverse("login"))
    for person, expected in ((reviewer, 403), (other_reviewer, 404), (outsider, 403)):
        client.force_login(person)
        assert client.post(url, {"text": "Prices"}).status_code == expected, person
    client.force_login(editor)
    assert client.post(reverse("article-claim-edit", args=[other.pk, claim.pk]), {"text": "Prices"}).status_code == 404
    assert _snapshot(article) == before


# --- Query budget ------------------------------------------------------------------------------


def test_the_article_page_with_triage_controls_keeps_its_query_count(
    client, editor, reviewer, seed_text, django_assert_num_queries
):
    small = _article(editor)
    big = _article(editor, body="\n".join([seed_text] * 3))
    claims = list(big.claims.all())
    for claim in claims[:5]:
        review_services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
    for claim in claims[5:10]:
        review_services.claim_reject(claim=claim, actor=editor)
    assert len(claims) >= 40
    client.force_login(editor)
    url = reverse("article-detail", args=[big.pk])
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = client.get(url)
    assert response.text.count("data-keys-item") == len(claims)
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        client.get(url + f"?edit={claims[20].pk}")

    # The htmx fragment after an action: as many queries for 2 claims as for 40 and more.
    def fragment_queries(article, claim) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = _triage(client, article, claim, headers=HTMX)
        assert response.status_code == 200
        return len(queries)

    assert fragment_queries(small, small.claims.first()) == fragment_queries(big, claims[20])
