"""Load the seed articles: every ``seeds/*.txt`` becomes an article submitted by the system.

A ``seeds/<name>.json`` sidecar may give the metadata (title, source_url, outlet, byline,
published_on, language); without one the title is the text's first line. Extraction is
enqueued by the service after commit, so the worker splits the article into claims.

Running the command again creates nothing new. A seed is recognised by its body: the
article model has no slot for an external key (source_url must be a real http(s) address),
titles and metadata may be edited by the desk, but a seed's text is what makes it that seed.
The body is compared after the same normalisation the service applies, so a file saved with
Windows line endings still matches the article it produced.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles import services
from articles.models import Article
from articles.validation import clean_body

METADATA_FIELDS = {"title", "source_url", "outlet", "byline", "published_on", "language"}


def read_metadata(sidecar: Path) -> dict:
    if not sidecar.exists():
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{sidecar}: not a valid UTF-8 JSON file: {exc}") from None
    if not isinstance(meta, dict):
        raise CommandError(f"{sidecar}: must hold a JSON object")
    unknown = set(meta) - METADATA_FIELDS
    if unknown:
        raise CommandError(f"{sidecar}: unknown field(s) {', '.join(sorted(unknown))}")
    if meta.get("published_on"):
        try:
            meta["published_on"] = datetime.date.fromisoformat(meta["published_on"])
        except (TypeError, ValueError):
            raise CommandError(f"{sidecar}: published_on must be a YYYY-MM-DD date") from None
    return meta


class Command(BaseCommand):
    help = "Load seeds/*.txt as articles (once; a second run creates nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            dest="folder",
            default=str(settings.BASE_DIR / "seeds"),
            help="folder of seed .txt files (default: seeds/)",
        )

    def handle(self, *args, folder: str, **options):
        folder = Path(folder)
        if not folder.is_dir():
            raise CommandError(f"{folder}: no such folder")
        created = 0
        for path in sorted(folder.glob("*.txt")):
            try:
                body = clean_body(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                raise CommandError(f"{path}: not valid UTF-8") from None
            except ValidationError as exc:
                raise CommandError(f"{path}: {'; '.join(exc.messages)}") from None
            existing = Article.objects.filter(body=body).only("id").first()
            if existing is not None:
                self.stdout.write(f"{path.name}: already loaded as article #{existing.pk}")
                continue
            meta = read_metadata(path.with_suffix(".json"))
            try:
                article = services.article_create(submitted_by=None, body=body, **meta)
            except ValidationError as exc:
                raise CommandError(f"{path}: {'; '.join(exc.messages)}") from None
            created += 1
            self.stdout.write(f"{path.name}: loaded as article #{article.pk} ({article.title}); extraction queued")
        self.stdout.write(self.style.SUCCESS(f"{created} seed article(s) created."))
