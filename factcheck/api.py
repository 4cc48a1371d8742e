"""The REST API's plumbing, shared by every app's endpoints: one error format, the newsroom-role
permission, a text field that refuses non-text, and the error and authentication schema for the
OpenAPI document. (The token endpoints are in api_tokens.py.)

Every error is ``{"error": {"code", "message", "fields"?}}``. The services raise Django's
ValidationError and the workflow's WorkflowError/NotAllowed; DRF raises its own exceptions;
all of them end up here in the same shape.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from factcheck import roles
from reviews.workflow import WorkflowError

# DRF's exceptions by status, named in the API's vocabulary (its own codes differ per class:
# NotAuthenticated and AuthenticationFailed are both a 401 to a client).
_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    429: "throttled",
}


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The request body is too large."
    default_code = "too_large"


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    error = {"code": code, "message": message}
    if fields is not None:
        error["fields"] = fields
    return {"error": error}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"field": [messages]}``; nested keys joined with dots."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    key = prefix or api_settings.NON_FIELD_ERRORS_KEY
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        out = {}
        for index, item in enumerate(detail):
            out.update(_flatten(item, f"{key}.{index}"))
        return out
    items = detail if isinstance(detail, list) else [detail]
    return {key: [str(item) for item in items]}


def _from_django(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {
                api_settings.NON_FIELD_ERRORS_KEY if key == "__all__" else key: messages
                for key, messages in exc.message_dict.items()
            }
        )
    return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})


def exception_handler(exc, context):
    if isinstance(exc, WorkflowError):  # NotAllowed included: 403 permission_denied
        set_rollback()
        return Response(error_body(exc.code, exc.message), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = _from_django(exc)
    elif isinstance(exc, ObjectDoesNotExist):  # a selector's .get() on a row the user may not see
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        # Django's own answer to a body over DATA_UPLOAD_MAX_MEMORY_SIZE is an HTML 400 page.
        exc = PayloadTooLarge(f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = exceptions.ParseError(str(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not a client error: Django's 500 handling, with the traceback logged
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = "Invalid input: " + "; ".join(
            messages[0] if field == api_settings.NON_FIELD_ERRORS_KEY else f"{field}: {messages[0]}"
            for field, messages in fields.items()
        )
        response.data = error_body("invalid", message, fields)
        return response
    code = "parse_error" if isinstance(exc, exceptions.ParseError) else _CODES.get(response.status_code, "error")
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
    response.data = error_body(code, str(detail))
    return response


@csrf_exempt  # otherwise a POST to a mistyped path would get the CSRF middleware's HTML 403
def not_found(request, *args, **kwargs):
    """Any path under /api/v1/ that no endpoint matches: a JSON 404, not Django's HTML page."""
    return JsonResponse(
        error_body("not_found", "No endpoint matches this path. API paths end with a slash, e.g. /api/v1/claims/."),
        status=404,
    )


class HasNewsroomRole(permissions.BasePermission):
    """Editors and reviewers; what each may do beyond reading is decided by the services."""

    message = "You need a newsroom role (editor or reviewer) to use the API."

    def has_permission(self, request, view) -> bool:
        return roles.is_staff_member(request.user)


class IsEditor(permissions.BasePermission):
    """Endpoints that only make sense for editors as a whole (bulk assignment, workloads)."""

    message = "Only editors can do this."

    def has_permission(self, request, view) -> bool:
        return roles.is_editor(request.user)


NEWSROOM = [permissions.IsAuthenticated, HasNewsroomRole]
EDITORS = [permissions.IsAuthenticated, HasNewsroomRole, IsEditor]


class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers and booleans instead of turning them into text, and
    keeps whitespace: the services strip what should be stripped (never an article body)."""

    default_error_messages = {"not_text": "Must be text."}

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class OptionalURLField(serializers.CharField):
    """A read-only URL that may be empty (``URLField(blank=True)``). The model field's own
    serializer field would be published as ``format: uri``, which the empty string breaks."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", "An http or https URL, or empty.")
        super().__init__(**kwargs)


class SlugChoiceField(serializers.SlugRelatedField):
    """A SlugRelatedField that looks up only text: DRF's passes anything to the query, and
    PostgreSQL refuses a NUL byte with a DataError (a 500) where SQLite simply finds nothing."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


# --- The error schema -----------------------------------------------------------------------


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable: invalid, parse_error, not_found, invalid_transition...")
    message = serializers.CharField(help_text="A sentence for people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors only: each invalid field with its messages.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


_ERROR_DESCRIPTIONS = {
    400: "Invalid input (code `invalid`, or `parse_error` for malformed JSON); `fields` names each bad field.",
    401: "Not authenticated (code `not_authenticated`).",
    403: "No newsroom role, or the workflow does not let this user do this (code `permission_denied`).",
    404: "No such object, or not visible to this user (code `not_found`).",
    409: "Refused by the workflow in the object's current state (code `invalid_transition`, `source_required`...), "
    "or the object changed since the `version` (or `If-Match`) you sent (code `conflict`).",
    429: "Too many requests for this token, user or address (code `throttled`); "
    "the `Retry-After` header says how many seconds to wait.",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """``responses`` entries for ``extend_schema``: 401, 403 and 429 always, plus ``statuses``."""
    return {
        status: OpenApiResponse(ErrorSerializer, description=_ERROR_DESCRIPTIONS[status])
        for status in sorted({401, 403, 429, *statuses})
    }


_HEADERS = {
    "401": {
        "WWW-Authenticate": {
            "schema": {"type": "string"},
            "description": 'The scheme to use: `Bearer realm="api"` (with `error="invalid_token"` when the '
            "token sent was unknown, revoked or expired).",
        }
    },
    "429": {
        "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."},
    },
}


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def postprocess_error_headers(result, generator, request, public):
    """drf-spectacular hook: every operation may be throttled (429, with Retry-After), and every
    401 carries WWW-Authenticate; added here once rather than in each endpoint's decorator.
    Likewise for what the request itself can cause anywhere: a filter value that does not parse
    is a 400, a page past the end a 404, a body of another type a 415 (found by
    tests/test_schemathesis.py)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            query = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
            if query - {"format", "lang"}:  # the schema endpoint's own two are not validated
                responses.setdefault("400", _error_response("Invalid query parameter (code `invalid`)."))
            if "page" in query:
                responses.setdefault("404", _error_response("No such page (code `not_found`)."))
            if "requestBody" in operation:
                responses.setdefault(
                    "415",
                    _error_response(
                        "A body in a media type this endpoint does not read (code `unsupported_media_type`)."
                    ),
                )
            responses.setdefault("429", _error_response(_ERROR_DESCRIPTIONS[429]))
            for code, headers in _HEADERS.items():
                if code in responses:
                    responses[code].setdefault("headers", {}).update(headers)
    return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme of factcheck.auth.ApiTokenAuthentication."""

    target_class = "factcheck.auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (`fc_...`), from POST /api/v1/auth/token/, POST /api/v1/tokens/ "
            "or the API tokens page: `Authorization: Bearer <token>` (`Token <token>` is accepted too).",
        }
