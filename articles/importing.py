"""Bulk import of articles: many rows in, one row's error never stops the others.

Readers turn a file (JSON Lines, a JSON array, CSV with a header, or a folder of .txt files)
into numbered rows; ``articles_import`` validates each row with the same rules as the form and
the API, stores good rows in batches (one transaction, one ``bulk_create`` per batch) and
queues their extraction after each batch commits. An article whose ``source_url`` is already
stored (or earlier in the same import) is skipped, so an interrupted import can be run again.
"""

import csv
import datetime
import io
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from factcheck import roles
from reviews.models import Event
from reviews.workflow import NotAllowed

from .models import Article
from .validation import clean_article

logger = logging.getLogger(__name__)

FIELDS = ("title", "body", "source_url", "outlet", "byline", "published_on", "language")
# Ids per extraction message: large enough that 100,000 articles are 2,000 messages, small
# enough that several workers share a batch of 500 and one message stays well under its limit.
EXTRACTION_CHUNK = 50
# A JSON array is read whole; JSON Lines and CSV stream, so they have no size limit here.
MAX_JSON_ARRAY_BYTES = 200 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read (missing, unknown format, not UTF-8 JSON...)."""


@dataclass
class ImportReport:
    created: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (row, why)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (row, message)
    article_ids: list[int] = field(default_factory=list)


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ValidationError({"published_on": "Must be a date as YYYY-MM-DD."})


def article_fields(row: dict) -> dict:
    """One import row as Article field values, checked by the rules every entry point uses."""
    if not isinstance(row, dict):
        raise ValidationError("Each row must be an object with at least a body.")
    unknown = set(row) - set(FIELDS)
    if unknown:
        raise ValidationError(f"Unknown field(s): {', '.join(sorted(map(str, unknown)))}.")
    fields = {name: row.get(name) for name in FIELDS if name != "published_on"}
    return {**clean_article(**fields), "published_on": _date(row.get("published_on"))}


# --- Readers: each yields (row label, dict or ValidationError) ------------------------------


def _jsonl(handle) -> Iterator[tuple[str, object]]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            yield f"line {number}", json.loads(line)
        except json.JSONDecodeError as exc:
            yield f"line {number}", ValidationError(f"Not valid JSON: {exc.msg}.")


def _json(path: Path) -> Iterator[tuple[str, object]]:
    if path.stat().st_size > MAX_JSON_ARRAY_BYTES:
        raise ImportFileError(f"{path}: a JSON array over {MAX_JSON_ARRAY_BYTES // 2**20} MB; use JSON Lines.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFileError(f"{path}: not a valid UTF-8 JSON file: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if not isinstance(data, list):
        raise ImportFileError(f'{path}: must hold a JSON array of articles (or {{"articles": [...]}}).')
    for number, item in enumerate(data, start=1):
        yield f"item {number}", item


def _csv(handle) -> Iterator[tuple[str, object]]:
    reader = csv.DictReader(handle)
    if not reader.fieldnames or "body" not in reader.fieldnames:
        raise ImportFileError("The CSV file needs a header row with at least a body column.")
    for row in reader:
        label = f"line {reader.line_num}"
        if None in row:
            yield label, ValidationError("More values than header columns.")
        else:
            yield label, {name: value for name, value in row.items() if value != ""}


def _folder(path: Path) -> Iterator[tuple[str, object]]:
    for file in sorted(path.glob("*.txt")):
        try:
            yield file.name, {"body": file.read_text(encoding="utf-8")}
        except UnicodeDecodeError:
            yield file.name, ValidationError("Not valid UTF-8 text.")


def read_rows(path: Path) -> Iterator[tuple[str, object]]:
    """Rows of an import file, chosen by its suffix; a folder is read as one article per .txt."""
    if path.is_dir():
        yield from _folder(path)
        return
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file or folder")
    suffix = path.suffix.lower()
    if suffix == ".json":
        yield from _json(path)
        return
    if suffix not in {".jsonl", ".ndjson", ".csv"}:
        raise ImportFileError(f"{path}: unknown format; use .jsonl, .json, .csv or a folder of .txt files")
    with path.open("rb") as raw:
        # errors="strict": a bad byte ends the import with its position rather than storing mojibake.
        handle = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="" if suffix == ".csv" else None)
        try:
            yield from (_csv(handle) if suffix == ".csv" else _jsonl(handle))
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{path}: not valid UTF-8 (byte {exc.start} of a read block)") from None


# --- The service ----------------------------------------------------------------------------


def _enqueue(ids: list[int]) -> None:
    from .tasks import extract_articles

    for start in range(0, len(ids), EXTRACTION_CHUNK):
        chunk = ids[start : start + EXTRACTION_CHUNK]
        try:
            extract_articles.delay(chunk)
        except Exception:  # noqa: BLE001 (broker down: the articles stay pending and the sweep finds them)
            logger.warning("Could not enqueue extraction of %d imported articles; the sweep will retry", len(chunk))


def _store(batch: list[tuple[str, dict]], *, submitted_by, extract: bool, report: ImportReport) -> None:
    urls = {fields["source_url"] for _, fields in batch if fields["source_url"]}
    known = set(Article.objects.filter(source_url__in=urls).values_list("source_url", flat=True)) if urls else set()
    now = timezone.now()
    articles = []
    for label, fields in batch:
        if fields["source_url"] and fields["source_url"] in known:
            report.skipped.append((label, f"already imported: {fields['source_url']}"))
            continue
        if fields["source_url"]:
            known.add(fields["source_url"])
        articles.append(Article(**fields, submitted_by=submitted_by, extraction_requested_at=now if extract else None))
    if not articles:
        return
    with transaction.atomic():
        created = Article.objects.bulk_create(articles)
        # The same audit row article_create writes, one per article.
        Event.objects.bulk_create(
            Event(article=a, actor=submitted_by, action="article.submitted", to_state=a.extraction_status)
            for a in created
        )
        ids = [a.pk for a in created]
        if extract:
            transaction.on_commit(lambda: _enqueue(ids), robust=True)
    report.created += len(ids)
    report.article_ids.extend(ids)


def articles_import(
    rows: Iterable[tuple[str, object]], *, submitted_by=None, extract: bool = True, batch_size: int = 500
) -> ImportReport:
    """Validate and store ``rows`` ((label, dict) pairs, as ``read_rows`` gives them).

    ``submitted_by=None`` is the system (the command without --user). Bad rows are reported
    with their label and never written; each batch of good rows commits on its own, so a
    failure part-way leaves whole batches, and a re-run skips what is stored (by source_url)."""
    if submitted_by is not None and not roles.is_editor(submitted_by):
        raise NotAllowed("Only editors can import articles.")
    report = ImportReport()
    batch: list[tuple[str, dict]] = []
    for label, row in rows:
        try:
            if isinstance(row, ValidationError):
                raise row
            batch.append((label, article_fields(row)))
        except ValidationError as exc:
            report.errors.append((label, _message(exc)))
            continue
        if len(batch) >= batch_size:
            _store(batch, submitted_by=submitted_by, extract=extract, report=report)
            batch = []
    if batch:
        _store(batch, submitted_by=submitted_by, extract=extract, report=report)
    return report
