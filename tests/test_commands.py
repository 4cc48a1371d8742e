"""The operations commands: extract_claims (the extractor contract), load_seeds, seed_demo."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.models import Article
from factcheck.management.commands.seed_demo import DEMO_PASSWORD
from factcheck.roles import EDITORS, REVIEWERS, is_admin, is_editor, is_reviewer

BASE_DIR = Path(__file__).resolve().parent.parent
SEED = BASE_DIR / "seeds" / "000_dcf8f189fc6cc466.txt"
KEYS = ["file", "start", "end", "text", "checkworthiness", "checkworthy", "claim_type", "speaker"]


def extract_claims(*args) -> list[dict]:
    out = io.StringIO()
    call_command("extract_claims", *map(str, args), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


# --- extract_claims -------------------------------------------------------------------------
# These tests have no django_db mark: pytest-django would fail any database query.


def test_extract_claims_prints_one_object_per_unit_with_exact_offsets():
    text = SEED.read_text(encoding="utf-8")
    records = extract_claims(SEED)
    assert len(records) > 5
    for record in records:
        assert list(record) == KEYS
        assert record["file"] == str(SEED)
        assert text[record["start"] : record["end"]] == record["text"]
        assert 0.0 <= record["checkworthiness"] <= 1.0
        assert isinstance(record["checkworthy"], bool)
    starts = [r["start"] for r in records]
    assert starts == sorted(starts)
    assert any("Türkiye" in r["text"] for r in records)  # not \u-escaped, and code points, not bytes


def test_extract_claims_keeps_crlf_offsets_exact(tmp_path):
    path = tmp_path / "crlf.txt"
    text = "Headline here\r\nThe budget rose by 5% in 2023, Smith said.\r\nPrices will fall next year.\r\n"
    path.write_bytes(text.encode("utf-8"))
    records = extract_claims(path)
    assert [r["text"] for r in records] == [
        "Headline here",
        "The budget rose by 5% in 2023, Smith said.",
        "Prices will fall next year.",
    ]
    for record in records:
        assert text[record["start"] : record["end"]] == record["text"]


def test_extract_claims_sentences_mode_gives_one_object_per_line(tmp_path):
    path = tmp_path / "lines.txt"
    lines = ["The budget rose by 5% in 2023.", "", "Hello.\r", "Türkiye has a large industry."]
    text = "\n".join(lines) + "\n"
    path.write_bytes(text.encode("utf-8"))
    records = extract_claims("--sentences", path)
    assert len(records) == 4
    assert [r["text"] for r in records] == [line.rstrip("\r") for line in lines]
    for record in records:
        assert list(record) == KEYS
        assert text[record["start"] : record["end"]] == record["text"]
    empty = records[1]
    assert (empty["start"], empty["end"]) == (31, 31)
    assert empty["checkworthiness"] == 0 and empty["checkworthy"] is False
    assert empty["claim_type"] == "not_a_claim" and empty["speaker"] == ""
    assert records[0]["claim_type"] == "quantity"


def test_extract_claims_sentences_mode_counts_a_last_line_without_newline(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("one\n\ntwo", encoding="utf-8")
    assert [r["text"] for r in extract_claims("--sentences", path)] == ["one", "", "two"]


def test_extract_claims_reads_several_files_in_order(tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Unemployment fell to 4% last year.", encoding="utf-8")
    records = extract_claims(SEED, other)
    assert records[-1]["file"] == str(other)
    assert {r["file"] for r in records} == {str(SEED), str(other)}


def test_extract_claims_names_a_missing_file(tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(CommandError, match=r"nope\.txt: cannot read"):
        extract_claims(missing)


def test_extract_claims_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 prices rose 5%.".encode("latin-1"))
    with pytest.raises(CommandError, match=r"latin1\.txt: not valid UTF-8 \(byte 0xe9 at byte offset 3\)"):
        extract_claims(path)


def test_extract_claims_prints_nothing_when_one_file_is_bad(tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("extract_claims", str(SEED), str(tmp_path / "nope.txt"), stdout=out)
    assert out.getvalue() == ""


def test_extract_claims_needs_neither_database_nor_broker(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/unreachable",
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
        "FACTCHECK_VAR_DIR": str(tmp_path),
    }
    proc = subprocess.run(
        [sys.executable, "manage.py", "extract_claims", str(SEED)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == len(extract_claims(SEED))

    proc = subprocess.run(
        [sys.executable, "manage.py", "extract_claims", str(tmp_path / "nope.txt")],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert "nope.txt: cannot read" in proc.stderr


# --- load_seeds -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_seeds_creates_the_seed_article_once():
    call_command("load_seeds", stdout=io.StringIO())
    call_command("load_seeds", stdout=io.StringIO())

    article = Article.objects.get()
    assert article.body == SEED.read_text(encoding="utf-8")
    assert article.title == "NATO summit: Rutte wants Türkiye's defence industry tied closely to UK, Norway and EU"
    assert article.outlet == "Seed wire"
    assert article.language == "en"
    assert article.submitted_by is None
    # Extraction is the worker's job: the article waits for it.
    assert article.extraction_status == Article.ExtractionStatus.PENDING
    assert article.extraction_requested_at is not None


@pytest.mark.django_db
def test_load_seeds_recognises_a_seed_saved_with_windows_line_endings(tmp_path):
    call_command("load_seeds", stdout=io.StringIO())
    copy = tmp_path / "000_dcf8f189fc6cc466.txt"
    copy.write_bytes(SEED.read_bytes().replace(b"\n", b"\r\n"))
    out = io.StringIO()
    call_command("load_seeds", "--dir", str(tmp_path), stdout=out)
    assert Article.objects.count() == 1
    assert "already loaded" in out.getvalue()


@pytest.mark.django_db
def test_load_seeds_titles_a_seed_without_sidecar_by_its_first_line(tmp_path):
    (tmp_path / "plain.txt").write_text("Ministers meet today\nThe budget rose by 5%.\n", encoding="utf-8")
    call_command("load_seeds", "--dir", str(tmp_path), stdout=io.StringIO())
    assert Article.objects.get().title == "Ministers meet today"


@pytest.mark.django_db
def test_load_seeds_refuses_a_sidecar_with_unknown_fields(tmp_path):
    (tmp_path / "a.txt").write_text("Some text.", encoding="utf-8")
    (tmp_path / "a.json").write_text('{"headline": "x"}', encoding="utf-8")
    with pytest.raises(CommandError, match="unknown field"):
        call_command("load_seeds", "--dir", str(tmp_path), stdout=io.StringIO())
    assert not Article.objects.exists()


# --- seed_demo ------------------------------------------------------------------------------


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_seed_demo_creates_the_demo_logins_once(settings, fast_hasher):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=io.StringIO())

    users = {u.username: u for u in get_user_model().objects.all()}
    assert set(users) == {"editor", "editor2", "reviewer", "reviewer2", "admin"}
    assert is_editor(users["editor"]) and is_editor(users["editor2"])
    assert not is_reviewer(users["editor"])
    assert is_reviewer(users["reviewer"]) and is_reviewer(users["reviewer2"])
    assert not is_editor(users["reviewer"])
    assert is_admin(users["admin"]) and users["admin"].is_staff
    assert not users["editor"].is_staff
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())
    assert all(u.email and u.first_name for u in users.values())
    assert users["editor"].groups.get().name == EDITORS
    assert users["reviewer2"].groups.get().name == REVIEWERS
    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    assert f"{settings.SITE_URL}/" in printed and f"{settings.SITE_URL}/admin/" in printed


@pytest.mark.django_db
def test_seed_demo_keeps_a_changed_password_unless_asked(settings, fast_hasher):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("my-own-secret-1")
    editor.save()

    call_command("seed_demo", stdout=io.StringIO())
    editor.refresh_from_db()
    assert editor.check_password("my-own-secret-1")

    call_command("seed_demo", "--reset-passwords", stdout=io.StringIO())
    editor.refresh_from_db()
    assert editor.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_seed_demo_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="demo accounts are only created when DEBUG is on"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()
