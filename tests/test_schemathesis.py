"""Schemathesis against the live OpenAPI schema: every operation of /api/v1/, with generated
valid and invalid input, sent as an editor with an API token; every response must pass
Schemathesis' default checks: no server error, and the status code, content type, headers and
body that the schema documents (also without the token, and for methods it does not list).

The schema is the one the app serves (GET /api/v1/schema/), and requests go through the
WSGI application in-process, in the test's database transaction. Each operation is its own
test, with a desk to work on (an extracted article, claims in several states, a published
ruling, a webhook, a known fact-check) created by the ``desk`` fixture; half of the valid
generated ids are replaced by a real object's, so that the operations do not only meet 404s.

``SCHEMATHESIS_MAX_EXAMPLES`` generated requests per operation (default 25: about 30 s of CPU
in all); raise it, and add the coverage phase (below), to search harder.
"""

import os
import zlib
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation

from articles import services as article_services
from factcheck.tokens import token_create
from factcheck.webhooks.services import endpoint_create
from factcheck.wsgi import application
from reviews import services
from reviews.models import KnownFactCheck, Rating
from reviews.services.known_factchecks import known_factchecks_import

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))


@pytest.fixture(scope="module", autouse=True)
def _keep_test_transaction():
    """The WSGI handler closes the database connection at the end of each request; inside the
    test's transaction that would throw the test's data away. Django's test client switches
    this off the same way while it runs a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
# The token is sent by the test itself (it exists only inside the test's transaction), so
# Schemathesis should not generate Authorization headers or session cookies of its own.
schema.config.generation.update(with_security_parameters=False, database="none")
# Generated examples only, a bounded number per operation. The "coverage" phase (boundary
# values of every field, about 100 requests per operation, three times the run time) is for
# a deeper local search: SCHEMATHESIS_PHASES=examples,coverage,fuzzing.
schema.config.phases.update(phases=os.environ.get("SCHEMATHESIS_PHASES", "examples,fuzzing").split(","))

# Left out of the default checks, both about what the *schema* can express rather than what the
# server does: the content rules (an article body with text in it, an http(s) URL, a reviewer
# id that is a reviewer's) run in the services and refuse some schema-valid input with a 400
# (positive_data_acceptance); and list endpoints follow DRF and django-filter in ignoring an
# empty filter (`?outlet=`) or a malformed `page_size` rather than refusing them
# (negative_data_rejection). Invalid input is still generated and sent, so every refusal is
# checked for its status, content type and error body.
EXCLUDED_CHECKS = [checks.positive_data_acceptance, checks.negative_data_rejection]


@dataclass
class Desk:
    token: str
    ids: dict[str, int]


ARTICLE = (
    "Unemployment fell to 4.1% last year, the lowest level since 2008, the labour minister said on Monday.\n"
    '"We created 120,000 jobs in twelve months," Jane Smith told reporters in the capital.\n'
    "The opposition said the figures hide a rise in part-time work.\n"
)


@pytest.fixture
def desk(editor, editor2, reviewer, other_reviewer) -> Desk:
    article = article_services.article_create(
        submitted_by=editor, title="Jobs", body=ARTICLE, source_url="https://example.org/jobs", extract=False
    )
    article_services.article_request_extraction(article=article, actor=editor)
    article_services.article_extract(article_id=article.pk)
    first, second, *_ = article.claims.order_by("start")
    endpoint = endpoint_create(actor=editor, url="https://hooks.example.org/in", events=["*"])
    services.claim_accept(claim=first, actor=editor)
    services.claim_assign(claim=first, actor=editor, reviewer=reviewer)
    source = services.source_add(claim=first, actor=reviewer, title="Statistics", url="https://stats.example.org/")
    ruling = services.ruling_submit(
        claim=first, actor=reviewer, rating=Rating.objects.get(slug="mostly-true"), summary="S", explanation="E"
    )
    services.ruling_approve(ruling=ruling, actor=editor2)
    services.ruling_publish(ruling=ruling, actor=editor2)
    services.claim_accept(claim=second, actor=editor)
    services.comment_add(claim=second, actor=editor, body="Worth a look.")
    delivery = endpoint.deliveries.first()
    spare_token = token_create(user=editor, name="spare", actor=editor)[0]
    known_factchecks_import(
        data={
            "@type": "ClaimReview",
            "url": "https://checker.example.net/1",
            "claimReviewed": "A claim.",
            "reviewRating": {"@type": "Rating", "alternateName": "False"},
            "author": {"@type": "Organization", "name": "Checker"},
        },
        source="api",
        actor=editor,
    )
    token = token_create(user=editor, name="schemathesis", actor=editor)[1]
    known = KnownFactCheck.objects.get()
    ids = {
        "articles": article.pk,
        "claims": second.pk,
        "rulings": ruling.pk,
        "claimreview": ruling.pk,
        "sources": source.pk,
        "webhooks": endpoint.pk,
        "webhook-deliveries": delivery.pk,
        "tokens": spare_token.pk,
        "known-fact-checks": known.pk,
    }
    return Desk(token=token, ids=ids)


def _use_real_ids(case, desk: Desk) -> None:
    """Every other valid generated id becomes a real object's (of the resource in the path)."""
    if "id" not in (case.path_parameters or {}):
        return
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH):
        return  # an id that breaks the schema on purpose stays as it is
    resource = case.path.removeprefix("/api/v1/").split("/")[0]
    generated = case.path_parameters["id"]
    if resource in desk.ids and zlib.crc32(repr(generated).encode()) % 2 == 0:
        case.path_parameters["id"] = str(desk.ids[resource])


# Failures found by this test and reported, in files another change owns; each entry says what
# is wrong. The test expects them (xfail) and fails on anything else; remove an entry when fixed.
KNOWN_SCHEMA_ERRORS: dict[str, str] = {}
KNOWN_SERVER_ERRORS: dict[str, str] = {}


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_api_operation(case, desk):
    _use_real_ids(case, desk)
    headers = {"Authorization": f"Bearer {desk.token}"}
    response = case.call(headers=headers)
    try:  # what case.call_and_validate() does, keeping the response for the known failures below
        case.validate_response(
            response, excluded_checks=EXCLUDED_CHECKS, headers=headers, transport_kwargs={"headers": dict(headers)}
        )
    except FailureGroup:
        label = case.operation.label
        if label in KNOWN_SCHEMA_ERRORS:
            pytest.xfail(KNOWN_SCHEMA_ERRORS[label])
        if label in KNOWN_SERVER_ERRORS and response.status_code >= 500:
            pytest.xfail(KNOWN_SERVER_ERRORS[label])
        raise
