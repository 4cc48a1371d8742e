"""Token endpoints: exchange a password for a new token (``auth/token/``) and manage your tokens
(``tokens/``: list, create, revoke). Admins see and revoke everyone's.

A token's plaintext is in the response that creates it and nowhere else, ever.
"""

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from factcheck import tokens
from factcheck.api import ErrorSerializer, StrictCharField, error_responses
from factcheck.auth import TokenObtainRateThrottle
from factcheck.models import TOKEN_STATUSES, ApiToken


class ApiTokenSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status = serializers.ChoiceField(choices=TOKEN_STATUSES, read_only=True)
    display = serializers.CharField(read_only=True, help_text="The token's public part, e.g. `fc_1a2b3c4d5e_…`.")

    class Meta:
        model = ApiToken
        fields = [
            "id", "name", "user", "prefix", "display", "status",
            "created_at", "last_used_at", "expires_at", "revoked_at",
        ]  # fmt: skip


class NewApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text="The token itself, shown this once: send it as `Authorization: Bearer <token>`."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]


class TokenCreateSerializer(serializers.Serializer):
    name = StrictCharField(max_length=100, help_text="What the token is for, e.g. “CMS import”.")
    expires_at = serializers.DateTimeField(required=False, allow_null=True, help_text="Empty: never expires.")


class TokenObtainSerializer(serializers.Serializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=4096, style={"input_type": "password"})
    name = StrictCharField(max_length=100, required=False, help_text="Default: “Obtained with password”.")
    expires_at = serializers.DateTimeField(required=False, allow_null=True, help_text="Empty: never expires.")


def _created(token: ApiToken, secret: str) -> dict:
    token.token = secret
    return NewApiTokenSerializer(token).data


class ObtainTokenView(APIView):
    """Exchange a username and password for a NEW named API token (each call makes one)."""

    # Credentials are in the body: an old or revoked token in the header must not get in the
    # way of getting a new one, and there is no session to protect from CSRF.
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [TokenObtainRateThrottle]

    @extend_schema(
        summary="Create an API token with your password",
        description="Makes a new token on every call (200, for compatibility with earlier clients). "
        "Limited per client address by API_THROTTLE_TOKEN_OBTAIN.",
        auth=[],
        request=TokenObtainSerializer,
        responses={
            200: NewApiTokenSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Wrong username or password (code `invalid`)."),
        },
    )
    def post(self, request):
        data = TokenObtainSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = authenticate(request._request, username=values["username"], password=values["password"])
        if user is None:  # unknown user, wrong password or inactive: one answer for all three
            raise exceptions.ValidationError({"non_field_errors": ["Unable to log in with provided credentials."]})
        token, secret = tokens.token_create(
            user=user,
            name=values.get("name") or "Obtained with password",
            expires_at=values.get("expires_at"),
            actor=user,
        )
        return Response(_created(token, secret), status=status.HTTP_200_OK)


class CreatedWithToken(permissions.BasePermission):
    message = (
        "A token cannot create another token (a leaked one would outlive its revocation). "
        "Use your password (POST /api/v1/auth/token/) or the API tokens page."
    )

    def has_permission(self, request, view) -> bool:
        return not (view.action == "create" and isinstance(request.auth, ApiToken))


@extend_schema_view(
    list=extend_schema(
        summary="List your API tokens",
        description="Never the secrets. Admins see every user's tokens (filter with `user`, a user id).",
        responses={200: ApiTokenSerializer(many=True), **error_responses()},
    ),
    retrieve=extend_schema(
        summary="One of your API tokens", responses={200: ApiTokenSerializer, **error_responses(404)}
    ),
    create=extend_schema(
        summary="Create an API token",
        description="Session (browser) or password login only: a token cannot create tokens.",
        request=TokenCreateSerializer,
        responses={201: NewApiTokenSerializer, **error_responses(400)},
    ),
    destroy=extend_schema(
        summary="Revoke an API token",
        description="The token stops working at once; the row is kept (revoked) for the record.",
        responses={204: None, **error_responses(404)},
    ),
)
class ApiTokenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # for the schema; requests use get_queryset()
    permission_classes = [permissions.IsAuthenticated, CreatedWithToken]
    filterset_fields = ["user"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, without a user
            return ApiToken.objects.none()
        return tokens.tokens_visible_to(self.request.user)

    def create(self, request):
        data = TokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, secret = tokens.token_create(user=request.user, actor=request.user, **data.validated_data)
        return Response(_created(token, secret), status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        tokens.token_revoke(token=instance, actor=self.request.user)
