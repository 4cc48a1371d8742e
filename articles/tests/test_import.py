"""Bulk import: the command, the readers and the service."""

import json

import pytest
from django.core.management import CommandError, call_command

from articles import importing
from articles.importing import ImportFileError, articles_import, read_rows
from articles.models import Article, Claim
from articles.tasks import extract_articles
from reviews.models import Event
from reviews.workflow import NotAllowed

pytestmark = pytest.mark.django_db

GOOD = "The unemployment rate fell to 3.5% in May, the statistics office said."


def _jsonl(tmp_path, rows, name="articles.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def sent(monkeypatch):
    """Chunks of ids the import queued (the broker is the network edge of this unit test)."""
    chunks = []
    monkeypatch.setattr("articles.tasks.extract_articles.delay", lambda ids: chunks.append(list(ids)))
    return chunks


def test_jsonl_good_rows_are_stored_bad_rows_reported(tmp_path, capsys, sent, django_capture_on_commit_callbacks):
    path = _jsonl(
        tmp_path,
        [
            {"title": "One", "body": GOOD, "source_url": "https://example.org/1", "published_on": "2026-05-02"},
            "{not json",
            {"title": "No body"},
            {"body": "text\x00with a NUL"},
            {"body": GOOD, "source_url": "javascript:alert(1)"},
            {"body": GOOD, "published_on": "yesterday"},
            {"body": GOOD, "colour": "red"},
            [1, 2],
            {"title": "<script>alert(1)</script>", "body": "x'; DROP TABLE articles_article; -- said Bob."},
        ],
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError) as raised:
        call_command("import_articles", str(path))
    assert "2 article(s) imported, 0 skipped, 7 with errors" in str(raised.value)
    assert raised.value.returncode == 2
    err = capsys.readouterr().err
    assert "line 2: Not valid JSON" in err
    assert "line 3: body: This field may not be empty." in err
    assert "line 4: body: Contains binary or control characters" in err
    assert "line 5: source_url: Enter a valid http or https URL." in err
    assert "line 6: published_on: Must be a date" in err
    assert "line 7: Unknown field(s): colour." in err
    assert "line 8: Each row must be an object" in err
    one, hostile = Article.objects.order_by("pk")
    assert (one.title, str(one.published_on), one.submitted_by) == ("One", "2026-05-02", None)
    assert hostile.title == "<script>alert(1)</script>"  # stored as text; templates escape it
    assert hostile.extraction_status == Article.ExtractionStatus.PENDING
    assert sent == [[one.pk, hostile.pk]]
    assert Event.objects.filter(action="article.submitted").count() == 2


def test_rerun_skips_articles_already_imported_by_source_url(tmp_path, capsys, sent):
    rows = [{"body": GOOD, "source_url": f"https://example.org/{n}"} for n in range(3)]
    rows.append({"body": GOOD, "source_url": "https://example.org/0"})  # twice in the same file
    path = _jsonl(tmp_path, rows)
    call_command("import_articles", str(path))
    assert Article.objects.count() == 3
    call_command("import_articles", str(path))
    assert Article.objects.count() == 3
    out = capsys.readouterr().out
    assert "0 article(s) imported, 4 skipped, 0 with errors" in out
    assert "line 1: skipped, already imported: https://example.org/0" in out


def test_batches_commit_on_their_own_and_chunks_are_queued(editor, sent, django_capture_on_commit_callbacks):
    rows = [(f"item {n}", {"body": f"{GOOD} Row {n}."}) for n in range(120)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = articles_import(rows, submitted_by=editor, batch_size=40)
    assert report.created == 120 and not report.errors
    assert len(callbacks) == 3  # one per batch transaction
    assert [len(chunk) for chunk in sent] == [40, 40, 40]  # a batch is one chunk (under EXTRACTION_CHUNK)
    assert sorted(i for chunk in sent for i in chunk) == sorted(report.article_ids)
    assert set(Article.objects.values_list("submitted_by", flat=True)) == {editor.pk}


def test_no_extract_stores_articles_without_queueing(tmp_path, sent, django_capture_on_commit_callbacks):
    path = _jsonl(tmp_path, [{"body": GOOD}])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(path), "--no-extract")
    article = Article.objects.get()
    assert article.extraction_requested_at is None and sent == []


def test_broker_outage_leaves_articles_pending_for_the_sweep(editor, monkeypatch, django_capture_on_commit_callbacks):
    def down(ids):
        raise ConnectionError("broker down")

    monkeypatch.setattr("articles.tasks.extract_articles.delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        report = articles_import([("item 1", {"body": GOOD})], submitted_by=editor)
    assert report.created == 1
    assert Article.objects.get().extraction_status == Article.ExtractionStatus.PENDING


def test_the_chunk_task_extracts_each_article_once(editor):
    report = articles_import([("a", {"body": GOOD}), ("b", {"body": GOOD + " Prices rose 4%."})], submitted_by=editor)
    assert extract_articles(report.article_ids) == 2
    assert Claim.objects.count() >= 2
    before = Claim.objects.count()
    assert extract_articles(report.article_ids) == 0  # done: claimed by nobody, nothing changes
    assert Claim.objects.count() == before
    assert set(Article.objects.values_list("extraction_status", flat=True)) == {Article.ExtractionStatus.DONE}


def test_csv_json_array_and_folder_readers(tmp_path, sent):
    csv_path = tmp_path / "a.csv"
    csv_path.write_text('title,body,outlet\nFirst,"One, two.",Desk\n,"Untitled body",\nx,y,z,extra\n', "utf-8")
    rows = list(read_rows(csv_path))
    assert rows[0] == ("line 2", {"title": "First", "body": "One, two.", "outlet": "Desk"})
    assert rows[1] == ("line 3", {"body": "Untitled body"})
    assert "More values" in str(rows[2][1])
    json_path = tmp_path / "a.json"
    json_path.write_text(json.dumps({"articles": [{"body": "A."}, {"body": "B."}]}), "utf-8")
    assert [label for label, _ in read_rows(json_path)] == ["item 1", "item 2"]
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "b.txt").write_text("Second.", "utf-8")
    (folder / "a.txt").write_text("First.", "utf-8")
    (folder / "bad.txt").write_bytes(b"\xff\xfe\x00")
    rows = list(read_rows(folder))
    assert [label for label, _ in rows] == ["a.txt", "b.txt", "bad.txt"]
    assert isinstance(rows[2][1], Exception)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.xml", b"<a/>", "unknown format"),
        ("a.json", b"{broken", "not a valid UTF-8 JSON file"),
        ("a.json", b'{"x": 1}', "must hold a JSON array"),
        ("a.csv", b"title\nx\n", "header row with at least a body column"),
        ("a.jsonl", b'{"body": "ok"}\n\xff\xfe broken\n', "not valid UTF-8"),
    ],
)
def test_unreadable_files_are_refused(tmp_path, sent, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_articles", str(path))


def test_missing_path_and_unknown_user_are_refused(tmp_path, editor):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_articles", str(tmp_path / "nope.jsonl"))
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("import_articles", str(_jsonl(tmp_path, [{"body": GOOD}])), "--user", "ghost")
    assert Article.objects.count() == 0


def test_only_editors_or_the_system_import(reviewer, outsider, editor, tmp_path, sent):
    for user in (reviewer, outsider):
        with pytest.raises(NotAllowed):
            articles_import([("a", {"body": GOOD})], submitted_by=user)
    with pytest.raises(CommandError, match="Only editors"):
        call_command("import_articles", str(_jsonl(tmp_path, [{"body": GOOD}])), "--user", reviewer.username)
    assert Article.objects.count() == 0
    call_command("import_articles", str(_jsonl(tmp_path, [{"body": GOOD}])), "--user", editor.username)
    assert Article.objects.get().submitted_by == editor


def test_json_arrays_over_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "MAX_JSON_ARRAY_BYTES", 10)
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"body": GOOD}]), "utf-8")
    with pytest.raises(ImportFileError, match="use JSON Lines"):
        list(read_rows(path))
