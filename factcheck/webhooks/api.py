"""Webhook endpoints: /api/v1/webhooks/ (CRUD, test ping, secret rotation, the delivery log)
and /api/v1/webhook-deliveries/ (one delivery, redeliver).

Editors manage their own endpoints and admins everyone's; reviewers and people without a
newsroom role get 403 (a webhook sees every claim's workflow, more than a reviewer may), and
another editor's endpoint is a 404. The rules run in factcheck/webhooks/services.py."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from factcheck.api import EDITORS, error_responses

from . import selectors, services
from .models import PING, EventType, WebhookDelivery, WebhookEndpoint
from .serializers import (
    WebhookDeliverySerializer,
    WebhookEndpointCreateSerializer,
    WebhookEndpointSecretSerializer,
    WebhookEndpointSerializer,
    WebhookEndpointUpdateSerializer,
)

_STATUS = OpenApiParameter(
    "status", OpenApiTypes.STR, enum=WebhookDelivery.Status.values, description="Only deliveries in this state."
)
_EVENT_TYPE = OpenApiParameter(
    "event_type", OpenApiTypes.STR, enum=[*EventType.values, PING], description="Only deliveries of this event."
)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _choice(request, name: str, choices: list[str]) -> str | None:
    value = request.query_params.get(name)
    if value is not None and value not in choices:
        raise exceptions.ValidationError({name: [f"Choose one of: {', '.join(choices)}."]})
    return value


class WebhookEndpointViewSet(viewsets.GenericViewSet):
    serializer_class = WebhookEndpointSerializer
    permission_classes = EDITORS
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.endpoints_visible_to(self.request.user)

    def _get_endpoint_for_user(self, pk) -> WebhookEndpoint:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def _detail(self, endpoint: WebhookEndpoint, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(WebhookEndpointSecretSerializer(endpoint).data, status=status_code)

    @extend_schema(
        summary="Your webhook endpoints (admins: everyone's)",
        responses={200: WebhookEndpointSerializer(many=True), **error_responses()},
    )
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WebhookEndpointSerializer(page, many=True).data)

    @extend_schema(
        summary="Register a webhook endpoint (editors)",
        description="The response carries the generated `secret` that signs every delivery.",
        request=WebhookEndpointCreateSerializer,
        responses={201: WebhookEndpointSecretSerializer, **error_responses(400)},
    )
    def create(self, request):
        endpoint = services.endpoint_create(actor=request.user, **_valid(WebhookEndpointCreateSerializer, request))
        return self._detail(endpoint, status.HTTP_201_CREATED)

    @extend_schema(
        summary="One webhook endpoint, with its secret",
        responses={200: WebhookEndpointSecretSerializer, **error_responses(404)},
    )
    def retrieve(self, request, pk=None):
        return self._detail(self._get_endpoint_for_user(pk))

    @extend_schema(
        summary="Change a webhook endpoint's URL, events, description or active flag",
        request=WebhookEndpointUpdateSerializer,
        responses={200: WebhookEndpointSecretSerializer, **error_responses(400, 404)},
    )
    def partial_update(self, request, pk=None):
        endpoint = self._get_endpoint_for_user(pk)
        changes = _valid(WebhookEndpointUpdateSerializer, request)
        return self._detail(services.endpoint_update(endpoint=endpoint, actor=request.user, **changes))

    @extend_schema(
        summary="Delete a webhook endpoint and its delivery log",
        responses={204: None, **error_responses(404)},
    )
    def destroy(self, request, pk=None):
        services.endpoint_delete(endpoint=self._get_endpoint_for_user(pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Send a test ping",
        description="Queues a delivery of type `ping` (also to an inactive endpoint); poll its log for the result.",
        request=None,
        responses={202: WebhookDeliverySerializer, **error_responses(404)},
    )
    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        delivery = services.endpoint_ping(endpoint=self._get_endpoint_for_user(pk), actor=request.user)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Replace the signing secret",
        description="Deliveries sent from now on are signed with the new secret, returned here.",
        request=None,
        responses={200: WebhookEndpointSecretSerializer, **error_responses(404)},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret", url_name="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint = self._get_endpoint_for_user(pk)
        return self._detail(services.endpoint_rotate_secret(endpoint=endpoint, actor=request.user))

    @extend_schema(
        summary="The endpoint's delivery log, newest first",
        parameters=[_STATUS, _EVENT_TYPE],
        responses={200: WebhookDeliverySerializer(many=True), **error_responses(400, 404)},
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        endpoint = self._get_endpoint_for_user(pk)
        deliveries = selectors.endpoint_deliveries(
            endpoint,
            status=_choice(request, "status", WebhookDelivery.Status.values),
            event_type=_choice(request, "event_type", [*EventType.values, PING]),
        )
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)


class WebhookDeliveryViewSet(viewsets.GenericViewSet):
    serializer_class = WebhookDeliverySerializer
    permission_classes = EDITORS
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.deliveries_visible_to(self.request.user)

    def _get_delivery_for_user(self, pk) -> WebhookDelivery:
        return get_object_or_404(self.get_queryset(), pk=pk)

    @extend_schema(summary="One webhook delivery", responses={200: WebhookDeliverySerializer, **error_responses(404)})
    def retrieve(self, request, pk=None):
        return Response(WebhookDeliverySerializer(self._get_delivery_for_user(pk)).data)

    @extend_schema(
        summary="Send a finished delivery again",
        description="Same payload, a fresh budget of attempts. 409 while it is still pending or being sent.",
        request=None,
        responses={202: WebhookDeliverySerializer, **error_responses(404, 409)},
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        delivery = services.delivery_redeliver(delivery=self._get_delivery_for_user(pk), actor=request.user)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
