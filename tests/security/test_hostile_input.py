"""A corpus of hostile and broken input sent to every write endpoint of the API (every POST, PUT,
PATCH and DELETE in the OpenAPI schema, from drf-spectacular's generator) and to every web
form (every POST route the permission sweep classifies).

The invariants, for every request: never a 5xx; an API error is the API's JSON error shape; a
refused request (4xx) changes no table's row count; a body that is not JSON at all is refused
by every endpoint that reads a body. Text that is merely unusual (script and SQL payloads, RTL,
emoji) may be accepted: it is stored as text and escaped on output.

Each request runs in a savepoint that is rolled back (conftest.attempt), so every item meets
the same world, and no single request may take longer than REQUEST_SECONDS.
"""

import json
import time
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from drf_spectacular.generators import SchemaGenerator

from articles import forms as article_forms
from factcheck import account_views
from reviews import forms as review_forms

from .conftest import attempt, changed, row_counts
from .test_access import AUTH, classify, is_api, url_for, url_patterns

pytestmark = pytest.mark.django_db

REQUEST_SECONDS = 10
FIVE_MB = 5 * 1024 * 1024
RAW = "\x00RAW\x00"  # placeholder for a JSON value that json.dumps cannot write (1e400, deep nesting)
NESTED = '{"a":' * 10_000 + "1" + "}" * 10_000  # 10k levels: deeper than Python's recursion limit

# --- The corpus ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    """A whole request body, sent as is."""

    label: str
    content: bytes
    content_type: str = "application/json"
    malformed: bool = True  # not a parseable body of this type: must be refused where a body is read


RAW_BODIES = [
    Body("empty", b"", malformed=False),  # no body: a PATCH of nothing changes nothing (200)
    Body("whitespace", b" \t\r\n "),
    Body("binary", bytes(range(256)) * 8),
    Body("invalid utf-8", b'{"title": "\xff\xfe\xfd"}'),
    Body("nul bytes", b'{"title": "a\x00b"}\x00'),
    Body("truncated", b'{"title": "no end'),
    Body("5 MB of binary", b"\x89PNG" + b"\xde\xad\xbe\xef" * (FIVE_MB // 4)),
    Body("nested 10k", NESTED.encode()),
    Body("huge float", b"1e400", malformed=False),
    Body("huge int", str(2**70).encode(), malformed=False),
    Body("array", b"[]", malformed=False),
    Body("string", b'"text"', malformed=False),
    Body("null", b"null", malformed=False),
    Body("NaN", b'{"priority": NaN}'),
    Body("form, invalid utf-8", b"title=%ff%fe&body=\xff\xfe%00", "application/x-www-form-urlencoded", False),
    Body("multipart, wrong boundary", b"--other\r\nrubbish\r\n", "multipart/form-data; boundary=xyz"),
    Body("text/plain", b"hello", "text/plain"),
]

# Values put in EVERY field of a JSON object at once (strings for forms too).
FIELD_VALUES = {
    "empty string": "",
    "whitespace": " \t\n ",
    "nul byte": "a\x00b",
    "lone surrogate": "\ud800",
    "script": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "sql": "'; DROP TABLE articles_article; -- \" OR 1=1",
    "rtl and emoji": "\u202eevil\u202c مرحبا שלום 👩\u200d👩\u200d👧\u200d👦🔥\ufe0f",
    "long string": "A" * 100_000,
    "huge int": 2**70,
    "huge negative": -(2**70),
    "huge float": RAW + "1e400",
    "float": 1.5,
    "true": True,
    "null": None,
    "list": ["a", 1, None],
    "object": {"$gt": ""},
    "nested 10k": RAW + NESTED,
    "bad date": "2024-13-45T25:61:00",
    "ids of nothing": [2**70, -1, 0],
}
# A form is bytes: a lone surrogate cannot be sent as one (the invalid UTF-8 body stands in for it).
TEXT_VALUES = {
    k: v for k, v in FIELD_VALUES.items() if isinstance(v, str) and not v.startswith(RAW) and k != "lone surrogate"
}


def json_body(fields: list[str], value) -> bytes:
    """An object with ``value`` in every field; RAW values are spliced in as literal JSON."""
    if isinstance(value, str) and value.startswith(RAW):
        literal = value[len(RAW) :]
        text = json.dumps(dict.fromkeys(fields or ["x"], "__RAW__"))
        return text.replace('"__RAW__"', literal).encode()
    return json.dumps(dict.fromkeys(fields or ["x"], value)).encode()


# --- The API -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    fields: list[str]
    reads_body: bool


def api_operations() -> list[Operation]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    ops = []
    for path, items in schema["paths"].items():
        for method, op in items.items():
            if method not in ("post", "put", "patch", "delete"):
                continue
            content = op.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema", {})
            if "$ref" in body:
                body = components[body["$ref"].rsplit("/", 1)[-1]]
            ops.append(Operation(method.upper(), path, sorted(body.get("properties", {})), bool(content)))
    return ops


def _fill(world, path: str) -> str:
    """A path of the schema with a real object's id: the corpus reaches the validation and the
    services instead of stopping at a 404."""
    ids = {
        "articles": world.article.pk,
        "claims": world.claim.pk,
        "sources": world.source.pk,
        "rulings": world.published.pk,  # correct needs a published ruling; the others refuse it after validation
        "tokens": world.token.pk,
        "webhooks": world.webhook.pk,
        "webhook-deliveries": world.delivery.pk,
        "known-fact-checks": world.known.pk,
    }
    collection = path.removeprefix("/api/v1/").split("/", 1)[0]
    return path.replace("{id}", str(ids[collection])) if "{id}" in path else path


def _api_error_shape(response) -> str | None:
    try:
        error = json.loads(response.content)["error"]
    except (ValueError, KeyError, TypeError):
        return f"not the JSON error shape: {response.content[:200]!r}"
    if not (isinstance(error.get("code"), str) and isinstance(error.get("message"), str) and error["message"]):
        return f"error without code or message: {error}"
    return None


def _requests_for(op: Operation):
    yield from ((b.label, b.content, b.content_type, b.malformed) for b in RAW_BODIES)
    fields = op.fields
    for label, value in FIELD_VALUES.items():
        yield f"every field = {label}", json_body(fields, value), "application/json", False
    if fields:  # the same through the form parser, which has no JSON strings to refuse NUL in
        nul = urlencode(dict.fromkeys(fields, "a\x00b")).encode()
        yield "form, nul in every field", nul, "application/x-www-form-urlencoded", False
    if fields:  # 5 MB in one field (all of them at once would be 5 MB times the field count)
        yield "5 MB in the first field", json.dumps({fields[0]: "x" * FIVE_MB}).encode(), "application/json", False


def test_the_api_refuses_hostile_input_cleanly(world):
    api = world.api("erin")  # an editor who owns the webhook and the token: the deepest reach
    problems, tried, slowest = [], 0, (0.0, "")
    operations = api_operations()
    assert len(operations) >= 30, [f"{o.method} {o.path}" for o in operations]
    before = row_counts()  # every request is rolled back: each one starts from here
    for op in operations:
        url = _fill(world, op.path)
        for label, content, content_type, malformed in _requests_for(op):
            started = time.monotonic()
            response, (after,) = attempt(
                partial(api.generic, op.method, url, content, content_type=content_type), row_counts
            )
            took = time.monotonic() - started
            slowest = max(slowest, (took, f"{op.method} {op.path} {label}"))
            tried += 1
            where = f"{op.method} {op.path} [{label}]"
            status = response.status_code
            if took > REQUEST_SECONDS:
                problems.append(f"{where}: took {took:.1f} s")
            if status >= 500:
                problems.append(f"{where}: {status}")
                continue
            if status >= 400:
                if (shape := _api_error_shape(response)) is not None:
                    problems.append(f"{where}: {status}, {shape}")
                if diff := changed(before, after):
                    problems.append(f"{where}: {status}, yet rows changed {diff}")
            elif malformed and op.reads_body and content_type == "application/json":
                problems.append(f"{where}: malformed body accepted with {status}")
    print(f"API: {tried} requests to {len(operations)} operations; slowest {slowest[0]:.2f} s ({slowest[1]})")
    assert not problems, "\n".join(problems)


# --- Web forms -----------------------------------------------------------------------------------


def form_field_names() -> list[str]:
    """Every field name any form of the project reads."""
    names = set()
    for module in (article_forms, review_forms, account_views):
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, forms.BaseForm):
                names.update(obj.base_fields)
    names.update(AuthenticationForm.base_fields)
    return sorted(names)


def _web_requests(names: list[str]):
    for label, value in TEXT_VALUES.items():
        yield f"every field = {label}", dict.fromkeys(names, value), None
    yield "every field twice", {name: ["1", "2"] for name in names}, None
    yield "huge numbers", dict.fromkeys(names, str(2**70)), None
    yield "1e400", dict.fromkeys(names, "1e400"), None
    yield "negative", dict.fromkeys(names, "-1"), None
    raw = [
        ("invalid utf-8", b"body=\xff\xfe%ff%fe&title=%00&text=\xc3\x28", "application/x-www-form-urlencoded"),
        ("binary", bytes(range(256)) * 8, "application/x-www-form-urlencoded"),
        ("multipart, wrong boundary", b"--other\r\nrubbish\r\n", "multipart/form-data; boundary=xyz"),
        ("5 MB", b"body=" + b"x" * FIVE_MB, "application/x-www-form-urlencoded"),
        ("json instead of a form", b'{"body": "x"}', "application/json"),
        ("empty", b"", "application/x-www-form-urlencoded"),
    ]
    for label, content, content_type in raw:
        yield label, content, content_type


def test_the_web_forms_refuse_hostile_input_cleanly(world):
    names = form_field_names()
    assert {"body", "title", "text", "rating", "summary", "reviewer", "claims", "username"} <= set(names)
    editor = world.client("erin")
    problems, tried, routes = [], 0, 0
    before = row_counts()  # every request is rolled back: each one starts from here
    for p in url_patterns():
        route = classify(p)
        if is_api(p) or "POST" not in route.methods or p.key.startswith("admin"):
            continue
        routes += 1
        url = url_for(world, p, route)
        for label, data, content_type in _web_requests(names):
            client = world.client("anon", fresh=True) if route.kind == AUTH else editor
            if content_type is None:
                send = partial(client.post, url, data)
            else:
                send = partial(client.generic, "POST", url, data, content_type=content_type)
            started = time.monotonic()
            response, (after,) = attempt(send, row_counts)
            took = time.monotonic() - started
            tried += 1
            where = f"POST {p.key} [{label}]"
            if took > REQUEST_SECONDS:
                problems.append(f"{where}: took {took:.1f} s")
            if response.status_code >= 500:
                problems.append(f"{where}: {response.status_code}")
            elif response.status_code >= 400 and (diff := changed(before, after)):
                problems.append(f"{where}: {response.status_code}, yet rows changed {diff}")
    print(f"Web: {tried} requests to {routes} form routes")
    assert routes >= 30, routes
    assert not problems, "\n".join(problems)


def test_a_script_payload_is_stored_as_text_and_escaped_on_the_page(world):
    # What "accepted" means for the script item: kept verbatim, never markup.
    payload = FIELD_VALUES["script"]
    api = world.api("erin")
    response = api.post(f"/api/v1/claims/{world.claim.pk}/comments/", {"body": payload}, format="json")
    assert response.status_code == 201
    assert response.json()["body"] == payload
    page = world.client("rita").get(f"/claims/{world.claim.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


# --- The fixes, one by one (each was a 500 before; docs/reliability.md) --------------------------


@pytest.mark.parametrize(
    ("body", "code", "status"),
    [
        (NESTED.encode(), "parse_error", 400),  # RecursionError escaped DRF's JSONParser
        (b'{"body": 1e400}', "parse_error", 400),  # infinity reached int() in a lookup
        (b'{"body": "\\ud800"}', "parse_error", 400),  # a lone surrogate broke the UTF-8 response
        (b'{"body": "' + b"x" * FIVE_MB + b'"}', "too_large", 413),  # Django's HTML 400 page
    ],
    ids=["nested", "1e400", "lone-surrogate", "5mb"],
)
def test_bodies_that_were_500s_or_html_are_now_json_errors(world, body, code, status):
    before = row_counts()
    response = world.api("erin").generic(
        "POST", f"/api/v1/claims/{world.claim.pk}/comments/", body, content_type="application/json"
    )
    assert response.status_code == status, response.content[:300]
    assert response.json()["error"]["code"] == code
    assert not changed(before, row_counts())


def test_a_surrogate_pair_is_still_text(world):
    # Clients that escape everything send emoji as a pair of escapes: that is valid text.
    response = world.api("erin").generic(
        "POST",
        f"/api/v1/claims/{world.claim.pk}/comments/",
        b'{"body": "Fire \\ud83d\\udd25"}',
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["body"] == "Fire 🔥"


def test_a_nul_byte_in_a_rating_slug_is_a_400_not_a_database_error(world):
    # PostgreSQL refused the lookup with a DataError (a 500); SQLite found nothing.
    response = world.api("rita").post(
        f"/api/v1/claims/{world.claim.pk}/ruling/",
        {"rating": "false\x00", "summary": "S", "explanation": "E", "draft": True},
        format="json",
    )
    assert response.status_code == 400
    assert "rating" in response.json()["error"]["fields"]
