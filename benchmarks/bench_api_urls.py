"""The benchmark's WSGI application and urlconf (benchmarks/bench_api.py): the product's URLs plus
one bare view, /bench/claims/, that returns the same 50 claims as GET /api/v1/claims/?page_size=50
with nothing but ``values()`` and ``JsonResponse``: no authentication, permissions, throttles,
filters, paging or serializers. It exists only here, never in the product's urls.

    gunicorn --pythonpath benchmarks bench_api_urls:application
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from django.conf import settings  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import include, path  # noqa: E402

from articles.models import Claim  # noqa: E402
from reviews.selectors import QUEUE_SORTS  # noqa: E402

# This module, not factcheck.urls, answers every request of the benchmark's server.
settings.ROOT_URLCONF = __name__

# The columns of the API's claim list (reviews.serializers.QueueClaimSerializer), minus the
# computed is_overdue.
FIELDS = (
    "id",
    "article",
    "start",
    "end",
    "text",
    "checkworthiness",
    "checkworthy",
    "claim_type",
    "speaker",
    "status",
    "priority",
    "due_date",
    "stale",
    "assignee",
    "assignee__username",
    "created_at",
    "updated_at",
    "version",
    "merged_into",
)


def bare_claims(request):
    """The API list's first 50 rows in its order (the queue's default sort, then the id)."""
    rows = Claim.objects.order_by(*QUEUE_SORTS["priority"][1], "pk").values(*FIELDS)[:50]
    return JsonResponse({"results": list(rows)})


urlpatterns = [
    path("bench/claims/", bare_claims),
    path("", include("factcheck.urls")),
]
