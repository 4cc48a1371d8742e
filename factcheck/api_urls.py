"""The REST API, mounted at /api/v1/. The OpenAPI schema is at schema/, its browsable docs at docs/."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from articles.api import ArticleViewSet
from reviews.api import (
    ClaimViewSet,
    CommentViewSet,
    EventViewSet,
    RatingViewSet,
    ReviewerViewSet,
    RulingViewSet,
    SourceViewSet,
)
from reviews.api_claimreview import ClaimReviewDetailView, ClaimReviewFeedView, KnownFactCheckViewSet

from .api import not_found
from .api_tokens import ApiTokenViewSet, ObtainTokenView
from .webhooks.api import WebhookDeliveryViewSet, WebhookEndpointViewSet

# Route names carry an "api-" prefix so they never collide with the web UI's.
router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="api-article")
router.register("claims", ClaimViewSet, basename="api-claim")
router.register("sources", SourceViewSet, basename="api-source")
router.register("rulings", RulingViewSet, basename="api-ruling")
router.register("ratings", RatingViewSet, basename="api-rating")
router.register("reviewers", ReviewerViewSet, basename="api-reviewer")
router.register("events", EventViewSet, basename="api-event")
router.register("comments", CommentViewSet, basename="api-comment")
router.register("tokens", ApiTokenViewSet, basename="api-apitoken")
router.register("webhooks", WebhookEndpointViewSet, basename="api-webhook")
router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="api-webhook-delivery")
router.register("known-fact-checks", KnownFactCheckViewSet, basename="api-known-fact-check")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("claimreview/feed/", ClaimReviewFeedView.as_view(), name="api-claimreview-feed"),
    path("claimreview/<int:pk>/", ClaimReviewDetailView.as_view(), name="api-claimreview"),
    *router.urls,
    # Last: anything else under /api/v1/ is a JSON 404 (Django's would be an HTML page).
    re_path(r"^", not_found),
]
