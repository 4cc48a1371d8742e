"""Import other fact-checkers' ClaimReview JSON-LD into the library of known fact-checks.

    python manage.py import_claimreview FILE_OR_URL [--user USERNAME] [--timeout SECONDS]

FILE_OR_URL is a local file or an http(s) address (a feed, a JSON export, a page's JSON-LD);
the shapes accepted are in reviews/known.py. At most 5 MB is read. Known fact-checks are
recognised by their URL and updated. Each item that cannot be imported is listed with its
index, path and reason; the good ones are imported anyway. The exit status is 1 only when
the document as a whole is unusable (not JSON, too big, unreachable, no usable item).
"""

import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reviews import known
from reviews.models import KnownFactCheck
from reviews.services import known_factchecks_import
from reviews.workflow import WorkflowError

_CHUNK = 64 * 1024


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    # urllib would follow a redirect to ftp://; a feed address may only lead to another one.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.URLError(f"redirected to a non-http address: {newurl[:200]}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, timeout: float, max_bytes: int = known.MAX_BYTES) -> bytes:
    """The body at ``url``: http or https only, at most ``max_bytes``, within ``timeout``
    seconds in all (urllib's own timeout is per read, so a server that drips bytes could
    otherwise hold the command forever)."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise CommandError("Only http and https addresses can be fetched.")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above and on every redirect)
        url, headers={"Accept": "application/ld+json, application/json;q=0.9, */*;q=0.1", "User-Agent": "factcheck"}
    )
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise CommandError(f"{url}: larger than {max_bytes // (1024 * 1024)} MB ({int(length):,} bytes).")
            chunks, size = [], 0
            while chunk := response.read(_CHUNK):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise CommandError(f"{url}: larger than {max_bytes // (1024 * 1024)} MB.")
                if time.monotonic() > deadline:
                    raise CommandError(f"{url}: took longer than {timeout:g} s.")
            return b"".join(chunks)
    except urllib.error.HTTPError as exc:
        raise CommandError(f"{url}: the server answered {exc.code} {exc.reason}.") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CommandError(f"{url}: could not be fetched ({reason}).") from None


def read_file(path: Path, max_bytes: int = known.MAX_BYTES) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    if len(data) > max_bytes:
        raise CommandError(f"{path}: larger than {max_bytes // (1024 * 1024)} MB.")
    return data


class Command(BaseCommand):
    help = "Import ClaimReview JSON-LD (a file or an http(s) URL) into the library of known fact-checks."

    def add_arguments(self, parser):
        parser.add_argument("location", metavar="FILE_OR_URL")
        parser.add_argument("--user", help="username recorded as the importer (an editor); default: none (system)")
        parser.add_argument("--timeout", type=float, default=20.0, help="seconds to fetch a URL (default 20)")

    def handle(self, *args, location: str, user: str | None, timeout: float, **options):
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user {user!r}.") from None
        if urlsplit(location).scheme in ("http", "https"):
            data, source = fetch(location, timeout=timeout), KnownFactCheck.Source.URL
        elif "://" in location:
            raise CommandError("Only http and https addresses can be fetched; give a file path otherwise.")
        else:
            data, source = read_file(Path(location)), KnownFactCheck.Source.FILE
        try:
            report = known_factchecks_import(
                data=known.load_json(data), source=source, actor=actor, source_name=location
            )
        except ValidationError as exc:
            raise CommandError(f"{location}: {'; '.join(_messages(exc))}") from None
        except WorkflowError as exc:  # --user is not an editor
            raise CommandError(exc.message) from None
        problems = (("rejected", report.rejected), ("warning", report.warnings), ("duplicate", report.duplicates))
        for title, items in problems:
            for item in items:
                self.stderr.write(f"{title}: item {item.index} ({item.path}) {item.url}: {'; '.join(item.messages)}")
        self.stdout.write(f"{location}: {report.summary()}")


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{key}: {m}" for key, messages in exc.message_dict.items() for m in messages]
    return exc.messages
