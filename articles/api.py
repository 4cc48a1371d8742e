"""Article endpoints: thin adapters from JSON to the article services and selectors.

Submissions may carry an ``Idempotency-Key`` header: a retry with the same key (same user,
within 24 hours) gets the first response again instead of creating a second article. Edits
use the article's ``version`` (or ``If-Match``) like claims do."""

import hashlib
import json

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from factcheck.api import NEWSROOM, ErrorSerializer, error_responses
from reviews.api import ETAG, VERSIONED, _if_match

from . import selectors, services
from .filters import ArticleFilter, Pagination
from .models import Article
from .serializers import (
    ArticleCreateSerializer,
    ArticleDetailSerializer,
    ArticleListSerializer,
    ArticleUpdateSerializer,
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
