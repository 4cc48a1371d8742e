"""Adding a claim from a passage and re-cutting a claim's boundaries, at the service layer."""

import pytest
from django.core.exceptions import ValidationError

from articles import services as article_services
from articles.models import Article, Claim
from reviews import services
from reviews.models import Event, Rating
from reviews.services.claims import MAX_CLAIM_CHARS, claim_add, claim_recut, may_recut
from reviews.workflow import Conflict, NotAllowed, WorkflowError

pytestmark = pytest.mark.django_db

BODY = "Intro words here.\nThe minister said unemployment fell by 3% in 2023. Prices rose 5% last year.\nEnd."


def _article(editor, body=BODY) -> Article:
    """An article without extracted claims: every span is free."""
    return article_services.article_create(submitted_by=editor, body=body, extract=False)


def _span(body: str, text: str) -> tuple[int, int]:
    start = body.index(text)
    return start, start + len(text)


def _state(article) -> list[tuple]:
    return list(Claim.objects.filter(article=article).values_list("pk", "start", "end", "text", "version", "status"))


# --- claim_add ---------------------------------------------------------------------------------


def test_an_editor_adds_a_scored_candidate_claim_with_an_event(editor):
    article = _article(editor)
    start, end = _span(BODY, "The minister said unemployment fell by 3% in 2023.")

    claim = claim_add(article=article, actor=editor, start=start, end=end)

    assert (claim.start, claim.end, claim.text) == (start, end, BODY[start:end])
    assert claim.status == Claim.Status.CANDIDATE and claim.version == 1
    assert claim.claim_type == "quantity" and claim.speaker == "minister"
    assert claim.checkworthy and claim.checkworthiness > 0.5
    assert claim.priority == Claim.Priority.HIGH  # as the worker sets it for a score this high
    event = Event.objects.get(claim=claim)
    assert (event.action, event.actor, event.to_state) == ("claim.added", editor, "candidate")
    assert f"characters {start}–{end}" in event.note


def test_surrounding_whitespace_is_trimmed_off_the_selection(editor):
    article = _article(editor)
    start, end = _span(BODY, "\nThe minister said unemployment fell by 3% in 2023. ")
    claim = claim_add(article=article, actor=editor, start=start, end=end, text=BODY[start:end])
    assert claim.text == "The minister said unemployment fell by 3% in 2023."
    assert (claim.start, claim.end) == (start + 1, end - 1)


def test_a_selection_text_that_differs_from_the_body_is_refused(editor):
    article = _article(editor)
    start, end = _span(BODY, "Prices rose 5% last year.")
    with pytest.raises(ValidationError) as caught:
        claim_add(article=article, actor=editor, start=start, end=end, text="Prices rose 6% last year.")
    assert "not what the article says" in str(caught.value)
    assert _state(article) == []


def test_the_text_is_compared_ignoring_how_the_browser_renders_line_breaks(editor):
    article = _article(editor)
    start, end = _span(BODY, "here.\nThe minister")
    claim = claim_add(article=article, actor=editor, start=start, end=end, text="here.\n\nThe  minister")
    assert claim.text == "here.\nThe minister"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-1, 5, "not inside"),
        (5, 5, "not inside"),
        (9, 3, "not inside"),
        (0, len(BODY) + 1, "not inside"),
        (17, 18, "only spaces"),  # the line break after "Intro words here."
        ("3", 9, "whole numbers"),
        (True, 9, "whole numbers"),
        (None, None, "Select the claim"),
    ],
)
def test_bad_offsets_are_refused_and_change_nothing(editor, start, end, message):
    article = _article(editor)
    with pytest.raises(ValidationError) as caught:
        claim_add(article=article, actor=editor, start=start, end=end)
    assert message in str(caught.value)
    assert _state(article) == [] and not Event.objects.filter(action="claim.added").exists()


def test_a_selection_longer_than_a_claim_is_refused(editor):
    article = _article(editor, body="word " * (MAX_CLAIM_CHARS // 2))
    with pytest.raises(ValidationError, match="at most"):
        claim_add(article=article, actor=editor, start=0, end=MAX_CLAIM_CHARS + 1)


@pytest.mark.parametrize("status", ["candidate", "rejected", "published"])
def test_a_span_overlapping_a_live_claim_is_refused_whatever_its_state(editor, status):
    article = _article(editor)
    existing = claim_add(article=article, actor=editor, start=0, end=17)  # "Intro words here."
    Claim.objects.filter(pk=existing.pk).update(status=status)
    for start, end in ((0, 17), (6, 12), (12, 30), (0, 40)):
        with pytest.raises(ValidationError) as caught:
            claim_add(article=article, actor=editor, start=start, end=end)
        assert f"overlaps claim {existing.pk}" in str(caught.value)
    assert Claim.objects.filter(article=article).count() == 1
    # Touching is not overlapping.
    assert claim_add(article=article, actor=editor, start=17, end=30).start == 18


def test_a_stale_claim_does_not_block_its_old_span(editor):
    article = _article(editor)
    old = claim_add(article=article, actor=editor, start=0, end=17)
    Claim.objects.filter(pk=old.pk).update(stale=True)
    assert claim_add(article=article, actor=editor, start=0, end=17).pk != old.pk


def test_without_offsets_the_text_is_found_in_the_body(editor):
    article = _article(editor)
    claim = claim_add(article=article, actor=editor, text="  Prices rose 5% last year.\n")
    assert (claim.start, claim.end) == _span(BODY, "Prices rose 5% last year.")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Prices fell.", "not in the article"),
        ("e", "times; select the one"),
        ("   ", "Give the claim"),
        ("Prices\x00 rose", "control characters"),
    ],
)
def test_text_that_is_missing_ambiguous_empty_or_binary_is_refused(editor, text, message):
    article = _article(editor)
    with pytest.raises(ValidationError) as caught:
        claim_add(article=article, actor=editor, text=text)
    assert message in str(caught.value)
    assert _state(article) == []


def test_offsets_count_code_points_as_python_does(editor):
    body = "Emoji 🇹🇷 first. Türkiye’s exports rose 12% in 2024."
    article = _article(editor, body=body)
    start, end = _span(body, "Türkiye’s exports rose 12% in 2024.")
    claim = claim_add(article=article, actor=editor, start=start, end=end, text="Türkiye’s exports rose 12% in 2024.")
    assert claim.text == "Türkiye’s exports rose 12% in 2024."


@pytest.mark.parametrize("who", ["reviewer", "outsider"])
def test_only_editors_add_claims(request, editor, who):
    article = _article(editor)
    with pytest.raises(NotAllowed):
        claim_add(article=article, actor=request.getfixturevalue(who), start=0, end=17)
    assert _state(article) == []


def test_admins_add_claims(editor, admin_user):
    assert claim_add(article=_article(editor), actor=admin_user, start=0, end=17).text == "Intro words here."


# --- claim_recut -------------------------------------------------------------------------------


@pytest.fixture
def extracted(editor):
    article = _article(editor)
    article_services.article_request_extraction(article=article, actor=editor)
    article_services.article_extract(article_id=article.pk)
    return article


def test_an_editor_recuts_a_claim_and_it_is_rescored_with_an_event(extracted, editor):
    claim = extracted.claims.get(text__startswith="The minister")
    services.claim_accept(claim=claim, actor=editor)
    claim.refresh_from_db()
    start, end = _span(BODY, "unemployment fell by 3% in 2023.")

    recut = claim_recut(claim=claim, actor=editor, start=start, end=end, expected_version=claim.version)

    assert (recut.start, recut.end, recut.text) == (start, end, "unemployment fell by 3% in 2023.")
    assert recut.version == claim.version + 1
    assert recut.status == Claim.Status.ACCEPTED
    # The pipeline cannot see "the minister said" in the new text: the speaker is kept.
    assert recut.speaker == "minister" and recut.claim_type == "quantity"
    event = Event.objects.filter(claim=claim).latest("id")
    assert event.action == "claim.recut" and event.actor == editor
    assert "“The minister said unemployment fell by 3% in 2023.” → “unemployment fell by 3% in 2023.”" in event.note


def test_a_recut_may_overlap_its_own_old_span_but_not_another_claim(extracted, editor):
    first = extracted.claims.get(text__startswith="The minister")
    second = extracted.claims.get(text__startswith="Prices")
    grown = (first.start, second.end)
    with pytest.raises(ValidationError, match=f"overlaps claim {second.pk}"):
        claim_recut(claim=first, actor=editor, start=grown[0], end=grown[1])
    first.refresh_from_db()
    assert first.version == 1 and first.text.startswith("The minister")

    shorter = claim_recut(claim=first, actor=editor, start=first.start + 4, end=first.end)
    assert shorter.text == "minister said unemployment fell by 3% in 2023."


def test_the_same_span_again_changes_nothing(extracted, editor):
    claim = extracted.claims.get(text__startswith="Prices")
    events = Event.objects.count()
    again = claim_recut(claim=claim, actor=editor, start=claim.start - 1, end=claim.end)  # with the space before
    assert again.version == claim.version and Event.objects.count() == events


def test_a_recut_from_an_older_version_is_a_conflict(extracted, editor, editor2):
    claim = extracted.claims.get(text__startswith="Prices")
    claim_recut(claim=claim, actor=editor2, start=claim.start, end=claim.end - 1)
    with pytest.raises(Conflict):
        claim_recut(claim=claim, actor=editor, start=claim.start + 7, end=claim.end, expected_version=1)
    claim.refresh_from_db()
    assert claim.text == "Prices rose 5% last year" and claim.version == 2


def test_without_offsets_the_text_nearest_the_claim_is_used(editor):
    body = "Prices rose. Wages fell.\nPrices rose. Rents rose."
    article = _article(editor, body=body)
    claim = claim_add(article=article, actor=editor, start=25, end=len(body))  # the second line
    recut = claim_recut(claim=claim, actor=editor, text="Prices rose.")
    assert (recut.start, recut.end) == (25, 37)


def test_claims_with_reviewer_work_cannot_be_recut(assigned, editor):
    with pytest.raises(WorkflowError, match="can no longer be changed"):
        claim_recut(claim=assigned, actor=editor, start=assigned.start, end=assigned.end - 1)
    assert not may_recut(editor, assigned)


def test_published_claims_cannot_be_recut(assigned, editor, editor2, reviewer):
    services.source_add(claim=assigned, actor=reviewer, title="SIPRI", url="https://sipri.org/")
    ruling = services.ruling_submit(
        claim=assigned, actor=reviewer, rating=Rating.objects.get(slug="mostly-true"), summary="s", explanation="e"
    )
    services.ruling_approve(ruling=ruling, actor=editor2)
    services.ruling_publish(ruling=ruling, actor=editor2)
    assigned.refresh_from_db()
    with pytest.raises(WorkflowError):
        claim_recut(claim=assigned, actor=editor, start=assigned.start, end=assigned.end - 1)


def test_rejected_merged_and_stale_claims_cannot_be_recut(extracted, editor):
    first = extracted.claims.get(text__startswith="The minister")
    second = extracted.claims.get(text__startswith="Prices")
    services.claim_reject(claim=first, actor=editor)
    with pytest.raises(WorkflowError):
        claim_recut(claim=first, actor=editor, start=first.start, end=first.end - 1)
    Claim.objects.filter(pk=second.pk).update(stale=True)
    second.refresh_from_db()
    with pytest.raises(WorkflowError, match="no longer in the article"):
        claim_recut(claim=second, actor=editor, start=second.start, end=second.end - 1)


@pytest.mark.parametrize("who", ["reviewer", "outsider"])
def test_only_editors_recut(request, extracted, who):
    claim = extracted.claims.get(text__startswith="Prices")
    with pytest.raises(NotAllowed):
        claim_recut(claim=claim, actor=request.getfixturevalue(who), start=claim.start, end=claim.end - 1)
    claim.refresh_from_db()
    assert claim.version == 1


def test_may_recut_follows_role_and_state(extracted, editor, reviewer):
    claim = extracted.claims.get(text__startswith="Prices")
    assert may_recut(editor, claim) and not may_recut(reviewer, claim)
    claim.status = Claim.Status.ACCEPTED
    assert may_recut(editor, claim)
    claim.status = Claim.Status.REJECTED
    assert not may_recut(editor, claim)
