"""Bulk import in the web UI: /articles/import/ takes a .jsonl/.json/.csv upload or pasted JSON
Lines and shows the report; editors only; bad files and bad input are a 400 that stores
nothing; hostile text stays text; the page keeps its query count."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.forms import IMPORT_MAX_ROWS
from articles.models import Article
from reviews.models import Event

pytestmark = pytest.mark.django_db

URL = reverse("article-import")
GOOD = "The unemployment rate fell to 3.5% in May, the statistics office said."
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"
# Session, user, groups.
IMPORT_PAGE_QUERIES = 3


def _jsonl(rows) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n"


def _upload(name: str, content: str | bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def _post(client, **data):
    data.setdefault("extract", "on")
    return client.post(URL, data)


# --- The page ---------------------------------------------------------------------------------


def test_editors_get_the_form_with_its_limits_and_links_from_the_articles_pages(client, editor):
    client.force_login(editor)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.text
    assert "<title>Import articles" in html
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html and 'name="text"' in html
    assert "20.0\xa0MB" in html and f"{IMPORT_MAX_ROWS}" in html
    assert 'name="extract"' in html and "checked" in html
    for page in ("article-list", "article-create"):
        assert URL in client.get(reverse(page)).text, page


def test_who_may_import(client, editor, reviewer, other_reviewer, outsider):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert _post(client, text=_jsonl([{"body": GOOD}])).status_code == 302
    for person in (reviewer, other_reviewer, outsider):
        client.force_login(person)
        assert client.get(URL).status_code == 403, person
        assert _post(client, text=_jsonl([{"body": GOOD}])).status_code == 403, person
        assert URL not in client.get(reverse("article-list")).text
    assert not Article.objects.exists()


def test_the_import_page_keeps_its_query_count(client, editor, django_assert_num_queries):
    client.force_login(editor)
    with django_assert_num_queries(IMPORT_PAGE_QUERIES):
        assert client.get(URL).status_code == 200


# --- Importing --------------------------------------------------------------------------------


def test_a_jsonl_upload_is_imported_and_reported(client, editor, django_capture_on_commit_callbacks):
    rows = [
        {"title": "First", "body": GOOD, "source_url": "https://example.org/1"},
        "{broken",
        {"body": GOOD, "colour": "red"},
        {"title": "Second", "body": GOOD + " Again."},
    ]
    client.force_login(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = _post(client, file=_upload("batch.jsonl", _jsonl(rows)))
    assert response.status_code == 200
    first, second = Article.objects.order_by("pk")
    assert (first.title, second.title) == ("First", "Second")
    assert first.submitted_by == editor and first.extraction_requested_at is not None
    assert len(callbacks) == 1
    html = response.text
    assert "<strong>2</strong> articles created" in html
    assert reverse("article-detail", args=[first.pk]) in html and reverse("article-detail", args=[second.pk]) in html
    assert "<strong>line 2</strong>: Not valid JSON" in html
    assert "<strong>line 3</strong>: Unknown field(s): colour." in html


def test_json_and_csv_uploads_and_pasted_json_lines(client, editor):
    client.force_login(editor)
    data = json.dumps({"articles": [{"body": GOOD + " JSON."}]})
    assert _post(client, file=_upload("a.JSON", data)).status_code == 200
    csv = "title,body,outlet\nFrom CSV,Exports rose 7% in 2024.,Wire\n"
    assert _post(client, file=_upload("b.csv", csv)).status_code == 200
    # Browsers send pasted text with CRLF line ends.
    pasted = _jsonl([{"body": GOOD + " Pasted."}, {"body": GOOD + " Twice."}]).replace("\n", "\r\n")
    assert _post(client, text=pasted).status_code == 200
    bodies = set(Article.objects.values_list("body", flat=True))
    assert bodies == {GOOD + " JSON.", "Exports rose 7% in 2024.", GOOD + " Pasted.", GOOD + " Twice."}
    assert Article.objects.get(title="From CSV").outlet == "Wire"


def test_a_second_import_of_the_same_file_skips_every_row(client, editor):
    content = _jsonl([{"body": GOOD, "source_url": "https://example.org/1"}])
    client.force_login(editor)
    _post(client, file=_upload("a.jsonl", content))
    response = _post(client, file=_upload("a.jsonl", content))
    assert response.status_code == 200
    assert "<strong>0</strong> articles created, <strong>1</strong> skipped" in response.text
    assert "already imported: https://example.org/1" in response.text
    assert Article.objects.count() == 1


def test_without_extract_nothing_is_queued(client, editor, django_capture_on_commit_callbacks):
    client.force_login(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(URL, {"text": _jsonl([{"body": GOOD}])})
    assert response.status_code == 200
    assert Article.objects.get().extraction_requested_at is None and callbacks == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a file or paste JSON Lines"),
        ({"text": "   \n"}, "Choose a file or paste JSON Lines"),
        ({"file": ("a.jsonl", "{}"), "text": '{"body": "x"}'}, "one of the two"),
        ({"file": ("articles.txt", GOOD)}, "Upload a .jsonl, .ndjson, .json or .csv file"),
        ({"file": ("a.json", "{not json")}, "a.json: not a valid UTF-8 JSON file"),
        ({"file": ("a.json", '{"rows": []}')}, "must hold a JSON array"),
        ({"file": ("a.csv", "title\nNo body\n")}, "header row with at least a body column"),
        ({"file": ("a.jsonl", b'{"body": "ok"}\n\xff\xfe\n')}, "a.jsonl: not valid UTF-8"),
    ],
)
def test_bad_files_are_a_400_and_store_nothing(client, editor, data, message):
    if "file" in data:
        data["file"] = _upload(*data["file"])
    client.force_login(editor)
    response = _post(client, **data)
    assert response.status_code == 400
    assert message in response.text
    assert "Nothing was imported" in response.text
    assert "/tmp" not in response.text  # the temporary copy's path is not shown
    assert not Article.objects.exists() and not Event.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, editor, settings):
    settings.ARTICLE_IMPORT_MAX_BYTES = 1000
    client.force_login(editor)
    response = _post(client, file=_upload("big.jsonl", _jsonl([{"body": GOOD * 20}])))
    assert response.status_code == 400
    assert "the limit is 1000\xa0bytes" in response.text
    response = _post(client, text=_jsonl([{"body": GOOD * 20}]))
    assert response.status_code == 400 and "The pasted text is over" in response.text
    assert not Article.objects.exists()


def test_a_file_with_too_many_rows_is_refused_whole(client, editor, monkeypatch):
    monkeypatch.setattr("articles.forms.IMPORT_MAX_ROWS", 3)
    client.force_login(editor)
    response = _post(client, file=_upload("many.jsonl", _jsonl([{"body": f"{GOOD} {i}"} for i in range(4)])))
    assert response.status_code == 400
    assert "many.jsonl: more than 3 articles" in response.text
    assert not Article.objects.exists()


def test_hostile_text_in_titles_and_errors_stays_text(client, editor):
    client.force_login(editor)
    rows = [{"title": HOSTILE, "body": GOOD}, {"body": GOOD, HOSTILE: "x"}]
    response = _post(client, file=_upload("x.jsonl", _jsonl(rows)))
    assert response.status_code == 200
    assert HOSTILE not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert Article.objects.get().title == HOSTILE


def test_a_hostile_file_name_stays_text(client, editor):
    client.force_login(editor)
    response = _post(client, file=_upload("<img src=x onerror=alert(1)>.json", "[1"))
    assert response.status_code == 400
    assert "<img src=x" not in response.text and "&lt;img src=x onerror=alert(1)&gt;.json" in response.text


def test_the_report_lists_at_most_200_rows_of_each_kind(client, editor):
    rows = [{"body": f"{GOOD} {i}"} for i in range(205)] + [{"body": ""}] * 203
    client.force_login(editor)
    response = _post(client, file=_upload("many.jsonl", _jsonl(rows)))
    assert response.status_code == 200
    html = response.text
    assert "<strong>205</strong> articles created" in html and "<strong>203</strong> with errors" in html
    created = html.split('class="import-created"', 1)[1].split("</ul>", 1)[0]
    assert created.count("<li>") == 200 and "… and 5 more on the" in html
    assert "… and 3 more." in html
    assert Article.objects.count() == 205
