"""Workflow endpoints: the claim queue, claim actions, bulk and auto-assignment, sources,
rulings, comments, the audit trail, reviewers' workloads and the rating scale.

Each endpoint loads the object through a selector (404 when the user may not see it),
validates the input's shape, makes one service call and returns the fresh object. Who may do
what, and in which state, is decided by reviews/services/ and reviews/workflow.py.

Optimistic concurrency: claim and ruling responses carry ``version`` and ``ETag: "<version>"``;
writes accept the version the client last read, as a ``version`` field or an ``If-Match``
header, and a stale one is refused with 409 ``conflict``.
"""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from articles.filters import OneQueryPagination, Pagination
from articles.models import Claim
from articles.selectors import claims_visible_to
from factcheck.api import EDITORS, NEWSROOM, error_responses

from . import selectors, services
from .filters import NOT_FILTERS, ClaimFilter, ClaimFilterBackend, CommentFilter, EventFilter
from .models import Comment, Event, Ruling, Source
from .serializers import (
    AssignSerializer,
    AuditEventSerializer,
    AutoAssignResultSerializer,
    BulkAssignResultSerializer,
    BulkAssignSerializer,
    ClaimDetailSerializer,
    ClaimIdsSerializer,
    ClaimRecutSerializer,
    ClaimUpdateSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    CorrectionSerializer,
    MergeSerializer,
    NoteSerializer,
    QueueClaimSerializer,
    RatingSerializer,
    ReturnSerializer,
    ReviewerLoadSerializer,
    RulingSerializer,
    RulingSubmitSerializer,
    SourceCreateSerializer,
    SourceSerializer,
    SourceUpdateSerializer,
    VersionSerializer,
)
from .services.assignment import reviewer_loads

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The version you last read, as its ETag (`"7"`); the `version` field wins if both are sent.',
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description='The version of the returned claim or ruling, quoted: `"7"`.',
)
VERSIONED = [IF_MATCH, ETAG]


def _if_match(request) -> int | None:
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise exceptions.ValidationError({"If-Match": ['Send the version you last read, as in its ETag: "7".']})
    return int(value)


def _valid(serializer_class, view, **kwargs) -> dict:
    """The request's validated input; a ``version`` field (or the If-Match header) becomes
    ``expected_version``, the services' name for it."""
    serializer = serializer_class(data=view.request.data, context=view.get_serializer_context(), **kwargs)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    if "version" in serializer.fields:
        version = data.pop("version", None)
        data["expected_version"] = version if version is not None else _if_match(view.request)
    return data


def _etag(response: Response, obj) -> Response:
    response["ETag"] = f'"{obj.version}"'
    return response


def _ruling_response(view, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    ruling = get_object_or_404(selectors.rulings_visible_to(view.request.user), pk=pk)
    data = RulingSerializer(ruling, context=view.get_serializer_context()).data
    return _etag(Response(data, status=status_code), ruling)


def _refused(claim_id: int, code: str, message: str) -> dict:
    return {"claim": claim_id, "code": code, "message": message}


def _bulk_claims(user, ids: list[int]) -> tuple[list[Claim], list[dict]]:
    """The requested claims the user may see, in request order, and a refusal for each other id."""
    ids = list(dict.fromkeys(ids))
    found = {claim.pk: claim for claim in claims_visible_to(user).filter(pk__in=ids)}
    missing = [_refused(pk, "not_found", "No such claim, or not visible to you.") for pk in ids if pk not in found]
    return [found[pk] for pk in ids if pk in found], missing


def _service_refusals(refused) -> list[dict]:
    # BulkResult keeps the refusal's message; its code, where the service provides one.
    return [
        _refused(claim.pk, getattr(reason, "code", "invalid_transition"), getattr(reason, "message", str(reason)))
        for claim, reason in refused
    ]


_CLAIM_ACTION = {200: ClaimDetailSerializer, **error_responses(400, 404, 409)}
_RULING_ACTION = {200: RulingSerializer, **error_responses(400, 404, 409)}
_BULK = error_responses(400)


class ClaimViewSet(viewsets.GenericViewSet):
    queryset = Claim.objects.none()  # names the model for the schema; requests read via the selectors
    serializer_class = QueueClaimSerializer
    permission_classes = NEWSROOM
    filter_backends = [ClaimFilterBackend]
    filterset_class = ClaimFilter
    pagination_class = OneQueryPagination
    lookup_value_regex = r"\d+"

    def _claim(self, pk) -> Claim:
        return get_object_or_404(claims_visible_to(self.request.user), pk=pk)

    def page_sql_key(self, request) -> tuple | None:
        """What the list page's SQL depends on when the query names no filter (OneQueryPagination)."""
        if request.query_params.keys() <= NOT_FILTERS:
            return selectors.claim_list_sql_key(request.user)
        return None

    def _detail(self, pk) -> Response:
        claim = selectors.claim_detail_with_comments(user=self.request.user, pk=pk)
        return _etag(Response(ClaimDetailSerializer(claim, context=self.get_serializer_context()).data), claim)

    @extend_schema(
        summary="The claim queue, most check-worthy first",
        description="Editors see every claim; reviewers only the claims assigned to them.",
        responses={200: QueueClaimSerializer(many=True), **error_responses(400, 404)},
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(selectors.claim_list(user=request.user)))
        return self.get_paginated_response(
            QueueClaimSerializer(page, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="A claim with its sources, rulings, history, comments and your available actions",
        parameters=[ETAG],
        responses={200: ClaimDetailSerializer, **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        summary="Change a claim's priority or due date (editors)",
        description="Only the fields sent change; `due_date: null` clears the due date.",
        request=ClaimUpdateSerializer,
        parameters=VERSIONED,
        responses=_CLAIM_ACTION,
    )
    def partial_update(self, request, pk=None):
        claim = self._claim(pk)
        services.claim_update(claim=claim, actor=request.user, **_valid(ClaimUpdateSerializer, self))
        return self._detail(pk)

    @extend_schema(
        summary="Accept a claim for checking (editors)",
        request=NoteSerializer,
        parameters=VERSIONED,
        responses=_CLAIM_ACTION,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        claim = self._claim(pk)
        services.claim_accept(claim=claim, actor=request.user, **_valid(NoteSerializer, self))
        return self._detail(pk)

    @extend_schema(
        summary="Reject a claim as not worth checking (editors)",
        request=NoteSerializer,
        parameters=VERSIONED,
        responses=_CLAIM_ACTION,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        claim = self._claim(pk)
        services.claim_reject(claim=claim, actor=request.user, **_valid(NoteSerializer, self))
        return self._detail(pk)

    @extend_schema(
        summary="Merge a duplicate into another claim (editors)",
        description="The duplicate keeps its row and history, with `merged_into` pointing at the other claim.",
        request=MergeSerializer,
        parameters=VERSIONED,
        responses=_CLAIM_ACTION,
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        claim = self._claim(pk)
        services.claim_merge(claim=claim, actor=request.user, **_valid(MergeSerializer, self))
        return self._detail(pk)

    @extend_schema(
        summary="Move a claim's boundaries, or correct its text (editors)",
        description=(
            "Send `start` and `end` (offsets into the article body, in code points), or the claim's `text` exactly "
            "as in the article (the occurrence nearest the claim is used), or both. The span is trimmed of "
            "whitespace, may not overlap another claim (400) and is re-scored. Refused with 409 "
            "`invalid_transition` once a reviewer has the claim or its text is gone from the article."
        ),
        request=ClaimRecutSerializer,
        parameters=VERSIONED,
        responses=_CLAIM_ACTION,
    )
    @action(detail=True, methods=["post"])
    def recut(self, request, pk=None):
        claim = self._claim(pk)
        services.claim_recut(claim=claim, actor=request.user, **_valid(ClaimRecutSerializer, self))
        return self._detail(pk)

    @extend_schema(
        summary="Assign a claim to a reviewer, or reassign it (editors)",
        request=AssignSerializer,
        parameters=VERSIONED,
        responses=_CLAIM_ACTION,
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        claim = self._claim(pk)
        services.claim_assign(claim=claim, actor=request.user, **_valid(AssignSerializer, self))
        return self._detail(pk)

    @extend_schema(
        summary="Start reviewing an assigned claim (the assigned reviewer)",
        request=VersionSerializer,
        parameters=VERSIONED,
        responses=_CLAIM_ACTION,
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        claim = self._claim(pk)
        services.claim_start_review(claim=claim, actor=request.user, **_valid(VersionSerializer, self))
        return self._detail(pk)

    @extend_schema(
        summary="Take an accepted claim yourself (reviewers, where the desk allows it)",
        description="403 `permission_denied` unless the desk lets reviewers self-assign (REVIEWER_SELF_ASSIGN).",
        request=VersionSerializer,
        parameters=VERSIONED,
        responses=_CLAIM_ACTION,
    )
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        claim = get_object_or_404(selectors.claims_to_take(request.user), pk=pk)
        services.claim_self_assign(claim=claim, actor=request.user, **_valid(VersionSerializer, self))
        return self._detail(pk)

    @extend_schema(
        operation_id="claims_bulk_assign",
        summary="Assign many claims to one reviewer (editors)",
        description="Each claim is assigned or refused on its own; ids you cannot see are refused as `not_found`.",
        request=BulkAssignSerializer,
        responses={200: BulkAssignResultSerializer, **_BULK},
    )
    @action(detail=False, methods=["post"], url_path="assign", url_name="bulk-assign", permission_classes=EDITORS)
    def bulk_assign(self, request):
        data = _valid(BulkAssignSerializer, self)
        claims, refused = _bulk_claims(request.user, data.pop("claims"))
        result = services.claims_assign(claims=claims, actor=request.user, **data)
        refused += _service_refusals(result.refused)
        return Response({"assigned": [claim.pk for claim in result.done], "refused": refused})

    @extend_schema(
        summary="Give claims to the least-loaded available reviewers (editors)",
        description="Most urgent first, never above a reviewer's `max_open`; claims nobody can take are refused.",
        request=ClaimIdsSerializer,
        responses={200: AutoAssignResultSerializer, **_BULK},
    )
    @action(detail=False, methods=["post"], url_path="auto-assign", url_name="auto-assign", permission_classes=EDITORS)
    def auto_assign(self, request):
        claims, refused = _bulk_claims(request.user, _valid(ClaimIdsSerializer, self)["claims"])
        result = services.claims_auto_assign(claims=claims, actor=request.user)
        assigned = [
            {"claim": claim.pk, "reviewer": claim.assignee_id, "reviewer_username": claim.assignee.get_username()}
            for claim in result.done
        ]
        return Response({"assigned": assigned, "refused": refused + _service_refusals(result.refused)})

    @extend_schema(
        methods=["GET"],
        summary="A claim's sources",
        filters=False,  # the queue's filters do not apply to a claim's own sources
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
        source = services.source_add(claim=claim, actor=request.user, **_valid(SourceCreateSerializer, self))
        return Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="A claim's comments, oldest first",
        filters=False,  # the queue's filters do not apply to a claim's own comments
        responses={200: CommentSerializer(many=True), **error_responses(404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Comment on a claim (anyone who may see it)",
        request=CommentCreateSerializer,
        responses={201: CommentSerializer, **error_responses(400, 404)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def comments(self, request, pk=None):
        claim = self._claim(pk)
        if request.method == "GET":
            return Response(CommentSerializer(selectors.claim_comments(claim=claim), many=True).data)
        comment = services.comment_add(claim=claim, actor=request.user, **_valid(CommentCreateSerializer, self))
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Save a draft ruling, or submit a ruling (the assigned reviewer)",
        description=(
            "`draft: true` saves your work in progress (200); otherwise the ruling is submitted for approval "
            "(201), which needs at least one source first (409 `source_required`). `version` (or `If-Match`) "
            "is the version of your draft."
        ),
        request=RulingSubmitSerializer,
        parameters=VERSIONED,
        responses={200: RulingSerializer, 201: RulingSerializer, **error_responses(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def ruling(self, request, pk=None):
        claim = self._claim(pk)
        data = _valid(RulingSubmitSerializer, self)
        if data.pop("draft"):
            ruling = services.ruling_save_draft(claim=claim, actor=request.user, **data)
            return _ruling_response(self, ruling.pk)
        ruling = services.ruling_submit(claim=claim, actor=request.user, **data)
        return _ruling_response(self, ruling.pk, status_code=status.HTTP_201_CREATED)


class SourceViewSet(viewsets.GenericViewSet):
    queryset = Source.objects.none()
    serializer_class = SourceSerializer
    permission_classes = NEWSROOM
    lookup_value_regex = r"\d+"

    def _source(self, pk) -> Source:
        return get_object_or_404(selectors.sources_visible_to(self.request.user), pk=pk)

    @extend_schema(
        summary="Edit a source (the assigned reviewer or an editor)",
        description="Only the fields sent change.",
        request=SourceUpdateSerializer,
        responses={200: SourceSerializer, **error_responses(400, 404, 409)},
    )
    def partial_update(self, request, pk=None):
        source = self._source(pk)
        current = {
            "title": source.title,
            "url": source.url,
            "kind": source.kind,
            "publisher": source.publisher,
            "excerpt": source.excerpt,
            "accessed_on": source.accessed_on,
        }
        changes = _valid(SourceUpdateSerializer, self, partial=True)
        source = services.source_update(source=source, actor=request.user, **{**current, **changes})
        return Response(SourceSerializer(source).data)

    @extend_schema(
        summary="Remove a source (the assigned reviewer or an editor)",
        responses={204: None, **error_responses(404, 409)},
    )
    def destroy(self, request, pk=None):
        services.source_remove(source=self._source(pk), actor=request.user)
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
        parameters=[ETAG],
        responses={200: RulingSerializer, **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return _ruling_response(self, pk)

    @extend_schema(
        summary="Approve a submitted ruling (an editor other than its reviewer)",
        request=NoteSerializer,
        parameters=VERSIONED,
        responses=_RULING_ACTION,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        ruling = self._ruling(pk)
        services.ruling_approve(ruling=ruling, actor=request.user, **_valid(NoteSerializer, self))
        return _ruling_response(self, pk)

    @extend_schema(
        summary="Return a submitted ruling to its reviewer (editors)",
        request=ReturnSerializer,
        parameters=VERSIONED,
        responses=_RULING_ACTION,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_to_reviewer(self, request, pk=None):
        ruling = self._ruling(pk)
        services.ruling_return(ruling=ruling, actor=request.user, **_valid(ReturnSerializer, self))
        return _ruling_response(self, pk)

    @extend_schema(
        summary="Publish an approved ruling (editors)",
        request=None,
        parameters=[ETAG],
        responses=_RULING_ACTION,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        services.ruling_publish(ruling=self._ruling(pk), actor=request.user)
        return _ruling_response(self, pk)

    @extend_schema(
        summary="Correct a published ruling (editors)",
        description="The published ruling is kept, superseded; the new one is published at once and returned.",
        request=CorrectionSerializer,
        parameters=VERSIONED,
        responses={201: RulingSerializer, **error_responses(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        ruling = self._ruling(pk)
        corrected = services.ruling_correct(ruling=ruling, actor=request.user, **_valid(CorrectionSerializer, self))
        return _ruling_response(self, corrected.pk, status_code=status.HTTP_201_CREATED)


class ReviewerViewSet(viewsets.GenericViewSet):
    queryset = get_user_model().objects.none()
    serializer_class = ReviewerLoadSerializer
    permission_classes = EDITORS
    pagination_class = None

    @extend_schema(
        summary="Available reviewers with their open workload, least loaded first (editors)",
        responses={200: ReviewerLoadSerializer(many=True), **error_responses()},
    )
    def list(self, request):
        return Response(ReviewerLoadSerializer(reviewer_loads(), many=True).data)


class EventViewSet(viewsets.GenericViewSet):
    queryset = Event.objects.none()  # names the model for the schema; requests read via the selectors
    serializer_class = AuditEventSerializer
    permission_classes = NEWSROOM
    filterset_class = EventFilter
    pagination_class = Pagination

    @extend_schema(
        summary="The audit trail: who did what, from which state to which, when",
        description=(
            "Oldest first, so that an export can page forward while the desk works: new events only join the "
            "last page. Editors see every event; reviewers the events of the claims assigned to them."
        ),
        responses={200: AuditEventSerializer(many=True), **error_responses(400, 404)},
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(selectors.events_visible_to(request.user)))
        return self.get_paginated_response(AuditEventSerializer(page, many=True).data)


class CommentViewSet(viewsets.GenericViewSet):
    queryset = Comment.objects.none()
    serializer_class = CommentSerializer
    permission_classes = NEWSROOM
    filterset_class = CommentFilter
    pagination_class = Pagination

    @extend_schema(
        summary="Comments on the claims you may see, oldest first",
        description="Write one with POST /claims/{id}/comments/.",
        responses={200: CommentSerializer(many=True), **error_responses(400, 404)},
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(selectors.comments_visible_to(request.user)))
        return self.get_paginated_response(CommentSerializer(page, many=True).data)


class RatingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = RatingSerializer
    permission_classes = NEWSROOM
    pagination_class = None

    def get_queryset(self):
        return selectors.active_ratings()

    @extend_schema(summary="The rating scale", responses={200: RatingSerializer(many=True), **error_responses()})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
