"""Article services: validation, enqueue after commit, idempotent extraction, the sweep."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import services
from articles.models import Article, Claim
from reviews.models import Event
from reviews.workflow import NotAllowed

pytestmark = pytest.mark.django_db


def test_create_enqueues_extraction_after_commit(editor, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr("articles.tasks.extract_article.delay", lambda pk: sent.append(pk))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article = services.article_create(submitted_by=editor, body="Prices rose 5% last year.")
        assert sent == []  # nothing is sent before the transaction commits
    assert len(callbacks) == 1
    assert sent == [article.pk]
    assert article.title == "Prices rose 5% last year."
    assert Event.objects.filter(article=article, action="article.submitted").count() == 1


def test_broker_outage_keeps_the_article_pending(editor, django_capture_on_commit_callbacks, monkeypatch):
    def down(pk):
        raise ConnectionError("broker down")

    monkeypatch.setattr("articles.tasks.extract_article.delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_create(submitted_by=editor, body="Text.")
    article.refresh_from_db()
    assert article.extraction_status == Article.ExtractionStatus.PENDING


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"body": ""}, "body"),
        ({"body": "  \n\t "}, "body"),
        ({"body": "nul\x00byte"}, "body"),
        ({"body": b"\xff\xfe\x00binary"}, "body"),
        ({"body": 12345}, "body"),
        ({"body": "ok", "source_url": "javascript:alert(1)"}, "source_url"),
        ({"body": "ok", "source_url": "not a url"}, "source_url"),
        ({"body": "ok", "title": "x" * 301}, "title"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(editor, fields, field):
    with pytest.raises(ValidationError) as exc:
        services.article_create(submitted_by=editor, **fields)
    assert field in exc.value.message_dict
    assert Article.objects.count() == 0
    assert Event.objects.count() == 0


def test_body_over_the_limit_is_refused(editor, settings):
    settings.ARTICLE_MAX_CHARS = 100
    with pytest.raises(ValidationError, match="limit is 100"):
        services.article_create(submitted_by=editor, body="a" * 101)
    assert Article.objects.count() == 0


@pytest.mark.parametrize("persona", ["reviewer", "outsider"])
def test_only_editors_submit_articles(request, persona):
    with pytest.raises(NotAllowed):
        services.article_create(submitted_by=request.getfixturevalue(persona), body="Text.")
    assert Article.objects.count() == 0


def test_extraction_stores_exact_spans_and_runs_once(article):
    assert article.extraction_status == Article.ExtractionStatus.DONE
    claims = list(article.claims.all())
    assert len(claims) == 19
    assert all(article.body[c.start : c.end] == c.text for c in claims)
    # A re-delivered message for a finished article changes nothing.
    assert services.article_extract(article_id=article.pk) is None
    assert article.claims.count() == 19


def test_re_extraction_adds_nothing_twice_and_keeps_claims(article, editor):
    claim = article.claims.first()
    claim.status = Claim.Status.ACCEPTED
    claim.save()
    services.article_request_extraction(article=article, actor=editor)
    assert services.article_extract(article_id=article.pk) == 0
    assert article.claims.count() == 19
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ACCEPTED


def test_extraction_of_a_missing_article_is_quiet(db):
    assert services.article_extract(article_id=999_999) is None


def test_pipeline_failure_marks_the_article_failed(editor, monkeypatch):
    article = services.article_create(submitted_by=editor, body="Some text.")

    def boom(text):
        raise RuntimeError("model missing")

    monkeypatch.setattr("articles.extraction.extract", boom)
    assert services.article_extract(article_id=article.pk) is None
    article.refresh_from_db()
    assert article.extraction_status == Article.ExtractionStatus.FAILED
    assert "model missing" in article.extraction_error
    assert Event.objects.filter(article=article, action="article.extraction_failed").exists()


def test_sweep_finds_lost_and_stale_work(editor, settings):
    settings.EXTRACTION_STALE_SECONDS = 60
    old = timezone.now() - datetime.timedelta(minutes=5)
    lost = services.article_create(submitted_by=editor, body="Lost in the broker.")
    stuck = services.article_create(submitted_by=editor, body="Worker died.")
    fresh = services.article_create(submitted_by=editor, body="Just queued.")
    Article.objects.filter(pk=lost.pk).update(extraction_requested_at=old)
    Article.objects.filter(pk=stuck.pk).update(extraction_requested_at=old, extraction_status="running")
    assert sorted(services.articles_needing_extraction()) == sorted([lost.pk, stuck.pk])
    # A stale run can be claimed again; a fresh running one cannot.
    assert services.article_extract(article_id=stuck.pk) == 1
    Article.objects.filter(pk=fresh.pk).update(extraction_status="running")
    assert services.article_extract(article_id=fresh.pk) is None


def test_extraction_records_the_language_of_the_text(editor):
    article = services.article_create(
        submitted_by=editor, body="Le gouvernement a annoncé une hausse de 5 % des dépenses de défense cette année."
    )
    services.article_extract(article_id=article.pk)
    article.refresh_from_db()
    assert article.detected_language == "fr"
    assert article.claims.count() == 1
