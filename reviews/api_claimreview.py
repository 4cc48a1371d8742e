"""ClaimReview endpoints: our published fact-checks as a feed (public), and the library of
other organisations' fact-checks imported from their ClaimReview markup (newsroom).

- GET /api/v1/claimreview/feed/: every published ruling, newest first, as a schema.org
  DataFeed (the shape of Google's Fact Check Markup Tool feed). No login: it is the published
  record. Cursor-paginated: the next and previous pages are in the ``Link`` header
  (``rel="next"``, ``rel="prev"``), so that the body stays a plain DataFeed. A corrected
  fact-check appears once, as its current version, carrying the correction.
- GET /api/v1/claimreview/{ruling_id}/: one published ruling's ClaimReview.
- /api/v1/known-fact-checks/: the library (editors and reviewers), ``import/`` (editors).

The ClaimReview endpoints answer ``application/ld+json`` (``application/json`` when the client
asks for it with ``Accept``); errors have the API's one error shape in the same content type.
"""

import django_filters
from django.db.models import Max
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import BaseParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.filters import Pagination, StableFilterSet
from factcheck.api import EDITORS, NEWSROOM, ErrorSerializer, OptionalURLField, error_responses

from . import known, selectors, services
from .claimreview import claimreview, claimreview_feed, rating_bounds
from .known_selectors import known_factchecks, known_search
from .models import KnownFactCheck, Ruling

# --- Rendering and parsing JSON-LD ------------------------------------------------------------


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


LD_RENDERERS = [JSONLDRenderer, JSONRenderer]  # the first is the default


class ClaimReviewParser(BaseParser):
    """A JSON document of at most known.MAX_BYTES, refused before it is read if it says it is
    larger. (DRF's own JSONParser reads the whole stream, whatever its size.)"""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        request = parser_context["request"]
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > known.MAX_BYTES:
            raise exceptions.ParseError(f"The body is larger than {known.MAX_BYTES // (1024 * 1024)} MB.")
        data = stream.read(known.MAX_BYTES + 1) if stream is not None else b""
        try:
            return known.load_json(data)
        except known.MarkupError as exc:
            raise exceptions.ParseError(exc.messages[0]) from None


class ClaimReviewLDParser(ClaimReviewParser):
    media_type = "application/ld+json"


# --- The feed ----------------------------------------------------------------------------------


class FeedPagination(CursorPagination):
    """Cursors, not page numbers: a fact-check published while a client pages through the
    feed does not shift every later page by one."""

    ordering = ("-published_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _link_header(paginator: FeedPagination) -> str:
    links = [(paginator.get_next_link(), "next"), (paginator.get_previous_link(), "prev")]
    return ", ".join(f'<{url}>; rel="{rel}"' for url, rel in links if url)


_LINK = OpenApiParameter(
    "Link",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description='The next and previous pages, if any: `<https://...?cursor=...>; rel="next"`.',
)
_DATAFEED = {
    "type": "object",
    "description": "A schema.org DataFeed of ClaimReviews.",
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {"type": "string", "enum": ["DataFeed"]},
        "dateModified": {"type": "string", "format": "date-time", "description": "The newest publication."},
        "dataFeedElement": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "@type": {"type": "string", "enum": ["DataFeedItem"]},
                    "dateCreated": {"type": "string", "format": "date-time"},
                    "url": {"type": "string", "format": "uri"},
                    "item": {"type": "array", "items": {"type": "object", "description": "A ClaimReview."}},
                },
            },
        },
    },
    "required": ["@context", "@type", "dataFeedElement"],
}
_CLAIMREVIEW = {
    "type": "object",
    "description": "schema.org ClaimReview JSON-LD, with Google's documented fields.",
    "additionalProperties": True,
}


def _public_errors(not_found: str) -> dict:
    descriptions = {
        401: "A token was sent but is unknown, revoked or expired (code `not_authenticated`); send none.",
        404: not_found,
        429: "Too many requests from this address (code `throttled`).",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=text) for code, text in descriptions.items()}


class ClaimReviewFeedView(APIView):
    permission_classes = [permissions.AllowAny]
    renderer_classes = LD_RENDERERS

    @extend_schema(
        operation_id="claimreview_feed",
        summary="Every published fact-check as ClaimReview, newest first (public)",
        description=(
            "A schema.org DataFeed of our published rulings, in the shape of Google's Fact Check Markup "
            'Tool feed. No authentication. Cursor-paginated: follow the `Link` header\'s `rel="next"`. '
            "Answers `application/ld+json`, or `application/json` if asked for."
        ),
        parameters=[
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From the `Link` header of the previous page."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Items per page (default 50, at most 200)."),
            _LINK,
        ],
        responses={200: OpenApiResponse(_DATAFEED), **_public_errors("An invalid `cursor` (code `not_found`).")},
    )
    def get(self, request):
        paginator = FeedPagination()
        page = paginator.paginate_queryset(selectors.published_rulings(), request, view=self)
        newest = Ruling.objects.filter(status=Ruling.Status.PUBLISHED).aggregate(newest=Max("published_at"))
        body = claimreview_feed(page, date_modified=newest["newest"], bounds=rating_bounds())
        response = Response(body)
        if link := _link_header(paginator):
            response["Link"] = link
        return response


class ClaimReviewDetailView(APIView):
    permission_classes = [permissions.AllowAny]
    renderer_classes = LD_RENDERERS

    @extend_schema(
        operation_id="claimreview_retrieve",
        summary="One published fact-check's ClaimReview (public)",
        description=(
            "The JSON-LD of the public fact-check page. 404 for a ruling that is not published; a corrected "
            "one is 404 too, and its message names the current version."
        ),
        responses={
            200: OpenApiResponse(_CLAIMREVIEW),
            **_public_errors("No published fact-check with this id (code `not_found`)."),
        },
    )
    def get(self, request, pk: int):
        try:
            ruling = selectors.published_rulings().get(pk=pk)
        except Ruling.DoesNotExist:
            current = selectors.current_version_of(pk=pk)
            hint = f" It was corrected: see /api/v1/claimreview/{current.pk}/." if current else ""
            raise exceptions.NotFound(f"No published fact-check with this id.{hint}") from None
        return Response(claimreview(ruling))


# --- The library of known fact-checks ----------------------------------------------------------


class KnownFactCheckSerializer(serializers.ModelSerializer):
    publisher_url = OptionalURLField()
    appearance_url = OptionalURLField()

    imported_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = KnownFactCheck
        fields = (
            "id",
            "review_url",
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
            "source",
            "source_name",
            "imported_at",
            "imported_by",
        )
        read_only_fields = fields


class KnownFactCheckDetailSerializer(KnownFactCheckSerializer):
    raw = serializers.JSONField(read_only=True, help_text="The ClaimReview as imported.")

    class Meta(KnownFactCheckSerializer.Meta):
        fields = (*KnownFactCheckSerializer.Meta.fields, "raw")
        read_only_fields = fields


class _ItemReportSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's position among the document's ClaimReviews, from 0.")
    path = serializers.CharField(help_text="Where it is in the document, e.g. `dataFeedElement[3].item[0]`.")
    url = serializers.CharField()
    messages = serializers.ListField(child=serializers.CharField())


class ImportReportSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField(help_text="Already in the library with the same content: skipped.")
    ignored = serializers.IntegerField(help_text="Nodes of a page's @graph that are not ClaimReviews.")
    rejected = _ItemReportSerializer(many=True, help_text="Items not imported, with the reasons.")
    warnings = _ItemReportSerializer(many=True, help_text="Items imported with some fields dropped.")
    duplicates = _ItemReportSerializer(many=True, help_text="Items with the URL of an earlier item: skipped.")


class KnownFactCheckFilter(StableFilterSet):
    q = django_filters.CharFilter(
        method="search", help_text="Words in the claim, the claimant or the publisher (all of them)."
    )
    publisher = django_filters.CharFilter(
        field_name="publisher_name", lookup_expr="iexact", help_text="The publisher's name (case-insensitive)."
    )
    rating = django_filters.CharFilter(
        field_name="rating_name", lookup_expr="iexact", help_text="The rating's name (case-insensitive)."
    )

    class Meta:
        model = KnownFactCheck
        fields = ["q", "publisher", "rating"]

    def search(self, queryset, name, value):
        return known_search(queryset, value)


class KnownFactCheckViewSet(viewsets.GenericViewSet):
    queryset = KnownFactCheck.objects.none()  # names the model for the schema
    serializer_class = KnownFactCheckSerializer
    permission_classes = NEWSROOM
    filterset_class = KnownFactCheckFilter
    pagination_class = Pagination
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return known_factchecks()

    @extend_schema(
        summary="Other organisations' fact-checks, newest first (newsroom)",
        responses={200: KnownFactCheckSerializer(many=True), **error_responses(400)},
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(KnownFactCheckSerializer(page, many=True).data)

    @extend_schema(
        summary="One known fact-check, with its ClaimReview as imported (newsroom)",
        responses={200: KnownFactCheckDetailSerializer, **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        row = get_object_or_404(KnownFactCheck.objects.select_related("imported_by"), pk=pk)
        return Response(KnownFactCheckDetailSerializer(row).data)

    @extend_schema(
        operation_id="known_fact_checks_import",
        summary="Import ClaimReview markup into the library (editors)",
        description=(
            "The body is JSON (`application/json` or `application/ld+json`, at most 5 MB, at most 10,000 "
            "ClaimReviews): one ClaimReview, a list of them, a DataFeed, or a page's JSON-LD with an `@graph`. "
            "Items are recognised by their `url`, normalised; a known one is updated, or counted as unchanged. "
            "Bad items are reported by index and path while the good ones are imported; if no item is "
            "usable, the answer is 400 and nothing is written."
        ),
        request={"application/json": OpenApiTypes.OBJECT, "application/ld+json": OpenApiTypes.OBJECT},
        responses={200: ImportReportSerializer, **error_responses(400)},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        permission_classes=EDITORS,
        parser_classes=[ClaimReviewParser, ClaimReviewLDParser],
    )
    def import_(self, request):
        report = services.known_factchecks_import(
            data=request.data, source=KnownFactCheck.Source.API, actor=request.user
        )
        return Response(ImportReportSerializer(report.as_dict()).data, status=status.HTTP_200_OK)
