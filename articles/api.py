"""Article endpoints: thin adapters from JSON to the article services and selectors."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from factcheck.api import NEWSROOM, error_responses

from . import selectors, services
from .models import Article
from .serializers import ArticleCreateSerializer, ArticleDetailSerializer, ArticleListSerializer


class ArticleViewSet(viewsets.GenericViewSet):
    queryset = Article.objects.none()  # names the model for the schema; requests read via the selectors
    serializer_class = ArticleDetailSerializer
    permission_classes = NEWSROOM
    lookup_value_regex = r"\d+"

    def _detail(self, pk: int) -> dict:
        article = selectors.article_detail(user=self.request.user, pk=pk)
        return ArticleDetailSerializer(article, context=self.get_serializer_context()).data

    @extend_schema(
        summary="List articles, newest first",
        description="Bodies are not included; `claim_count` counts the article's claims.",
        responses={200: ArticleListSerializer(many=True), **error_responses()},
    )
    def list(self, request):
        page = self.paginate_queryset(selectors.article_list(user=request.user))
        return self.get_paginated_response(ArticleListSerializer(page, many=True).data)

    @extend_schema(
        summary="Submit an article (editors)",
        description="Stores the article and, unless `extract` is false, queues claim extraction.",
        request=ArticleCreateSerializer,
        responses={201: ArticleDetailSerializer, **error_responses(400)},
    )
    def create(self, request):
        serializer = ArticleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        article = services.article_create(submitted_by=request.user, **serializer.validated_data)
        return Response(self._detail(article.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="An article with its body and claims",
        responses={200: ArticleDetailSerializer, **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return Response(self._detail(pk))

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
        return Response(self._detail(article.pk), status=status.HTTP_202_ACCEPTED)
