"""Article endpoints: thin adapters from JSON to the article services and selectors.

Submissions may carry an ``Idempotency-Key`` header: a retry with the same key (same user,
within 24 hours) gets the first response again instead of creating a second article. Edits
use the article's ``version`` (or ``If-Match``) like claims do."""

import hashlib
import io
import json

from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

# The project's JSON parser: a clear 400 for deep nesting, 1e400 and lone surrogates (not a 500).
from factcheck.api import EDITORS, NEWSROOM, ErrorSerializer, error_responses
from factcheck.parsers import JSONParser
from reviews import selectors as review_selectors
from reviews.api import ETAG, VERSIONED, _if_match
from reviews.serializers import ClaimDetailSerializer
from reviews.services import claim_add

from . import selectors, services
from .filters import ArticleFilter, Pagination
from .forms import import_max_bytes
from .importing import articles_import
from .models import Article
from .serializers import (
    ArticleCreateSerializer,
    ArticleDetailSerializer,
    ArticleImportReportSerializer,
    ArticleImportSerializer,
    ArticleListSerializer,
    ArticleUpdateSerializer,
    ClaimSpanSerializer,
)

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "Up to 255 printable ASCII characters, unique per submission (a UUID). A retry with the same key "
        "and body within 24 hours returns the first response (with `Idempotent-Replayed: true`) and "
        "creates nothing; the same key with another body is a 422 `idempotency_key_reused`."
    ),
)
KEY_REUSED = OpenApiResponse(
    ErrorSerializer, description="The Idempotency-Key was used for a different request (code `idempotency_key_reused`)."
)


def _idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not key or len(key) > 255 or not all(" " <= ch <= "~" for ch in key):
        raise exceptions.ValidationError(
            {"Idempotency-Key": ["Send 1 to 255 printable ASCII characters, e.g. a UUID."]}
        )
    return key


class ImportParser(JSONParser):
    """JSON of at most ``import_max_bytes()``, refused before it is parsed when it says (or
    turns out) to be larger: DRF's JSONParser would read and parse whatever it is sent."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = import_max_bytes()
        too_big = exceptions.ParseError(
            f"The body is larger than {filesizeformat(limit)}; send fewer articles per request."
        )
        length = parser_context["request"].META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > limit:
            raise too_big
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise too_big
        return super().parse(io.BytesIO(data), media_type, parser_context)


def _fingerprint(data) -> str:
    """The request body, canonically: key order and JSON spacing do not make a new request."""
    if hasattr(data, "lists"):  # a form-encoded QueryDict
        data = dict(data.lists())
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class ArticleViewSet(viewsets.GenericViewSet):
    queryset = Article.objects.none()  # names the model for the schema; requests read via the selectors
    serializer_class = ArticleDetailSerializer
    permission_classes = NEWSROOM
    filterset_class = ArticleFilter
    pagination_class = Pagination
    lookup_value_regex = r"\d+"

    def _detail(self, pk: int) -> dict:
        article = selectors.article_detail(user=self.request.user, pk=pk)
        return ArticleDetailSerializer(article, context=self.get_serializer_context()).data

    def _response(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        data = self._detail(pk)
        response = Response(data, status=status_code)
        response["ETag"] = f'"{data["version"]}"'
        return response

    @extend_schema(
        summary="List articles, newest first",
        description="Bodies are not included; `claim_count` counts the article's claims.",
        responses={200: ArticleListSerializer(many=True), **error_responses(400, 404)},
    )
    def list(self, request):
        articles = self.filter_queryset(selectors.article_list(user=request.user))
        page = self.paginate_queryset(articles)
        return self.get_paginated_response(ArticleListSerializer(page, many=True).data)

    @extend_schema(
        summary="Submit an article (editors)",
        description=(
            "Stores the article and, unless `extract` is false, queues claim extraction. "
            "Send an `Idempotency-Key` so that a retry cannot create the article twice."
        ),
        request=ArticleCreateSerializer,
        parameters=[IDEMPOTENCY_KEY, ETAG],
        responses={201: ArticleDetailSerializer, **error_responses(400), 422: KEY_REUSED},
    )
    def create(self, request):
        key = _idempotency_key(request)
        serializer = ArticleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if key is None:
            article = services.article_create(submitted_by=request.user, **serializer.validated_data)
            return self._response(article.pk, status.HTTP_201_CREATED)
        stored = services.article_create_idempotent(
            submitted_by=request.user,
            key=key,
            fingerprint=_fingerprint(request.data),
            render=lambda article: self._detail(article.pk),
            **serializer.validated_data,
        )
        response = Response(stored.body, status=stored.status)
        response["ETag"] = f'"{stored.body["version"]}"'
        if stored.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    @extend_schema(
        summary="An article with its body and claims",
        parameters=[ETAG],
        responses={200: ArticleDetailSerializer, **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return self._response(pk)

    @extend_schema(
        summary="Edit an article's text or details (editors)",
        description=(
            "Only the fields sent change. A new body re-queues extraction: claims nobody has worked on follow "
            "the text, claims with editorial work are kept (marked `stale` if their text is gone)."
        ),
        request=ArticleUpdateSerializer,
        parameters=VERSIONED,
        responses={200: ArticleDetailSerializer, **error_responses(400, 404, 409)},
    )
    def partial_update(self, request, pk=None):
        article = get_object_or_404(selectors.articles_visible_to(request.user).only("pk"), pk=pk)
        serializer = ArticleUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version", None)
        expected = version if version is not None else _if_match(request)
        services.article_update(article=article, actor=request.user, expected_version=expected, **changes)
        return self._response(article.pk)

    @extend_schema(
        summary="Queue the article for (re-)extraction (editors)",
        description="Existing claims are kept; new spans are added when the worker has run.",
        request=None,
        responses={202: ArticleDetailSerializer, **error_responses(404)},
    )
    @action(detail=True, methods=["post"])
    def extract(self, request, pk=None):
        article = get_object_or_404(selectors.articles_visible_to(request.user), pk=pk)
        services.article_request_extraction(article=article, actor=request.user)
        return self._response(article.pk, status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Add a claim the pipeline missed (editors)",
        description=(
            "Send `start` and `end` (offsets into the article body, in code points), or the claim's `text` "
            "exactly as in the article (it must occur once), or both (then the text must be what the offsets "
            "point at). The span is trimmed of whitespace, may not overlap another claim (400), and is scored "
            "like the claims the worker finds. The new claim is a candidate."
        ),
        request=ClaimSpanSerializer,
        parameters=[ETAG],
        responses={201: ClaimDetailSerializer, **error_responses(400, 404)},
    )
    @action(detail=True, methods=["post"], url_path="claims", url_name="claims")
    def add_claim(self, request, pk=None):
        article = get_object_or_404(selectors.articles_visible_to(request.user).only("pk"), pk=pk)
        serializer = ClaimSpanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = claim_add(article=article, actor=request.user, **serializer.validated_data)
        claim = review_selectors.claim_detail_with_comments(user=request.user, pk=claim.pk)
        data = ClaimDetailSerializer(claim, context=self.get_serializer_context()).data
        response = Response(data, status=status.HTTP_201_CREATED)
        response["ETag"] = f'"{claim.version}"'
        return response

    @extend_schema(
        operation_id="articles_import",
        summary="Import many articles at once (editors)",
        description=(
            "Up to 1,000 articles per request, in a body of at most 20 MB (`ARTICLE_IMPORT_MAX_BYTES`). Each "
            "row is checked by the rules of POST /articles/; a bad row is listed in `errors` (by its position, "
            "from 1) and the others are still stored. A row whose `source_url` is already stored is listed in "
            "`skipped`, so a retried import creates no duplicates. 201 when articles were created, 200 when "
            "none were; 400 only when the body is not an object with an `articles` list."
        ),
        request=ArticleImportSerializer,
        responses={
            201: ArticleImportReportSerializer,
            200: ArticleImportReportSerializer,
            **error_responses(400),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        permission_classes=EDITORS,
        parser_classes=[ImportParser],
    )
    def import_(self, request):
        serializer = ArticleImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = ((str(number), row) for number, row in enumerate(serializer.validated_data["articles"], start=1))
        report = articles_import(rows, submitted_by=request.user, extract=serializer.validated_data["extract"])
        body = {
            "created": report.created,
            "article_ids": report.article_ids,
            "skipped": [{"row": int(row), "reason": reason} for row, reason in report.skipped],
            "errors": [{"row": int(row), "message": message} for row, message in report.errors],
        }
        return Response(body, status=status.HTTP_201_CREATED if report.created else status.HTTP_200_OK)
