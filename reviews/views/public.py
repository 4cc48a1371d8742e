"""Public fact-check pages (no login)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from articles.views import PAGE_SIZE

from .. import selectors
from ..claimreview import claimreview
from ..dashboard import factcheck_corrections
from ..models import Ruling
from .base import ld_json

# --- Public pages (no login) ----------------------------------------------------------------


def factcheck_index(request):
    page = Paginator(selectors.published_rulings(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/factcheck_index.html", {"page": page})


def factcheck_public(request, pk: int):
    try:
        ruling = selectors.published_ruling(pk=pk)
    except Ruling.DoesNotExist:
        current = selectors.current_version_of(pk=pk)
        if current is None:
            raise Http404("No such fact-check.") from None
        # A corrected fact-check: its old address (indexed, shared) leads to the correction.
        return redirect("factcheck-public", pk=current.pk, permanent=True)
    context = {
        "ruling": ruling,
        "claim": ruling.claim,
        "org_name": settings.FACTCHECK_ORG_NAME,
        "ld_json": ld_json(claimreview(ruling)),
        **factcheck_corrections(ruling),
    }
    return render(request, "reviews/factcheck_public.html", context)
