"""The workflow pages beyond the basic path: merge, start, take, priority and due date,
drafts with conflicts, corrections, source edits, comments, overdue claims, the queue's bulk
assignment and saved filters. Every view for who may and who may not; refusals change nothing."""

import datetime
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
from reviews.models import Assignment, Comment, Event, Rating, Ruling, Source

pytestmark = pytest.mark.django_db
S = Claim.Status
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)

# Session, user, groups; then the page's own queries.
QUEUE_QUERIES = 7  # + count, page, reviewers (filter select), reviewers (bulk-assign select)
# + claim, sources, rulings, comments, merged claims, history
CLAIM_PAGE_QUERIES = 9
# + which of the names @mentioned in the comments are users: only when a comment mentions someone.
MENTIONS_QUERY = 1


def rating(slug: str) -> Rating:
    return Rating.objects.get(slug=slug)


@pytest.fixture
def claim(article) -> Claim:
    return article.claims.exclude(speaker="").order_by("-checkworthiness", "start").first()


@pytest.fixture
def other_claim(article, claim) -> Claim:
    return article.claims.exclude(pk=claim.pk).order_by("start").first()


@pytest.fixture
def source(assigned, reviewer) -> Source:
    return services.source_add(claim=assigned, actor=reviewer, title="SIPRI Top 100", url="https://sipri.org/top100")


@pytest.fixture
def submitted(assigned, source, reviewer) -> Ruling:
    return services.ruling_submit(
        claim=assigned,
        actor=reviewer,
        rating=rating("mostly-true"),
        summary="Türkiye has a large defence industry",
        explanation="SIPRI lists several Turkish firms in its top 100.",
    )


@pytest.fixture
def published(submitted, editor, editor2) -> Ruling:
    services.ruling_approve(ruling=submitted, actor=editor2)
    return services.ruling_publish(ruling=submitted, actor=editor)


def _state(claim: Claim) -> tuple:
    """Everything a refused action must leave as it was."""
    claim.refresh_from_db()
    return (
        claim.status,
        claim.assignee_id,
        claim.priority,
        claim.due_date,
        claim.version,
        claim.merged_into_id,
        Event.objects.count(),
        Assignment.objects.count(),
        Comment.objects.count(),
        tuple(Source.objects.order_by("pk").values_list("pk", "title", "url")),
        tuple(Ruling.objects.order_by("pk").values_list("status", "version", "summary")),
    )


def page(client, claim: Claim):
    return client.get(reverse("claim-detail", args=[claim.pk]))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Who may not: every new action ---------------------------------------------------------------

CLAIM_ACTIONS = {
    "claim-merge": lambda ctx: {"into": ctx["other"].pk},
    "claim-start": lambda ctx: {},
    "claim-self-assign": lambda ctx: {},
    "claim-update": lambda ctx: {"priority": 4, "due_date": "2030-01-31", "version": ctx["claim"].version},
    "comment-add": lambda ctx: {"body": "Hello @erin"},
    "ruling-draft": lambda ctx: {"rating": rating("false").pk, "summary": "S", "explanation": "E", "version": 0},
    "source-add": lambda ctx: {"title": "A source", "url": "https://example.org/", "kind": "dataset"},
}
SOURCE_ACTIONS = {
    "source-update": lambda ctx: {"title": "Changed", "url": "https://example.org/x", "kind": "other"},
    "source-remove": lambda ctx: {},
}


@pytest.fixture
def ctx(assigned, other_claim, source):
    return {"claim": assigned, "other": other_claim, "source": source}


def _url(name: str, ctx) -> str:
    if name in SOURCE_ACTIONS:
        return reverse(name, args=[ctx["source"].pk])
    return reverse(name, args=[ctx["claim"].pk])


def _data(name: str, ctx) -> dict:
    return {**CLAIM_ACTIONS, **SOURCE_ACTIONS}[name](ctx)


ALL_ACTIONS = [*CLAIM_ACTIONS, *SOURCE_ACTIONS]


@pytest.mark.parametrize("name", ALL_ACTIONS)
def test_anonymous_actions_go_to_login_and_change_nothing(client, ctx, name):
    before = _state(ctx["claim"])
    response = client.post(_url(name, ctx), _data(name, ctx))
    assert response["Location"].startswith(reverse("login"))
    assert _state(ctx["claim"]) == before


@pytest.mark.parametrize("name", ALL_ACTIONS)
def test_actions_are_post_only(client, editor, ctx, name):
    client.force_login(editor)
    assert client.get(_url(name, ctx)).status_code == 405


@pytest.mark.parametrize("name", ALL_ACTIONS)
def test_outsiders_are_refused(client, outsider, ctx, name):
    before = _state(ctx["claim"])
    client.force_login(outsider)
    assert client.post(_url(name, ctx), _data(name, ctx)).status_code == 403
    assert _state(ctx["claim"]) == before


@pytest.mark.parametrize("name", ALL_ACTIONS)
def test_other_reviewers_cannot_find_the_claim(client, other_reviewer, ctx, name, settings):
    settings.REVIEWER_SELF_ASSIGN = True  # even where reviewers may take claims: this one is taken
    before = _state(ctx["claim"])
    client.force_login(other_reviewer)
    assert client.post(_url(name, ctx), _data(name, ctx)).status_code == 404
    assert _state(ctx["claim"]) == before


def test_new_actions_need_the_csrf_token(reviewer, ctx):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    before = _state(ctx["claim"])
    for name in ("comment-add", "ruling-draft", "source-update", "source-remove"):
        assert client.post(_url(name, ctx), _data(name, ctx)).status_code == 403
    assert _state(ctx["claim"]) == before


@pytest.mark.parametrize("name", ["claim-merge", "claim-update", "claim-self-assign"])
def test_reviewers_may_not_make_editor_moves_on_their_claim(client, reviewer, ctx, name):
    before = _state(ctx["claim"])
    client.force_login(reviewer)
    assert client.post(_url(name, ctx), _data(name, ctx)).status_code == 403
    assert _state(ctx["claim"]) == before


@pytest.mark.parametrize("name", ["claim-start", "ruling-draft"])
def test_editors_may_not_do_the_reviewers_work(client, editor, ctx, name):
    before = _state(ctx["claim"])
    client.force_login(editor)
    assert client.post(_url(name, ctx), _data(name, ctx)).status_code == 403
    assert _state(ctx["claim"]) == before


# --- Merge -------------------------------------------------------------------------------------


def test_an_editor_merges_a_duplicate_and_sees_the_claim_it_went_into(client, editor, claim, other_claim):
    client.force_login(editor)
    assert reverse("claim-merge", args=[claim.pk]) in page(client, claim).text
    response = client.post(reverse("claim-merge", args=[claim.pk]), {"into": other_claim.pk}, follow=True)
    claim.refresh_from_db()
    assert (claim.status, claim.merged_into) == (S.MERGED, other_claim)
    assert escape(other_claim.text) in response.text  # the page shows what it was merged into
    assert reverse("claim-detail", args=[other_claim.pk]) in response.text
    assert reverse("claim-merge", args=[claim.pk]) not in response.text  # no second merge
    # The kept claim lists the duplicate and shows its merge in its history.
    target = page(client, other_claim)
    assert reverse("claim-detail", args=[claim.pk]) in target.text
    assert "claim.merge" in target.text and f"(claim {claim.pk})" in target.text


@pytest.mark.parametrize("into", ["", "abc", "0", "9" * 30, "999999"])
def test_a_bad_merge_target_is_refused_on_the_form(client, editor, claim, into):
    before = _state(claim)
    client.force_login(editor)
    response = client.post(reverse("claim-merge", args=[claim.pk]), {"into": into})
    assert response.status_code == 400
    assert "into" in response.context["merge_form"].errors
    assert _state(claim) == before


def test_a_claim_cannot_be_merged_into_itself(client, editor, claim):
    before = _state(claim)
    client.force_login(editor)
    response = client.post(reverse("claim-merge", args=[claim.pk]), {"into": claim.pk})
    assert response.status_code == 400
    assert "itself" in response.text
    assert _state(claim) == before


def test_an_assigned_claim_cannot_be_merged(client, editor, assigned, other_claim):
    before = _state(assigned)
    client.force_login(editor)
    assert reverse("claim-merge", args=[assigned.pk]) not in page(client, assigned).text
    response = client.post(reverse("claim-merge", args=[assigned.pk]), {"into": other_claim.pk}, follow=True)
    assert "Cannot merge a claim that is assigned." in response.text
    assert _state(assigned) == before


# --- Start review and self-assignment ------------------------------------------------------------


def test_the_assignee_starts_the_review(client, reviewer, editor, assigned):
    client.force_login(editor)
    assert reverse("claim-start", args=[assigned.pk]) not in page(client, assigned).text
    client.force_login(reviewer)
    assert reverse("claim-start", args=[assigned.pk]) in page(client, assigned).text
    response = client.post(reverse("claim-start", args=[assigned.pk]), follow=True)
    assigned.refresh_from_db()
    assert assigned.status == S.IN_REVIEW
    assert "Review started." in response.text
    assert reverse("claim-start", args=[assigned.pk]) not in response.text
    before = _state(assigned)
    response = client.post(reverse("claim-start", args=[assigned.pk]), follow=True)
    assert [m for m in messages_of(response) if m.startswith("Cannot start") and m.endswith("in review.")]
    assert _state(assigned) == before


def test_reviewers_cannot_take_claims_unless_the_desk_allows_it(client, editor, reviewer, claim):
    services.claim_accept(claim=claim, actor=editor)
    before = _state(claim)
    client.force_login(reviewer)
    assert page(client, claim).status_code == 404  # not theirs, and not open to take
    assert client.post(reverse("claim-self-assign", args=[claim.pk])).status_code == 404
    assert _state(claim) == before


def test_reviewers_take_accepted_claims_where_the_desk_allows_it(client, editor, reviewer, claim, settings):
    settings.REVIEWER_SELF_ASSIGN = True
    services.claim_accept(claim=claim, actor=editor)
    client.force_login(reviewer)
    assert claim in client.get(reverse("claim-queue"), {"status": "accepted"}).context["page"]
    response = page(client, claim)
    assert "Take this claim" in response.text
    assert reverse("comment-add", args=[claim.pk]) not in response.text  # not theirs yet
    response = client.post(reverse("claim-self-assign", args=[claim.pk]), follow=True)
    claim.refresh_from_db()
    assert (claim.status, claim.assignee) == (S.ASSIGNED, reviewer)
    assert "Take this claim" not in response.text
    assert "claim.self_assign" in response.text


def test_editors_do_not_take_claims(client, editor, claim, settings):
    settings.REVIEWER_SELF_ASSIGN = True
    services.claim_accept(claim=claim, actor=editor)
    before = _state(claim)
    client.force_login(editor)
    assert "Take this claim" not in page(client, claim).text
    assert client.post(reverse("claim-self-assign", args=[claim.pk])).status_code == 403
    assert _state(claim) == before


# --- Priority and due date -----------------------------------------------------------------------


def test_an_editor_changes_priority_and_due_date(client, editor, assigned):
    client.force_login(editor)
    data = {"priority": 4, "due_date": "2030-01-31", "version": assigned.version}
    response = client.post(reverse("claim-update", args=[assigned.pk]), data, follow=True)
    old_version = assigned.version
    assigned.refresh_from_db()
    assert (assigned.priority, assigned.due_date) == (4, datetime.date(2030, 1, 31))
    assert assigned.version == old_version + 1
    assert "claim.updated" in response.text and "→ Urgent; due — → 2030-01-31" in response.text
    # An empty due date clears it.
    client.post(
        reverse("claim-update", args=[assigned.pk]), {"priority": 4, "due_date": "", "version": assigned.version}
    )
    assigned.refresh_from_db()
    assert assigned.due_date is None


def test_a_stale_claim_version_is_a_conflict_and_saves_nothing(client, editor, editor2, assigned):
    stale_version = assigned.version
    services.claim_update(claim=assigned, actor=editor2, priority=1, expected_version=stale_version)
    before = _state(assigned)
    client.force_login(editor)
    data = {"priority": 4, "due_date": "2030-01-31", "version": stale_version}
    response = client.post(reverse("claim-update", args=[assigned.pk]), data, follow=True)
    assert response.redirect_chain == [(reverse("claim-detail", args=[assigned.pk]), 302)]
    text = " ".join(messages_of(response))
    assert "nothing was saved" in text and f"now {assigned.version}" in text
    assert _state(assigned) == before


def test_a_bad_priority_is_refused_on_the_form(client, editor, assigned):
    before = _state(assigned)
    client.force_login(editor)
    response = client.post(reverse("claim-update", args=[assigned.pk]), {"priority": 9, "version": assigned.version})
    assert response.status_code == 400
    assert "priority" in response.context["update_form"].errors
    assert _state(assigned) == before


@pytest.mark.parametrize("status", [S.PUBLISHED, S.CORRECTED, S.REJECTED, S.MERGED])
def test_a_closed_claim_offers_no_priority_form_and_refuses_a_change(client, editor, claim, status):
    # The state alone decides; how the claim got there is tested with each transition.
    Claim.objects.filter(pk=claim.pk).update(status=status)
    before = _state(claim)
    client.force_login(editor)
    html = page(client, claim).text
    assert "Priority and due date" not in html and reverse("claim-update", args=[claim.pk]) not in html
    data = {"priority": 4, "due_date": "2030-01-31", "version": claim.version}
    response = client.post(reverse("claim-update", args=[claim.pk]), data, follow=True)
    assert response.redirect_chain == [(reverse("claim-detail", args=[claim.pk]), 302)]
    state = dict(S.choices)[status].lower()
    refusal = f"A {state} claim's priority and due date cannot be changed: nobody works on it any more."
    assert messages_of(response) == [refusal]
    assert _state(claim) == before
    assert not Event.objects.filter(claim=claim, action="claim.updated").exists()


@pytest.mark.parametrize("status", [S.CANDIDATE, S.ACCEPTED, S.APPROVED])
def test_an_open_claim_offers_the_priority_form(client, editor, claim, status):
    Claim.objects.filter(pk=claim.pk).update(status=status)
    client.force_login(editor)
    assert f'action="{reverse("claim-update", args=[claim.pk])}"' in page(client, claim).text


# --- Drafts and the ruling form ------------------------------------------------------------------


def _ruling_data(summary: str, version, **extra) -> dict:
    return {"rating": rating("false").pk, "summary": summary, "explanation": "Because.", "version": version, **extra}


def test_the_assignee_saves_a_draft_and_finds_the_form_filled_in(client, editor, reviewer, assigned):
    client.force_login(reviewer)
    form_page = page(client, assigned)
    assert "Save draft" in form_page.text and "Submit for approval" in form_page.text
    assert form_page.context["ruling_form"].initial["version"] == 0
    response = client.post(reverse("ruling-draft", args=[assigned.pk]), _ruling_data("First words", 0), follow=True)
    draft = Ruling.objects.get(claim=assigned)
    assert (draft.status, draft.summary, draft.version) == (Ruling.Status.DRAFT, "First words", 1)
    assert "Draft saved" in response.text
    form = response.context["ruling_form"]
    assert form.initial["summary"] == "First words" and form.initial["version"] == 1
    assert 'value="First words"' in response.text
    assigned.refresh_from_db()
    assert assigned.status == S.IN_REVIEW  # drafting is reviewing

    # The editor sees that a draft exists, not the draft as a verdict.
    client.force_login(editor)
    text = page(client, assigned).text
    assert "is drafting a ruling" in text and "First words" not in text


def test_two_saves_with_the_same_draft_version_the_second_is_a_conflict(client, reviewer, assigned, source):
    client.force_login(reviewer)
    client.post(reverse("ruling-draft", args=[assigned.pk]), _ruling_data("Version one", 0))
    # Two tabs opened the draft at version 1; the first saves...
    assert client.post(reverse("ruling-draft", args=[assigned.pk]), _ruling_data("First tab", 1)).status_code == 302
    before = _state(assigned)
    # ...and the second is refused, not silently saved over the first.
    response = client.post(reverse("ruling-draft", args=[assigned.pk]), _ruling_data("Second tab", 1), follow=True)
    assert response.redirect_chain == [(reverse("claim-detail", args=[assigned.pk]), 302)]
    text = " ".join(messages_of(response))
    assert "nothing was saved" in text and "now 2" in text
    assert Ruling.objects.get(claim=assigned).summary == "First tab"
    assert _state(assigned) == before
    # Submitting from the stale tab is refused too.
    response = client.post(reverse("ruling-submit", args=[assigned.pk]), _ruling_data("Second tab", 1), follow=True)
    assert "nothing was saved" in " ".join(messages_of(response))
    assert _state(assigned) == before


def test_a_draft_saved_meanwhile_makes_a_blank_form_stale(client, reviewer, assigned):
    client.force_login(reviewer)
    client.post(reverse("ruling-draft", args=[assigned.pk]), _ruling_data("Other tab", 0))
    before = _state(assigned)
    response = client.post(reverse("ruling-draft", args=[assigned.pk]), _ruling_data("This tab", 0), follow=True)
    assert "nothing was saved" in " ".join(messages_of(response))
    assert _state(assigned) == before


def test_submitting_the_draft_makes_it_the_ruling(client, reviewer, assigned, source):
    client.force_login(reviewer)
    client.post(reverse("ruling-draft", args=[assigned.pk]), _ruling_data("Draft", 0))
    response = client.post(reverse("ruling-submit", args=[assigned.pk]), _ruling_data("Final", 1))
    assert response.status_code == 302
    ruling = Ruling.objects.get(claim=assigned)
    assert (ruling.status, ruling.summary) == (Ruling.Status.SUBMITTED, "Final")
    assigned.refresh_from_db()
    assert assigned.status == S.SUBMITTED


def test_an_empty_draft_is_refused_on_the_form(client, reviewer, assigned):
    before = _state(assigned)
    client.force_login(reviewer)
    response = client.post(reverse("ruling-draft", args=[assigned.pk]), _ruling_data("  ", 0))
    assert response.status_code == 400
    assert "summary" in response.context["ruling_form"].errors
    assert _state(assigned) == before


def test_a_returned_ruling_prefills_the_form(client, reviewer, editor2, submitted):
    services.ruling_return(ruling=submitted, actor=editor2, note="Add 2024.")
    client.force_login(reviewer)
    form = page(client, submitted.claim).context["ruling_form"]
    assert form.initial["summary"] == submitted.summary and form.initial["version"] == 0


# --- Corrections ----------------------------------------------------------------------------------


def _correction(ruling: Ruling, **extra) -> dict:
    return {
        "rating": rating("half-true").pk,
        "summary": "Türkiye has a mid-sized defence industry",
        "explanation": "Only two firms are in the top 100.",
        "correction_note": "We misread the SIPRI table.",
        "version": ruling.version,
        **extra,
    }


def test_an_editor_corrects_a_published_ruling_and_both_verdicts_show(client, editor, reviewer, published):
    client.force_login(editor)
    assert reverse("ruling-correct", args=[published.pk]) in page(client, published.claim).text
    response = client.post(reverse("ruling-correct", args=[published.pk]), _correction(published), follow=True)
    claim = Claim.objects.get(pk=published.claim_id)
    assert claim.status == S.CORRECTED
    published.refresh_from_db()
    assert published.status == Ruling.Status.SUPERSEDED
    text = response.text
    today = timezone.localdate().strftime("%-d %b %Y")
    assert "Corrected on" in text and today in text and "We misread the SIPRI table." in text
    assert "Half true" in text and "Mostly true" in text  # the new and the old verdict
    assert "Türkiye has a large defence industry" in text
    assert "ruling.corrected" in text and "Mostly true → Half true" in text
    # The reviewer sees the correction on their claim too, without the form.
    client.force_login(reviewer)
    reviewer_page = page(client, claim)
    assert "Corrected on" in reviewer_page.text
    assert reverse("ruling-correct", args=[published.pk]) not in reviewer_page.text


def test_correction_access(client, reviewer, outsider, other_reviewer, published):
    url = reverse("ruling-correct", args=[published.pk])
    data = _correction(published)
    before = _state(published.claim)
    assert client.post(url, data)["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.post(url, data).status_code == 403
    client.force_login(other_reviewer)
    assert client.post(url, data).status_code == 404
    client.force_login(reviewer)
    assert client.post(url, data).status_code == 403
    assert client.get(url).status_code == 405
    assert _state(published.claim) == before


def test_a_stale_correction_is_a_conflict(client, editor, published):
    stale = _correction(published)
    services.ruling_correct(
        ruling=published, actor=editor, rating=rating("false"), summary="S", explanation="E", correction_note="N"
    )
    client.force_login(editor)
    before = _state(published.claim)
    response = client.post(reverse("ruling-correct", args=[published.pk]), stale, follow=True)
    assert "nothing was saved" in " ".join(messages_of(response)) or "superseded" in " ".join(messages_of(response))
    assert _state(published.claim) == before


def test_a_correction_needs_a_note(client, editor, published):
    before = _state(published.claim)
    client.force_login(editor)
    response = client.post(reverse("ruling-correct", args=[published.pk]), _correction(published, correction_note=""))
    assert response.status_code == 400
    assert "correction_note" in response.context["correct_form"].errors
    assert _state(published.claim) == before


def test_an_unpublished_ruling_cannot_be_corrected(client, editor, submitted):
    before = _state(submitted.claim)
    client.force_login(editor)
    response = client.post(reverse("ruling-correct", args=[submitted.pk]), _correction(submitted), follow=True)
    assert "Cannot correct a claim that is ruling submitted." in response.text
    assert _state(submitted.claim) == before


# --- Sources: edit and remove --------------------------------------------------------------------


def test_the_assignee_edits_and_removes_a_source(client, reviewer, assigned, source):
    client.force_login(reviewer)
    text = page(client, assigned).text
    assert reverse("source-edit-form", args=[source.pk]) in text and reverse("source-remove", args=[source.pk]) in text
    data = {"title": "SIPRI Top 100 (2024)", "url": "https://sipri.org/top100-2024", "kind": "dataset"}
    response = client.post(reverse("source-update", args=[source.pk]), data, follow=True)
    source.refresh_from_db()
    assert (source.title, source.url, source.kind) == (data["title"], data["url"], "dataset")
    assert "source.edited" in response.text
    response = client.post(reverse("source-remove", args=[source.pk]), follow=True)
    assert not Source.objects.filter(pk=source.pk).exists()
    assert "source.removed" in response.text


def test_editors_may_edit_sources_too(client, editor, source):
    client.force_login(editor)
    data = {"title": "Edited by the editor", "kind": "other"}
    assert client.post(reverse("source-update", args=[source.pk]), data).status_code == 302
    source.refresh_from_db()
    assert source.title == "Edited by the editor"


def test_a_bad_source_edit_is_refused_on_the_form(client, reviewer, assigned, source):
    before = _state(assigned)
    client.force_login(reviewer)
    data = {"title": "Evil", "url": "javascript:alert(1)", "kind": "other"}
    response = client.post(reverse("source-update", args=[source.pk]), data)
    assert response.status_code == 400
    edited = next(s for s in response.context["sources"] if s.pk == source.pk)
    assert "url" in edited.edit_form.errors
    assert f'action="{reverse("source-update", args=[source.pk])}"' in response.text  # the form, open
    assert _state(assigned) == before


def test_sources_are_locked_once_approved(client, editor, editor2, submitted, source):
    services.ruling_approve(ruling=submitted, actor=editor2)
    before = _state(submitted.claim)
    client.force_login(editor)
    assert reverse("source-remove", args=[source.pk]) not in page(client, submitted.claim).text
    response = client.post(reverse("source-remove", args=[source.pk]), follow=True)
    assert "Sources cannot be changed on a claim that is approved." in response.text
    assert _state(submitted.claim) == before


# --- Comments --------------------------------------------------------------------------------------


def test_reviewer_and_editor_discuss_a_claim(client, reviewer, editor, assigned):
    client.force_login(reviewer)
    response = client.post(
        reverse("comment-add", args=[assigned.pk]), {"body": "@erin is this the 2024 table?"}, follow=True
    )
    assert '<strong class="mention">@erin</strong> is this the 2024 table?' in response.text
    assert "rita" in response.text
    client.force_login(editor)
    client.post(reverse("comment-add", args=[assigned.pk]), {"body": "Yes.\nUse it, @rita."})
    comments = list(Comment.objects.filter(claim=assigned).values_list("author__username", "body"))
    assert comments == [("rita", "@erin is this the 2024 table?"), ("erin", "Yes.\nUse it, @rita.")]
    assert 'Yes.<br>Use it, <strong class="mention">@rita</strong>.' in page(client, assigned).text


def test_only_mentions_of_real_users_are_highlighted(client, editor, reviewer, other_reviewer, assigned):
    client.force_login(editor)
    body = "@nobody and @rita. Ask @otto, not @erin.smith or @..."
    client.post(reverse("comment-add", args=[assigned.pk]), {"body": body})
    html = page(client, assigned).text
    assert '@nobody and <strong class="mention">@rita</strong>. Ask <strong class="mention">@otto</strong>' in html
    assert html.count('class="mention"') == 2  # not @nobody, @erin.smith or @...


def test_a_hostile_comment_is_escaped(client, editor, claim):
    client.force_login(editor)
    body = f'{HOSTILE} @erin"><script>x</script> @<b>bold</b>'
    response = client.post(reverse("comment-add", args=[claim.pk]), {"body": body}, follow=True)
    assert Comment.objects.get().body == body
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    assert "<script>x</script>" not in response.text and "<b>bold</b>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert '<strong class="mention">@erin</strong>&quot;&gt;&lt;script&gt;' in response.text


def test_an_empty_comment_is_refused_on_the_form(client, editor, claim):
    before = _state(claim)
    client.force_login(editor)
    response = client.post(reverse("comment-add", args=[claim.pk]), {"body": "   "})
    assert response.status_code == 400
    assert "body" in response.context["comment_form"].errors
    assert _state(claim) == before


# --- History: merges, corrections, stale flags ---------------------------------------------------


def test_the_history_shows_stale_flags(client, editor, assigned):
    article = assigned.article
    Article.objects.filter(pk=article.pk).update(body=article.body.replace(assigned.text, "Something else entirely."))
    article_services.article_request_extraction(article=article, actor=editor)
    article_services.article_extract(article_id=article.pk)
    assigned.refresh_from_db()
    assert assigned.stale
    client.force_login(editor)
    text = page(client, assigned).text
    assert "claim.stale" in text and "Text gone from the edited article" in text and "Text gone" in text


# --- Overdue -------------------------------------------------------------------------------------


def test_overdue_claims_are_flagged_and_filtered(client, editor, reviewer, assigned, other_claim, settings):
    services.claim_update(claim=assigned, actor=editor, due_date=YESTERDAY)
    # Past due but not open: not overdue.
    services.claim_update(claim=other_claim, actor=editor, due_date=YESTERDAY)
    client.force_login(editor)
    assert 'class="badge overdue"' in page(client, assigned).text
    assert 'class="badge overdue"' not in page(client, other_claim).text
    response = client.get(reverse("claim-queue"))
    overdue = {c.pk for c in response.context["page"] if c.is_overdue}
    assert overdue == {assigned.pk}
    assert response.text.count('class="badge overdue"') == 1
    assert list(client.get(reverse("claim-queue"), {"overdue": "on"}).context["page"]) == [assigned]
    client.force_login(reviewer)
    assert list(client.get(reverse("my-claims"), {"overdue": "on"}).context["page"]) == [assigned]
    # Due today is not overdue.
    services.claim_update(claim=assigned, actor=editor, due_date=timezone.localdate())
    assert list(client.get(reverse("my-claims"), {"overdue": "on"}).context["page"]) == []


# --- Saved filters -------------------------------------------------------------------------------


def test_saved_filters(client, editor, editor2, reviewer, django_user_model, article, submitted):
    both = django_user_model.objects.create_user(username="bea", password=PASSWORD)
    both.groups.add(Group.objects.get(name=EDITORS), Group.objects.get(name=REVIEWERS))
    mine = article.claims.exclude(pk=submitted.claim_id).order_by("start").first()
    services.claim_assign(claim=mine, reviewer=both, actor=editor)
    services.source_add(claim=mine, actor=both, title="A source")
    services.ruling_submit(claim=mine, actor=both, rating=rating("false"), summary="S", explanation="E")

    client.force_login(both)
    response = client.get(reverse("claim-queue"))
    for query in ("mine=on", "awaiting=on", "overdue=on"):
        assert f'href="?{query}"' in response.text
    assert list(client.get(reverse("claim-queue"), {"mine": "on"}).context["page"]) == [mine]
    # Waiting for my approval: submitted rulings I did not write.
    assert list(client.get(reverse("claim-queue"), {"awaiting": "on"}).context["page"]) == [submitted.claim]
    client.force_login(editor2)
    awaiting = {c.pk for c in client.get(reverse("claim-queue"), {"awaiting": "on"}).context["page"]}
    assert awaiting == {submitted.claim_id, mine.pk}
    # Reviewers approve nothing: no such link.
    client.force_login(reviewer)
    assert 'href="?awaiting=on"' not in client.get(reverse("claim-queue")).text


# --- The queue's bulk actions --------------------------------------------------------------------


def _candidates(article, n: int) -> list[Claim]:
    return list(article.claims.filter(status=S.CANDIDATE).order_by("start")[:n])


@pytest.mark.parametrize("name", ["claims-bulk-assign", "claims-auto-assign"])
def test_bulk_actions_are_for_editors_only(client, outsider, reviewer, other_reviewer, assigned, name):
    url = reverse(name)
    data = {"claims": [assigned.pk], "reviewer": other_reviewer.pk}
    before = _state(assigned)
    assert client.post(url, data)["Location"].startswith(reverse("login"))
    for user in (outsider, reviewer, other_reviewer):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    assert client.get(url).status_code == 405
    assert _state(assigned) == before
    client.force_login(reviewer)
    assert 'id="bulk-form"' not in client.get(reverse("claim-queue")).text


def test_the_queue_offers_bulk_selection_to_editors(client, editor, article):
    client.force_login(editor)
    text = client.get(reverse("claim-queue")).text
    assert 'id="bulk-form"' in text and "data-select-all" in text
    assert text.count('<input type="checkbox" name="claims"') == article.claims.count()
    assert "Auto-assign selected" in text


def test_bulk_assign_reports_the_refused_claim(client, editor, reviewer, article, assigned):
    claims = _candidates(article, 3)
    client.force_login(editor)
    data = {"claims": [c.pk for c in claims] + [assigned.pk], "reviewer": reviewer.pk}
    response = client.post(reverse("claims-bulk-assign") + "?status=", data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("claim-queue") + "?status="
    text = " ".join(messages_of(response))
    assert "3 assigned to rita, 1 refused:" in text
    assert f"claim {assigned.pk}: This claim is already assigned to rita." in text
    assert set(Claim.objects.filter(assignee=reviewer).values_list("pk", flat=True)) == {
        assigned.pk,
        *(c.pk for c in claims),
    }


def test_bulk_assign_needs_claims_and_a_reviewer(client, editor, editor2, article):
    claims = _candidates(article, 2)
    client.force_login(editor)
    before = _state(claims[0])
    response = client.post(reverse("claims-bulk-assign"), {"reviewer": editor2.pk, "claims": [claims[0].pk]})
    assert response.status_code == 400 and "reviewer" in response.context["bulk_form"].errors
    response = client.post(reverse("claims-bulk-assign"), {"reviewer": ""})
    assert response.status_code == 400 and "Select at least one claim." in response.text
    for bad in ("abc", "9" * 30, "-3"):
        assert client.post(reverse("claims-auto-assign"), {"claims": [bad]}).status_code == 400
    assert _state(claims[0]) == before


def test_auto_assign_spreads_claims_and_reports_who_got_what(client, editor, reviewer, other_reviewer, article):
    claims = _candidates(article, 4)
    client.force_login(editor)
    response = client.post(reverse("claims-auto-assign"), {"claims": [c.pk for c in claims]}, follow=True)
    loads = {
        user.username: Claim.objects.filter(assignee=user, status=S.ASSIGNED).count()
        for user in (reviewer, other_reviewer)
    }
    assert loads == {"rita": 2, "otto": 2}
    text = " ".join(messages_of(response))
    assert "4 auto-assigned." in text and "otto: 2 (claims" in text and "rita: 2 (claims" in text


def test_auto_assign_reports_what_was_left(client, editor, reviewer, other_reviewer, article, settings):
    settings.REVIEWER_MAX_OPEN = 1
    claims = _candidates(article, 3)
    client.force_login(editor)
    response = client.post(reverse("claims-auto-assign"), {"claims": [c.pk for c in claims]}, follow=True)
    text = " ".join(messages_of(response))
    assert "2 auto-assigned." in text
    assert "1 left unassigned:" in text and "maximum of open claims" in text
    assert Claim.objects.filter(assignee__isnull=False).count() == 2


# --- Query budgets -------------------------------------------------------------------------------


def test_the_claim_page_query_count_does_not_grow_with_rulings_comments_or_duplicates(
    client, editor, editor2, reviewer, article, published, django_assert_num_queries
):
    claim = published.claim
    client.force_login(editor)
    url = reverse("claim-detail", args=[claim.pk])
    # A published claim's page: + the ratings of the correction form.
    with django_assert_num_queries(CLAIM_PAGE_QUERIES + 1):
        client.get(url)

    ruling = published
    for i in range(5):
        ruling = services.ruling_correct(
            ruling=ruling,
            actor=editor,
            rating=rating("false"),
            summary=f"S{i}",
            explanation="E",
            correction_note=f"N{i}",
        )
    for i in range(20):
        services.comment_add(claim=claim, actor=(editor, reviewer)[i % 2], body=f"Comment {i} @erin")
    duplicates = list(article.claims.filter(status=S.CANDIDATE)[:5])
    for dup in duplicates:
        services.claim_merge(claim=dup, into=claim, actor=editor2)
    with django_assert_num_queries(CLAIM_PAGE_QUERIES + 1 + MENTIONS_QUERY):
        response = client.get(url)
    assert response.text.count("Corrected on") == 5  # each superseded ruling, with its note
    assert all(f"N{i}" in response.text for i in range(5))
    assert response.text.count('class="mention"') == 20
    assert all(reverse("claim-detail", args=[dup.pk]) in response.text for dup in duplicates)


def test_the_queue_query_count_does_not_grow_with_overdue_claims(
    client, editor, reviewer, article, django_assert_num_queries
):
    claims = _candidates(article, 15)
    services.claim_assign(claim=claims[0], reviewer=reviewer, actor=editor, due_date=YESTERDAY)
    client.force_login(editor)
    with django_assert_num_queries(QUEUE_QUERIES):
        client.get(reverse("claim-queue"), {"overdue": "on"})
    for claim in claims[1:]:
        services.claim_assign(claim=claim, reviewer=reviewer, actor=editor, due_date=YESTERDAY)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("claim-queue"), {"overdue": "on", "awaiting": ""})
    assert len(response.context["page"]) == 15


# --- Markup ----------------------------------------------------------------------------------------


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def test_the_claim_page_forms_have_unique_ids(client, editor, reviewer, other_claim, published):
    for user, target in ((editor, published.claim), (reviewer, published.claim), (editor, other_claim)):
        client.force_login(user)
        ids = _ids(page(client, target).text)
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    client.force_login(editor)
    ids = _ids(client.get(reverse("claim-queue")).text)
    assert len(ids) == len(set(ids))
