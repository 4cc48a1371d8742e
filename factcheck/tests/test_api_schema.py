"""The API as a whole: the OpenAPI document (no warnings, every endpoint, every error response),
the schema and docs pages, and the one error format for every kind of failure."""

import json

import pytest
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management import call_command
from rest_framework import exceptions

from factcheck.api import exception_handler
from reviews.workflow import NotAllowed, WorkflowError

ENDPOINTS = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/tokens/": {"get", "post"},
    "/api/v1/tokens/{id}/": {"get", "delete"},
    "/api/v1/articles/": {"get", "post"},
    "/api/v1/articles/{id}/": {"get", "patch"},
    "/api/v1/articles/{id}/extract/": {"post"},
    "/api/v1/articles/{id}/claims/": {"post"},
    "/api/v1/articles/import/": {"post"},
    "/api/v1/claims/": {"get"},
    "/api/v1/claims/assign/": {"post"},
    "/api/v1/claims/auto-assign/": {"post"},
    "/api/v1/claims/{id}/": {"get", "patch"},
    "/api/v1/claims/{id}/accept/": {"post"},
    "/api/v1/claims/{id}/reject/": {"post"},
    "/api/v1/claims/{id}/merge/": {"post"},
    "/api/v1/claims/{id}/recut/": {"post"},
    "/api/v1/claims/{id}/assign/": {"post"},
    "/api/v1/claims/{id}/start/": {"post"},
    "/api/v1/claims/{id}/take/": {"post"},
    "/api/v1/claims/{id}/sources/": {"get", "post"},
    "/api/v1/claims/{id}/comments/": {"get", "post"},
    "/api/v1/claims/{id}/ruling/": {"post"},
    "/api/v1/comments/": {"get"},
    "/api/v1/events/": {"get"},
    "/api/v1/sources/{id}/": {"patch", "delete"},
    "/api/v1/rulings/{id}/": {"get"},
    "/api/v1/rulings/{id}/approve/": {"post"},
    "/api/v1/rulings/{id}/return/": {"post"},
    "/api/v1/rulings/{id}/publish/": {"post"},
    "/api/v1/rulings/{id}/correct/": {"post"},
    "/api/v1/ratings/": {"get"},
    "/api/v1/reviewers/": {"get"},
    "/api/v1/webhooks/": {"get", "post"},
    "/api/v1/webhooks/{id}/": {"get", "patch", "delete"},
    "/api/v1/webhooks/{id}/ping/": {"post"},
    "/api/v1/webhooks/{id}/rotate-secret/": {"post"},
    "/api/v1/webhooks/{id}/deliveries/": {"get"},
    "/api/v1/webhook-deliveries/{id}/": {"get"},
    "/api/v1/webhook-deliveries/{id}/redeliver/": {"post"},
    "/api/v1/claimreview/feed/": {"get"},
    "/api/v1/claimreview/{id}/": {"get"},
    "/api/v1/known-fact-checks/": {"get"},
    "/api/v1/known-fact-checks/{id}/": {"get"},
    "/api/v1/known-fact-checks/import/": {"post"},
}
# Published content, open to anyone: a bad token is a 401, but nothing is ever forbidden.
PUBLIC = {"/api/v1/claimreview/feed/", "/api/v1/claimreview/{id}/"}
# Actions that take no input, so there is nothing to reject with a 400.
NO_INPUT = ("/publish/", "/extract/", "/ping/", "/redeliver/", "/rotate-secret/")


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("schema") / "openapi.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(out))
    return json.loads(out.read_text())


def test_the_schema_generates_without_warnings_and_lists_every_endpoint(schema):
    assert schema["openapi"].startswith("3.")
    assert {path: set(operations) for path, operations in schema["paths"].items()} == ENDPOINTS


def test_every_operation_documents_its_errors_in_the_error_format(schema):
    error_ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert any(code.startswith("2") for code in responses), (method, path)
            for code, response in responses.items():
                if not code.startswith("2"):
                    assert response["content"]["application/json"]["schema"] == error_ref, (method, path, code)
            if path in PUBLIC:
                assert "401" in responses, (method, path)
            elif path != "/api/v1/auth/token/":
                assert {"401", "403"} <= set(responses), (method, path)
            if "{id}" in path:
                assert "404" in responses, (method, path)
            if method in ("post", "patch") and path != "/api/v1/auth/token/":
                assert "400" in responses or path.endswith(NO_INPUT), (method, path)


def test_versioned_writes_document_if_match_and_etag(schema):
    """Every write that takes a `version` also reads If-Match, and answers with the ETag."""
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if not body:
                continue
            if "$ref" not in body:  # free-form JSON (the ClaimReview import): no version field
                continue
            name = body["$ref"].rsplit("/", 1)[-1]
            if "version" not in schema["components"]["schemas"][name].get("properties", {}):
                continue
            assert "If-Match" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}, (method, path)
            ok = next(code for code in operation["responses"] if code.startswith("2"))
            assert "ETag" in operation["responses"][ok]["headers"], (method, path)
            assert "409" in operation["responses"], (method, path)


def test_the_claim_queue_documents_its_filters_and_pagination(schema):
    operation = schema["paths"]["/api/v1/claims/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        *("status", "reviewer", "article", "claim_type", "priority", "speaker", "checkworthy", "stale", "overdue"),
        *("min_score", "max_score", "due_after", "due_before", "created_after", "created_before"),
        *("updated_after", "updated_before", "ordering", "page", "page_size"),
    }
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "PaginatedQueueClaimList"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [None, "outsider", "reviewer"])
def test_schema_and_docs_are_open_to_everyone(api, request, persona):
    if persona:
        api.force_authenticate(request.getfixturevalue(persona))
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/claims/{id}/assign/" in json.loads(response.content)["paths"]
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    assert b"/api/v1/schema/" in response.content


# --- The error format, for failures the endpoint tests do not reach ---------------------------


def _handle(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data["error"]


def test_service_errors_map_to_their_status_and_code():
    assert _handle(WorkflowError("Nope.", code="source_required")) == (
        409,
        {"code": "source_required", "message": "Nope."},
    )
    assert _handle(NotAllowed("Editors only.")) == (403, {"code": "permission_denied", "message": "Editors only."})
    status, error = _handle(ObjectDoesNotExist())
    assert (status, error["code"]) == (404, "not_found")


def test_validation_errors_name_their_fields():
    status, error = _handle(ValidationError({"body": "Too long.", "__all__": "Broken."}))
    assert status == 400
    assert error["fields"] == {"body": ["Too long."], "non_field_errors": ["Broken."]}
    assert error["code"] == "invalid" and "body: Too long." in error["message"]
    assert _handle(ValidationError("Plain."))[1]["fields"] == {"non_field_errors": ["Plain."]}
    nested = exceptions.ValidationError({"sources": [{"url": ["Bad."]}, {}], "title": "Empty."})
    assert _handle(nested)[1]["fields"] == {"sources.0.url": ["Bad."], "title": ["Empty."]}


def test_drf_errors_use_the_api_codes():
    assert _handle(exceptions.NotAuthenticated())[1]["code"] == "not_authenticated"
    assert _handle(exceptions.AuthenticationFailed())[1]["code"] == "not_authenticated"
    assert _handle(exceptions.Throttled(wait=5)) == (
        429,
        {"code": "throttled", "message": "Request was throttled. Expected available in 5 seconds."},
    )
    assert _handle(exceptions.ParseError())[1]["code"] == "parse_error"
    assert _handle(exceptions.MethodNotAllowed("PATCH"))[1]["code"] == "method_not_allowed"
    assert exception_handler(RuntimeError("a bug"), {}) is None  # a 500, left to Django
