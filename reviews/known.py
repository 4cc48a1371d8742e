"""Reading other fact-checkers' ClaimReview JSON-LD into rows for the library of known
fact-checks. Pure Python (no database): services/known_factchecks.py does the writing.

Accepted shapes: one ClaimReview, a list of them, a schema.org DataFeed (Google's Fact Check
Markup Tool feed: ``dataFeedElement`` of DataFeedItems whose ``item`` is a ClaimReview or a
list of them), or a page's JSON-LD ``@graph`` (its other nodes are ignored; ``{"@id": ...}``
references between its nodes are followed). Each ClaimReview found is a *candidate* with an
index (its position among all candidates, from 0) and a path such as
``dataFeedElement[3].item[0]``, so that a problem can be reported per item.

Required (Google's required fields): ``url`` (http or https), ``claimReviewed`` and
``reviewRating.alternateName`` (or its ``name``). Anything else that is missing or malformed
is dropped with a warning; the item is still imported.
"""

import contextlib
import datetime
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.dateparse import parse_date, parse_datetime

MAX_BYTES = 5 * 1024 * 1024  # the largest document read from a file, a URL or a request body
MAX_ITEMS = 10_000  # the most ClaimReviews in one import
MAX_CLAIM_CHARS = 5000
MAX_NAME_CHARS = 300
MAX_URL_CHARS = 2000
MAX_LANGUAGE_CHARS = 35

SHAPES = "a ClaimReview, a list of them, a schema.org DataFeed or a JSON-LD document with an @graph"

# C0 controls other than tab and newline; NUL is refused by PostgreSQL (text and jsonb).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_url_validator = URLValidator(schemes=["http", "https"])
_SCHEMA_PREFIXES = ("schema:", "http://schema.org/", "https://schema.org/")


class MarkupError(ValidationError):
    """The document as a whole is unusable (not JSON, too big, no recognisable shape): nothing
    is imported. A problem with one item is reported for that item instead."""


# --- URLs -----------------------------------------------------------------------------------


def normalize_url(url: str) -> str:
    """The identity of a fact-check: scheme and host lowercased, default port, fragment,
    trailing slash and utm_* tracking parameters dropped. Other parameters keep their order
    and encoding (``?id=7`` may be the only thing that tells two articles apart).
    Raises ValueError for a URL without a host or with a bad port."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = parts.hostname  # already lowercased by urlsplit
    if not host:
        raise ValueError("no host")
    port = parts.port  # ValueError for a port that is not a number in range
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        netloc += f":{port}"
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    if userinfo:
        netloc = f"{userinfo}@{netloc}"
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not pair.split("=", 1)[0].lower().startswith("utm_")
    )
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), query, ""))


def valid_http_url(value: str) -> bool:
    if len(value) > MAX_URL_CHARS:
        return False
    try:
        _url_validator(value)
    except ValidationError:
        return False
    return True


# --- The document ---------------------------------------------------------------------------


def _no_constants(name: str):
    raise ValueError(f"{name} is not valid JSON")


def load_json(data: bytes | str) -> Any:
    """Parse a document, refusing what would break the import or the database: more than
    MAX_BYTES, text that is not UTF-8, invalid JSON, NaN/Infinity, absurd nesting."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise MarkupError(f"The document is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise MarkupError("The document is not UTF-8 text (binary data?).") from None
    elif len(data) > MAX_BYTES:
        raise MarkupError(f"The document is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        return json.loads(data, parse_constant=_no_constants)
    except (ValueError, RecursionError) as exc:
        raise MarkupError(f"The document is not valid JSON: {str(exc)[:200]}") from None


def _types(node: dict) -> set[str]:
    value = node.get("@type", ())
    values = value if isinstance(value, list) else [value]
    out = set()
    for item in values:
        if isinstance(item, str):
            for prefix in _SCHEMA_PREFIXES:
                item = item.removeprefix(prefix)
            out.add(item)
    return out


@dataclass
class Candidate:
    index: int
    path: str
    node: Any
    ids: dict[str, dict] = field(default_factory=dict)  # the @graph's nodes by @id


class _Collector:
    def __init__(self):
        self.candidates: list[Candidate] = []
        self.ignored = 0

    def add(self, path: str, node: Any, ids: dict | None = None) -> None:
        if len(self.candidates) >= MAX_ITEMS:
            raise MarkupError(f"More than {MAX_ITEMS:,} items; split the import into smaller documents.")
        self.candidates.append(Candidate(len(self.candidates), path, node, ids or {}))

    def document(self, node: Any, path: str = "", *, top: bool = False) -> None:
        if isinstance(node, list):
            for i, element in enumerate(node):
                self.element(element, f"{path}[{i}]")
        elif isinstance(node, dict) and "@graph" in node:
            self.graph(node["@graph"], f"{path}.@graph" if path else "@graph")
        elif isinstance(node, dict) and ("DataFeed" in _types(node) or "dataFeedElement" in node):
            self.feed(node, path)
        elif isinstance(node, dict) and "ClaimReview" in _types(node):
            self.add(path or "$", node)
        elif top:
            raise MarkupError(f"Expected {SHAPES}.")
        else:
            self.add(path, node)  # reported as not a ClaimReview

    def element(self, node: Any, path: str) -> None:
        # A list may hold pages' JSON-LD documents (extruct's output) as well as ClaimReviews.
        if isinstance(node, dict) and ("@graph" in node or "DataFeed" in _types(node)):
            self.document(node, path)
        else:
            self.add(path, node)

    def graph(self, nodes: Any, path: str) -> None:
        nodes = nodes if isinstance(nodes, list) else [nodes]
        ids = {n["@id"]: n for n in nodes if isinstance(n, dict) and isinstance(n.get("@id"), str)}
        for i, node in enumerate(nodes):
            if isinstance(node, dict) and "ClaimReview" in _types(node):
                self.add(f"{path}[{i}]", node, ids)
            else:
                self.ignored += 1  # the page's other nodes: WebPage, Organization, BreadcrumbList...

    def feed(self, node: dict, path: str) -> None:
        prefix = f"{path}.dataFeedElement" if path else "dataFeedElement"
        elements = node.get("dataFeedElement")
        if isinstance(elements, dict):
            elements = [elements]
        if not isinstance(elements, list):
            raise MarkupError("The DataFeed has no dataFeedElement list.")
        for i, element in enumerate(elements):
            here = f"{prefix}[{i}]"
            if isinstance(element, dict) and "ClaimReview" not in _types(element) and "item" in element:
                items = element["item"]
                if isinstance(items, list):
                    for j, item in enumerate(items):
                        self.add(f"{here}.item[{j}]", item)
                else:
                    self.add(f"{here}.item", items)
            else:
                self.add(here, element)


def candidates(data: Any) -> tuple[list[Candidate], int]:
    """The ClaimReviews of a parsed document, and how many other @graph nodes were ignored.
    Raises MarkupError if the document has none of the accepted shapes or too many items."""
    collector = _Collector()
    collector.document(data, top=True)
    return collector.candidates, collector.ignored


# --- One ClaimReview ------------------------------------------------------------------------


class ItemInvalid(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class ParsedFactCheck:
    review_url: str
    claim_reviewed: str
    rating_name: str
    rating_value: float | None
    rating_best: float | None
    rating_worst: float | None
    publisher_name: str
    publisher_url: str
    date_published: datetime.date | None
    claimant: str
    appearance_url: str
    language: str
    raw: Any
    original_url: str = ""
    warnings: list[str] = field(default_factory=list)


FIELDS = (
    "claim_reviewed",
    "rating_name",
    "rating_value",
    "rating_best",
    "rating_worst",
    "publisher_name",
    "publisher_url",
    "date_published",
    "claimant",
    "appearance_url",
    "language",
    "raw",
)


def _clean_str(value: str) -> str:
    # Lone surrogates (valid in JSON's \ud800 escapes, not in UTF-8) would fail on the way into
    # the database; control characters are dropped. Markup, quotes and scripts stay as text.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", value) if _CONTROL.search(value) else value


def clean_raw(value: Any) -> Any:
    """The item as stored: the same JSON with every string (and key) made storable."""
    if isinstance(value, str):
        return _clean_str(value)
    if isinstance(value, dict):
        return {_clean_str(str(k)): clean_raw(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_raw(v) for v in value]
    return value


class _Reader:
    """Field readers for one item; each malformed optional field adds a warning."""

    def __init__(self, ids: dict[str, dict]):
        self.ids = ids
        self.warnings: list[str] = []

    def node(self, value: Any) -> dict | None:
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, dict | str)), None)
        if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in self.ids:
            value = self.ids[value["@id"]]
        return value if isinstance(value, dict) else None

    def text(self, value: Any, name: str, limit: int) -> str:
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str | dict)), None)
        if isinstance(value, dict):
            value = value.get("@value", value.get("name"))
        if value is None:
            return ""
        if not isinstance(value, str):
            self.warnings.append(f"{name}: not text, dropped")
            return ""
        value = " ".join(_clean_str(value).split())
        if len(value) > limit:
            self.warnings.append(f"{name}: longer than {limit:,} characters, cut")
            value = value[: limit - 1].rstrip() + "…"
        return value

    def url(self, value: Any, name: str) -> str:
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str | dict)), None)
        if isinstance(value, dict):
            value = self.node(value) or {}
            value = value.get("url") or value.get("@id")
        if value is None or value == "":
            return ""
        if isinstance(value, str) and valid_http_url(value.strip()):
            return value.strip()
        self.warnings.append(f"{name}: not an http or https URL, dropped")
        return ""

    def number(self, value: Any, name: str) -> float | None:
        if value is None or value == "":
            return None
        number = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str):
            with contextlib.suppress(ValueError):
                number = float(value.strip())
        if number is None or not math.isfinite(number):
            self.warnings.append(f"{name}: not a number, dropped")
            return None
        return number

    def date(self, value: Any, name: str) -> datetime.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            text = value.strip()
            try:
                parsed = parse_date(text) or parse_datetime(text.replace("Z", "+00:00"))
            except ValueError:  # well-formed but impossible, e.g. 2026-02-30
                parsed = None
            if isinstance(parsed, datetime.datetime):
                return parsed.date()
            if parsed is not None:
                return parsed
        self.warnings.append(f"{name}: not an ISO 8601 date, dropped")
        return None


def parse_claimreview(candidate: Candidate) -> ParsedFactCheck:
    """One candidate as a row. Raises ItemInvalid, naming every required field that is wrong."""
    node = candidate.node
    if not isinstance(node, dict):
        kind = "null" if node is None else type(node).__name__.replace("str", "text").replace("dict", "object")
        raise ItemInvalid([f"expected a ClaimReview object, got {kind}"])
    if "ClaimReview" not in _types(node):
        found = ", ".join(sorted(_types(node))) or "no @type"
        raise ItemInvalid([f"@type: expected ClaimReview, got {found[:100]}"])
    read = _Reader(candidate.ids)
    errors = []

    url = node.get("url")
    review_url = ""
    if not isinstance(url, str) or not url.strip():
        errors.append("url: missing (the address of the fact-check is required)")
    elif not valid_http_url(url.strip()):
        errors.append("url: not an http or https URL")
    else:
        try:
            review_url = normalize_url(url)
        except ValueError:
            errors.append("url: not an http or https URL")

    claim_reviewed = read.text(node.get("claimReviewed"), "claimReviewed", MAX_CLAIM_CHARS)
    if not claim_reviewed:
        errors.append("claimReviewed: missing or empty")

    rating = read.node(node.get("reviewRating"))
    rating_name = ""
    if rating is None:
        errors.append("reviewRating: missing")
    else:
        rating_name = read.text(rating.get("alternateName"), "reviewRating.alternateName", MAX_NAME_CHARS)
        rating_name = rating_name or read.text(rating.get("name"), "reviewRating.name", MAX_NAME_CHARS)
        if not rating_name:
            errors.append("reviewRating.alternateName: missing (the verdict in words is required)")
    if errors:
        raise ItemInvalid(errors)

    publisher = read.node(node.get("author")) or read.node(node.get("publisher")) or {}
    if isinstance(node.get("author"), str):
        publisher = {"name": node["author"]}
    item = read.node(node.get("itemReviewed")) or {}
    claimant = item.get("author")
    appearance = item.get("appearance") or item.get("firstAppearance")
    language = node.get("inLanguage") or item.get("inLanguage")

    parsed = ParsedFactCheck(
        review_url=review_url,
        original_url=url.strip(),
        claim_reviewed=claim_reviewed,
        rating_name=rating_name,
        rating_value=read.number(rating.get("ratingValue"), "reviewRating.ratingValue"),
        rating_best=read.number(rating.get("bestRating"), "reviewRating.bestRating"),
        rating_worst=read.number(rating.get("worstRating"), "reviewRating.worstRating"),
        publisher_name=read.text(publisher.get("name"), "author.name", MAX_NAME_CHARS),
        publisher_url=read.url(publisher.get("url"), "author.url"),
        date_published=read.date(node.get("datePublished"), "datePublished"),
        claimant=read.text(
            claimant if isinstance(claimant, str) else (read.node(claimant) or {}).get("name"),
            "itemReviewed.author.name",
            MAX_NAME_CHARS,
        ),
        appearance_url=read.url(appearance, "itemReviewed.appearance"),
        language=read.text(language, "inLanguage", MAX_LANGUAGE_CHARS),
        raw=clean_raw(node),
    )
    if not parsed.publisher_name:
        read.warnings.append("author: no publisher name")
    parsed.warnings = read.warnings
    return parsed
