"""Importing other fact-checkers' ClaimReview markup into the library of known fact-checks.

One transaction for the whole import: every item is read and validated first (reviews/known.py,
no database), so a bad item never reaches the database and cannot roll back a good one; the
good items are then written together, and land all or none if the database fails. There is
no claim, so no event row: ``imported_by``, ``imported_at`` and ``source`` are the record.
"""

from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from factcheck import roles

from .. import known
from ..models import KnownFactCheck
from ..workflow import NotAllowed

_CHUNK = 500  # rows per lookup and per bulk write: below SQLite's parameter limit


@dataclass
class ItemReport:
    index: int
    path: str
    url: str
    messages: list[str]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # already in the library with the same content: skipped
    ignored: int = 0  # a page's @graph nodes that are not ClaimReviews
    rejected: list[ItemReport] = field(default_factory=list)  # not imported, with the reasons
    warnings: list[ItemReport] = field(default_factory=list)  # imported, with the fields dropped
    duplicates: list[ItemReport] = field(default_factory=list)  # same URL as an earlier item: skipped

    @property
    def imported(self) -> int:
        return self.created + self.updated

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.duplicates)} duplicates skipped, {len(self.rejected)} rejected, "
            f"{len(self.warnings)} imported with warnings"
        )


def _url_of(node: Any) -> str:
    url = node.get("url") if isinstance(node, dict) else None
    return url[: known.MAX_URL_CHARS] if isinstance(url, str) else ""


def known_factchecks_import(*, data: Any, source: str, actor=None, source_name: str = "", now=None) -> ImportReport:
    """Import the ClaimReviews of ``data`` (parsed JSON: see reviews/known.py for the shapes).

    1. Editors only (``actor`` None: the system, e.g. the management command).
    2. Find and validate every item; a whole-document problem (no recognisable shape, too
       many items, no item usable) raises ValidationError and writes nothing.
    3. Items with the URL of an earlier item in the same document are skipped as duplicates.
    4. Look up the URLs already in the library: same content -> unchanged, else updated.
    5. Write the new and changed rows in one transaction."""
    if actor is not None and not roles.is_editor(actor):
        raise NotAllowed("Only editors can import fact-checks.")
    if source not in KnownFactCheck.Source.values:
        raise ValueError(f"unknown source {source!r}")
    candidates, ignored = known.candidates(data)
    report = ImportReport(ignored=ignored)
    parsed: dict[str, tuple[known.Candidate, known.ParsedFactCheck]] = {}
    for candidate in candidates:
        try:
            item = known.parse_claimreview(candidate)
        except known.ItemInvalid as exc:
            report.rejected.append(ItemReport(candidate.index, candidate.path, _url_of(candidate.node), exc.messages))
            continue
        if item.review_url in parsed:
            first = parsed[item.review_url][0]
            report.duplicates.append(
                ItemReport(
                    candidate.index, candidate.path, item.original_url, [f"same URL as item {first.index}; skipped"]
                )
            )
            continue
        parsed[item.review_url] = (candidate, item)
        if item.warnings:
            report.warnings.append(ItemReport(candidate.index, candidate.path, item.original_url, item.warnings))

    if not candidates:
        raise known.MarkupError("The document holds no ClaimReview.")
    if not parsed:
        # Nothing usable: refused as a whole, with every item's reasons, so that a client
        # sees a 4xx instead of a "successful" import of nothing.
        raise ValidationError({f"{item.path} (item {item.index})": item.messages for item in [*report.rejected][:100]})

    now = now or timezone.now()
    stamp = {"imported_at": now, "imported_by": actor, "source": source, "source_name": source_name[:2000]}
    urls = list(parsed)
    with transaction.atomic():
        to_create, to_update = [], []
        for start in range(0, len(urls), _CHUNK):
            chunk = urls[start : start + _CHUNK]
            # Locked, so that two imports of the same fact-check update it one after the other.
            existing = KnownFactCheck.objects.select_for_update().in_bulk(chunk, field_name="review_url")
            for url in chunk:
                item = parsed[url][1]
                values = {name: getattr(item, name) for name in known.FIELDS}
                row = existing.get(url)
                if row is not None and all(getattr(row, name) == value for name, value in values.items()):
                    report.unchanged += 1
                    continue
                # New objects (no pk) for changed rows too: the upsert below finds them by URL.
                (to_create if row is None else to_update).append(KnownFactCheck(review_url=url, **values, **stamp))
        # One upsert for new and changed rows (bulk_update's CASE per row is quadratic: 10,000
        # updates took 90 s). It also makes a URL that a concurrent import added since the
        # lookup an update instead of an IntegrityError that would lose this whole import.
        KnownFactCheck.objects.bulk_create(
            [*to_create, *to_update],
            batch_size=_CHUNK,
            update_conflicts=True,
            unique_fields=["review_url"],
            update_fields=[*known.FIELDS, *stamp],
        )
    report.created, report.updated = len(to_create), len(to_update)
    return report
