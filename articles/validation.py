"""Input rules for articles, shared by the form, the serializer, the admin and the services."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import BigIntegerField

# C0 controls other than tab, newline and carriage return; NUL is refused by PostgreSQL too.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The largest id the database's integer columns hold: a larger one in a query is a 500, not a 404.
MAX_ID = BigIntegerField.MAX_BIGINT
_url_validator = URLValidator(schemes=["http", "https"])


def clean_text(value, *, field: str, required: bool = True, max_length: int | None = None) -> str:
    if value is None:
        value = ""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError({field: "Is not valid UTF-8 text."}) from None
    if not isinstance(value, str):
        raise ValidationError({field: "Must be text."})
    if _CONTROL.search(value):
        raise ValidationError({field: "Contains binary or control characters; send plain text."})
    if "\ufffd" in value and value.count("\ufffd") * 50 > len(value):
        raise ValidationError({field: "Looks like undecodable binary data; send UTF-8 text."})
    if required and not value.strip():
        raise ValidationError({field: "This field may not be empty."})
    if max_length is not None and len(value) > max_length:
        raise ValidationError({field: f"Is too long: {len(value):,} characters, the limit is {max_length:,}."})
    return value


def clean_body(value) -> str:
    # Normalise line endings so offsets mean the same thing on every platform.
    body = clean_text(value, field="body", max_length=settings.ARTICLE_MAX_CHARS)
    return body.replace("\r\n", "\n").replace("\r", "\n")


def clean_url(value, *, field: str = "source_url") -> str:
    value = clean_text(value, field=field, required=False, max_length=2000).strip()
    if value:
        try:
            _url_validator(value)
        except ValidationError:
            raise ValidationError({field: "Enter a valid http or https URL."}) from None
    return value


def default_title(body: str) -> str:
    first = body.strip().split("\n", 1)[0].strip()
    return first if len(first) <= 120 else first[:117].rstrip() + "..."


# Text metadata of an article and its length limit (the model's max_length).
_TEXT_LIMITS = {"title": 300, "outlet": 200, "byline": 300, "language": 16}


def clean_article_field(name: str, value, *, body: str):
    """One article field by the rules every entry point shares (form, API, edit, import).
    ``body`` is the article's (cleaned) body: an empty title falls back to its first line."""
    if name == "body":
        return body
    if name == "source_url":
        return clean_url(value)
    if name in _TEXT_LIMITS:
        text = clean_text(value, field=name, required=False, max_length=_TEXT_LIMITS[name]).strip()
        if name == "title":
            return text or default_title(body)
        if name == "language":
            return text or "en"
        return text
    return value


def clean_article(*, body, **fields) -> dict:
    """A new article's field values: ``body`` and the other fields given, each cleaned."""
    body = clean_body(body)
    fields = {"title": "", "source_url": "", "outlet": "", "byline": "", "language": "", **fields}
    return {"body": body, **{name: clean_article_field(name, value, body=body) for name, value in fields.items()}}
