"""The REST API, mounted at /api/v1/. The OpenAPI schema is at schema/, its browsable docs at docs/."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from articles.api import ArticleViewSet
from reviews.api import ClaimViewSet, RatingViewSet, ReviewerViewSet, RulingViewSet, SourceViewSet

from .api import ObtainTokenView, not_found

# Route names carry an "api-" prefix so they never collide with the web UI's.
router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="api-article")
router.register("claims", ClaimViewSet, basename="api-claim")
router.register("sources", SourceViewSet, basename="api-source")
router.register("rulings", RulingViewSet, basename="api-ruling")
router.register("ratings", RatingViewSet, basename="api-rating")
router.register("reviewers", ReviewerViewSet, basename="api-reviewer")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
    # Last: anything else under /api/v1/ is a JSON 404 (Django's would be an HTML page).
    re_path(r"^", not_found),
]
