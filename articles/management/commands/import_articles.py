"""Bulk import: ``manage.py import_articles PATH`` with PATH a .jsonl, .json, .csv file or a
folder of .txt files. Fields: body (required), title, source_url, outlet, byline,
published_on (YYYY-MM-DD), language. Bad rows are listed and skipped; the rest are stored."""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.importing import ImportFileError, articles_import, read_rows
from reviews.workflow import NotAllowed

MAX_LISTED = 50


class Command(BaseCommand):
    help = "Import articles from a JSON Lines, JSON or CSV file, or a folder of .txt files."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .jsonl/.ndjson, .json or .csv file, or a folder of .txt files")
        parser.add_argument("--user", help="username of the editor the articles are submitted by (default: system)")
        parser.add_argument("--no-extract", action="store_true", help="store the articles without queueing extraction")
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")

    def handle(self, *args, path: str, user: str | None, no_extract: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        submitted_by = None
        if user:
            submitted_by = get_user_model().objects.filter(username=user).first()
            if submitted_by is None:
                raise CommandError(f"No user named {user!r}.")
        started = time.perf_counter()
        try:
            report = articles_import(
                read_rows(Path(path)), submitted_by=submitted_by, extract=not no_extract, batch_size=batch_size
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        except NotAllowed as exc:
            raise CommandError(exc.message) from None
        seconds = time.perf_counter() - started
        for label, message in report.errors[:MAX_LISTED]:
            self.stderr.write(f"{label}: {message}")
        for label, why in report.skipped[:MAX_LISTED]:
            self.stdout.write(f"{label}: skipped, {why}")
        more = len(report.errors) + len(report.skipped) - 2 * MAX_LISTED
        if more > 0:
            self.stdout.write(f"... and more: {len(report.errors)} errors and {len(report.skipped)} skipped in all.")
        queued = "" if no_extract else "; extraction queued"
        summary = (
            f"{report.created} article(s) imported, {len(report.skipped)} skipped, "
            f"{len(report.errors)} with errors, in {seconds:.1f}s{queued}."
        )
        if report.errors:
            # A non-zero exit tells a script that some rows need fixing; the good ones are stored.
            raise CommandError(summary, returncode=2)
        self.stdout.write(self.style.SUCCESS(summary))
