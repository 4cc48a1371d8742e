"""Re-extraction after an edit keeps every claim with work, adds new ones, flags vanished ones."""

import itertools

import pytest

from articles import reconcile, services
from articles.extraction import ClaimCandidate, pipeline
from articles.models import Article, Claim
from reviews import services as review_services
from reviews.models import Assignment, Event

pytestmark = pytest.mark.django_db

RUTTE = "Referring to Türkiye, Rutte stated"


def _edit(article, editor, body):
    Article.objects.filter(pk=article.pk).update(body=body)
    services.article_request_extraction(article=article, actor=editor)
    services.article_extract(article_id=article.pk)
    article.refresh_from_db()


def _snapshot(article):
    return list(Claim.objects.filter(article=article).order_by("pk").values())


@pytest.fixture
def worked(article, editor, reviewer):
    """A claim an editor accepted and assigned: it carries work."""
    claim = article.claims.get(text__startswith=RUTTE)
    review_services.claim_accept(claim=claim, actor=editor)
    return review_services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)


def test_an_edit_above_a_claim_moves_it_with_its_work(article, editor, worked):
    _edit(article, editor, "A new lead sentence was added. " + article.body)
    worked.refresh_from_db()
    assert article.body[worked.start : worked.end] == worked.text and not worked.stale
    assert worked.status == Claim.Status.ASSIGNED
    assert Assignment.objects.filter(claim=worked, active=True).exists()
    live = Claim.objects.filter(article=article, stale=False)
    assert live.count() == 20
    assert all(article.body[c.start : c.end] == c.text for c in live)
    assert live.filter(text="A new lead sentence was added.").exists()


def test_a_vanished_claim_with_work_is_flagged_stale_and_kept(article, editor, worked):
    untouched = article.claims.get(text__startswith="Rutte made the statements")
    body = article.body.replace(worked.text + "\n", "").replace(untouched.text + "\n", "")
    _edit(article, editor, body)
    worked.refresh_from_db()
    assert worked.stale and worked.status == Claim.Status.ASSIGNED
    assert Event.objects.filter(claim=worked, action="claim.stale").count() == 1
    assert not Claim.objects.filter(pk=untouched.pk).exists()  # nothing was done on it
    assert Claim.objects.filter(article=article, stale=False).count() == 17


def test_running_it_twice_changes_nothing(article, editor, worked):
    _edit(article, editor, "Breaking: a new first line.\n" + article.body.replace(worked.text, "Rewritten."))
    before = _snapshot(article)
    events = Event.objects.count()
    services.article_request_extraction(article=article, actor=editor)
    services.article_extract(article_id=article.pk)
    assert _snapshot(article) == before
    assert Event.objects.filter(action="claim.stale").count() == 1
    assert Event.objects.count() == events + 2  # the request and the "no changes" extraction


def test_a_stale_claim_comes_back_when_its_text_does(article, editor, worked):
    original = article.body
    _edit(article, editor, original.replace(worked.text, "Rewritten."))
    _edit(article, editor, original)
    worked.refresh_from_db()
    assert not worked.stale and article.body[worked.start : worked.end] == worked.text
    assert Claim.objects.filter(article=article, stale=False).count() == 19


def test_untriaged_claims_get_the_new_model_output_but_worked_ones_keep_theirs(article, editor, worked, monkeypatch):
    monkeypatch.setattr("articles.extraction.checkworthiness.score", lambda units: [0.99] * len(units))
    services.article_request_extraction(article=article, actor=editor)
    services.article_extract(article_id=article.pk)
    refreshed = set(article.claims.exclude(pk=worked.pk).values_list("checkworthiness", flat=True))
    assert refreshed <= {0.99, 0.99 * pipeline.UNCHECKABLE_FACTOR, 0.99 * pipeline.SPEECH_EVENT_FACTOR}
    assert 0.99 in refreshed
    old = worked.checkworthiness
    worked.refresh_from_db()
    assert worked.checkworthiness == old


def _stored(pk, start, text, *, work=False, stale=False):
    return reconcile.StoredClaim(pk, start, start + len(text), text, work, stale, (0.5, True, "other", ""))


def _cand(start, text):
    return ClaimCandidate(start, start + len(text), text, 0.5, True, "other", "")


def test_plan_matches_repeated_sentences_to_the_nearest_copy():
    stored = [_stored(1, 0, "Same."), _stored(2, 100, "Same.", work=True)]
    plan = reconcile.plan(stored, [_cand(10, "Same."), _cand(110, "Same.")])
    assert sorted((pk, c.start) for pk, c in plan.move) == [(1, 10), (2, 110)]
    assert not plan.new and not plan.delete


def test_plan_of_identical_input_is_empty():
    stored = [_stored(1, 0, "One."), _stored(2, 5, "Two.", work=True)]
    plan = reconcile.plan(stored, [_cand(0, "One."), _cand(5, "Two.")])
    assert not plan.changed and plan.unchanged == [1, 2]


def test_a_claim_cut_by_hand_survives_re_extraction(article, editor):
    """An editor's own cut is work: re-extraction neither deletes it nor puts the pipeline's
    sentence back over it; when the text moves, the claim moves with it."""
    sentence = article.claims.get(text__startswith=RUTTE)
    cut_end = sentence.start + len(RUTTE)
    recut = review_services.claim_recut(claim=sentence, actor=editor, start=sentence.start, end=cut_end)
    assert recut.text == RUTTE and recut.status == Claim.Status.CANDIDATE
    services.article_request_extraction(article=article, actor=editor)
    services.article_extract(article_id=article.pk)
    recut.refresh_from_db()
    assert (recut.start, recut.end, recut.text, recut.stale) == (sentence.start, cut_end, RUTTE, False)
    live = list(Claim.objects.filter(article=article, stale=False).order_by("start"))
    assert all(a.end <= b.start for a, b in itertools.pairwise(live))  # nothing laid over it
    _edit(article, editor, "A new lead sentence was added. " + article.body)
    recut.refresh_from_db()
    assert article.body[recut.start : recut.end] == RUTTE and not recut.stale


def test_a_claim_with_work_whose_sentence_is_split_differently_stays_where_its_text_is():
    stored = [
        reconcile.StoredClaim(pk=1, start=0, end=9, text="Prices up", has_work=True, stale=False, model_values=())
    ]
    unit = ClaimCandidate(
        start=0,
        end=20,
        text="Prices up 4% in May.",
        checkworthiness=0.9,
        checkworthy=True,
        claim_type="quantity",
        speaker="",
    )
    result = reconcile.plan(stored, [unit], "Prices up 4% in May.")
    assert result.unchanged == [1] and not result.mark_stale and result.new == []
    gone = reconcile.plan(stored, [], "Something else entirely.")
    assert gone.mark_stale == [1]
