"""Workflow endpoints: the claim queue, claim actions, sources, rulings and the rating scale.

Each endpoint loads the object through a selector (404 when the user may not see it),
validates the input's shape, makes one service call and returns the fresh object. Who may do
what, and in which state, is decided by reviews/services.py and reviews/workflow.py.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from articles.models import Claim
from articles.selectors import claims_visible_to
from articles.serializers import ClaimSerializer
from factcheck.api import NEWSROOM, error_responses

from . import selectors, services
from .filters import ClaimFilter
from .models import Ruling, Source
from .serializers import (
    AssignSerializer,
    ClaimDetailSerializer,
    NoteSerializer,
    RatingSerializer,
    ReturnSerializer,
    RulingSerializer,
    RulingSubmitSerializer,
    SourceCreateSerializer,
    SourceSerializer,
)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _ruling_response(view, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    ruling = get_object_or_404(selectors.rulings_visible_to(view.request.user), pk=pk)
    return Response(RulingSerializer(ruling, context=view.get_serializer_context()).data, status=status_code)


_CLAIM_ACTION = {200: ClaimDetailSerializer, **error_responses(400, 404, 409)}
_RULING_ACTION = {200: RulingSerializer, **error_responses(400, 404, 409)}


class ClaimViewSet(viewsets.GenericViewSet):
    queryset = Claim.objects.none()  # names the model for the schema; requests read via the selectors
    serializer_class = ClaimSerializer
    permission_classes = NEWSROOM
    filterset_class = ClaimFilter
    lookup_value_regex = r"\d+"

    def _claim(self, pk) -> Claim:
        return get_object_or_404(claims_visible_to(self.request.user), pk=pk)

    def _detail(self, pk) -> Response:
        claim = selectors.claim_detail(user=self.request.user, pk=pk)
        return Response(ClaimDetailSerializer(claim, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="The claim queue, most check-worthy first",
        description="Editors see every claim; reviewers only the claims assigned to them.",
        responses={200: ClaimSerializer(many=True), **error_responses(400)},
    )
    def list(self, request):
        claims = self.filter_queryset(selectors.claim_queue(user=request.user))
        page = self.paginate_queryset(claims)
        return self.get_paginated_response(ClaimSerializer(page, many=True).data)

    @extend_schema(
        summary="A claim with its sources, rulings, history and your available actions",
        responses={200: ClaimDetailSerializer, **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(summary="Accept a claim for checking (editors)", request=NoteSerializer, responses=_CLAIM_ACTION)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        claim = self._claim(pk)
        services.claim_accept(claim=claim, actor=request.user, **_valid(NoteSerializer, request))
        return self._detail(pk)

    @extend_schema(
        summary="Reject a claim as not worth checking (editors)", request=NoteSerializer, responses=_CLAIM_ACTION
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        claim = self._claim(pk)
        services.claim_reject(claim=claim, actor=request.user, **_valid(NoteSerializer, request))
        return self._detail(pk)

    @extend_schema(summary="Assign a claim to a reviewer (editors)", request=AssignSerializer, responses=_CLAIM_ACTION)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        claim = self._claim(pk)
        services.claim_assign(claim=claim, actor=request.user, **_valid(AssignSerializer, request))
        return self._detail(pk)

    @extend_schema(
        methods=["GET"],
        summary="A claim's sources",
        responses={200: SourceSerializer(many=True), **error_responses(404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a source (the assigned reviewer or an editor)",
        request=SourceCreateSerializer,
        responses={201: SourceSerializer, **error_responses(400, 404, 409)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def sources(self, request, pk=None):
        claim = self._claim(pk)
        if request.method == "GET":
            return Response(SourceSerializer(selectors.claim_sources(claim=claim), many=True).data)
        source = services.source_add(claim=claim, actor=request.user, **_valid(SourceCreateSerializer, request))
        return Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Submit a ruling (the assigned reviewer)",
        description="Needs at least one source first (409 `source_required`).",
        request=RulingSubmitSerializer,
        responses={201: RulingSerializer, **error_responses(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def ruling(self, request, pk=None):
        claim = self._claim(pk)
        ruling = services.ruling_submit(claim=claim, actor=request.user, **_valid(RulingSubmitSerializer, request))
        return _ruling_response(self, ruling.pk, status_code=status.HTTP_201_CREATED)


class SourceViewSet(viewsets.GenericViewSet):
    queryset = Source.objects.none()
    permission_classes = NEWSROOM
    lookup_value_regex = r"\d+"

    @extend_schema(
        summary="Remove a source (the assigned reviewer or an editor)",
        responses={204: None, **error_responses(404, 409)},
    )
    def destroy(self, request, pk=None):
        source = get_object_or_404(selectors.sources_visible_to(request.user), pk=pk)
        services.source_remove(source=source, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RulingViewSet(viewsets.GenericViewSet):
    queryset = Ruling.objects.none()
    serializer_class = RulingSerializer
    permission_classes = NEWSROOM
    lookup_value_regex = r"\d+"

    def _ruling(self, pk) -> Ruling:
        return get_object_or_404(selectors.rulings_visible_to(self.request.user), pk=pk)

    @extend_schema(
        summary="A ruling, with ClaimReview markup once published",
        responses={200: RulingSerializer, **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return _ruling_response(self, pk)

    @extend_schema(
        summary="Approve a submitted ruling (an editor other than its reviewer)",
        request=NoteSerializer,
        responses=_RULING_ACTION,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        ruling = self._ruling(pk)
        services.ruling_approve(ruling=ruling, actor=request.user, **_valid(NoteSerializer, request))
        return _ruling_response(self, pk)

    @extend_schema(
        summary="Return a submitted ruling to its reviewer (editors)",
        request=ReturnSerializer,
        responses=_RULING_ACTION,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_to_reviewer(self, request, pk=None):
        ruling = self._ruling(pk)
        services.ruling_return(ruling=ruling, actor=request.user, **_valid(ReturnSerializer, request))
        return _ruling_response(self, pk)

    @extend_schema(summary="Publish an approved ruling (editors)", request=None, responses=_RULING_ACTION)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        services.ruling_publish(ruling=self._ruling(pk), actor=request.user)
        return _ruling_response(self, pk)


class RatingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = RatingSerializer
    permission_classes = NEWSROOM
    pagination_class = None

    def get_queryset(self):
        return selectors.active_ratings()

    @extend_schema(summary="The rating scale", responses={200: RatingSerializer(many=True), **error_responses()})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
