"""Score the pipeline on your own annotated articles (format: docs/extraction.md).

python manage.py evaluate_extraction GOLD.jsonl [GOLD.jsonl ...] [--text ARTICLE.txt] [--json]
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.evaluation import GoldError, evaluate

LABELS = {
    "gold_units": "gold units",
    "units_predicted": "predicted units",
    "boundary_precision": "boundaries, precision (predicted units cut exactly)",
    "boundary_recall": "boundaries, recall (gold units cut exactly)",
    "checkworthy_precision": "check-worthy, precision (gold 2 = yes, 0 = no; 1 not scored)",
    "checkworthy_recall": "check-worthy, recall",
    "checkworthy_f1": "check-worthy, F1",
    "speaker_accuracy": "speaker, exact name",
    "speaker_partial_accuracy": "speaker, shares a name word",
    "author_voice_accuracy": "outlet's own voice left without a speaker",
    "claim_type_accuracy": "claim type",
}


class Command(BaseCommand):
    help = "Score the claim extraction pipeline against annotated articles (JSON lines gold files)."

    def add_arguments(self, parser):
        parser.add_argument("gold", nargs="+", type=Path, help="gold JSON lines file(s)")
        parser.add_argument("--text", type=Path, help="the article text, when the gold lines have no 'article' field")
        parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
        parser.add_argument("--errors", action="store_true", help="list the gold units not cut exactly")

    def handle(self, *args, **options):
        try:
            figures, counts = evaluate(options["gold"], options["text"])
        except GoldError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        for key, value in figures.items():
            shown = f"{value}" if isinstance(value, int) else f"{value:.3f}"
            self.stdout.write(f"{LABELS[key]:<62} {shown}")
        if options["errors"]:
            for line in counts.errors:
                self.stdout.write(line)
