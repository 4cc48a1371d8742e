"""The API's JSON parser, in a module of its own: DRF reads DEFAULT_PARSER_CLASSES when
rest_framework.views is first imported, so the parser must not live in a module that imports
rest_framework.views itself (factcheck.api does: a circular import on whichever request loads
factcheck.api first, e.g. django-axes' client-address lookup at login)."""

import codecs
import json
import math
import re

from django.conf import settings
from rest_framework import exceptions, parsers

_SURROGATE = re.compile("[\ud800-\udfff]")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):  # 1e400: json reads it as infinity, which no field or column takes
        raise ValueError(f"Number out of range: {text[:40]}")
    return value


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def check_text(data) -> None:
    """Refuse lone UTF-16 surrogates ("\\ud800" in JSON) anywhere in a parsed document: they are
    not text, so neither UTF-8 output nor PostgreSQL can hold them. Iterative: no recursion."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise exceptions.ParseError("JSON parse error - a string holds a lone surrogate (\\ud800-\\udfff).")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, but a clear 400 (parse_error) for what DRF's lets through to a 500:
    nesting deeper than Python's recursion limit (RecursionError is not a ValueError), numbers
    beyond a float (1e400 becomes infinity), and lone surrogates. NaN/Infinity are refused, as
    DRF's strict mode does."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read() if stream is not None else ""
            data = json.loads(text, parse_float=_finite_float, parse_constant=_refuse_constant)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from None
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError included
            raise exceptions.ParseError(f"JSON parse error - {str(exc)[:200]}") from None
        check_text(data)
        return data
