"""Run the claim pipeline on text files and print the claims as JSON lines.

    python manage.py extract_claims FILE...              one object per claim unit
    python manage.py extract_claims --sentences FILE...  one object per input line

Each object has exactly the keys file, start, end, text, checkworthiness, checkworthy,
claim_type and speaker. Offsets are code-point offsets into the file's text as read (UTF-8,
line endings untouched), so ``text[start:end]`` is the unit. This is the contract the shared
scorer (``../shared/tools/score_extraction.py``) and any other extractor follow.

The command never opens the database or the broker: it runs the pure-Python pipeline only.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from articles import extraction


def read_text(path: str) -> str:
    # newline="" keeps "\r\n" as two characters: offsets then index the file exactly as stored.
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"{path}: not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at byte offset {exc.start})"
        ) from None
    except OSError as exc:
        raise CommandError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _record(path: str, candidate: extraction.ClaimCandidate, *, shift: int = 0) -> dict:
    return {
        "file": path,
        "start": candidate.start + shift,
        "end": candidate.end + shift,
        "text": candidate.text,
        "checkworthiness": float(candidate.checkworthiness),
        "checkworthy": bool(candidate.checkworthy),
        "claim_type": candidate.claim_type,
        "speaker": candidate.speaker,
    }


def units_of_article(path: str, text: str) -> list[dict]:
    return [_record(path, c) for c in extraction.extract(text)]


def units_of_lines(path: str, text: str) -> list[dict]:
    """One record per line: lines are split on "\\n" and a trailing "\\r" is not part of the
    line. A final newline ends the last line rather than starting an empty one."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the text ended with "\n" (or was empty)
    offsets, units = [], []
    offset = 0
    for raw in lines:
        offsets.append(offset)
        units.append(raw[:-1] if raw.endswith("\r") else raw)
        offset += len(raw) + 1
    # One batch: the scorer works fastest on many units at once.
    candidates = extraction.extract_sentences(units)
    return [_record(path, c, shift=o) for c, o in zip(candidates, offsets, strict=True)]


class Command(BaseCommand):
    help = "Print the claim units of text files as JSON lines (the extractor contract)."
    # No system checks: the command must work without a reachable database or broker.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 text files")
        parser.add_argument(
            "--sentences",
            action="store_true",
            help="treat each input line as one unit and print exactly one object per line",
        )

    def handle(self, *args, files: list[str], sentences: bool, **options):
        self._utf8_stdout()
        # Read every file first, so a bad path fails before any output is printed.
        texts = [(path, read_text(path)) for path in files]
        split = units_of_lines if sentences else units_of_article
        for path, text in texts:
            lines = [json.dumps(record, ensure_ascii=False) for record in split(path, text)]
            if lines:
                self.stdout.write("\n".join(lines))

    def _utf8_stdout(self) -> None:
        # JSON lines are UTF-8 whatever the locale; a latin-1 terminal must not crash on "Türkiye".
        stream = getattr(self.stdout, "_out", None)
        if stream is sys.stdout and hasattr(stream, "reconfigure") and (stream.encoding or "").lower() != "utf-8":
            stream.reconfigure(encoding="utf-8")
