"""The queue (all claims, my claims) and the bulk actions on it."""

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from articles.forms import add_service_errors
from articles.views import PAGE_SIZE
from factcheck import roles
from factcheck.roles import newsroom_required

from .. import selectors, services
from ..forms import (
    BulkAssignForm,
    ClaimFilterForm,
)


@login_required
def home(request):
    if roles.is_editor(request.user):
        return redirect("claim-queue")
    if roles.is_reviewer(request.user):
        return redirect("my-claims")
    return render(request, "no_role.html")


# --- Queue ----------------------------------------------------------------------------------


def _saved_filters(user, mine: bool) -> list[tuple[str, str]]:
    """Links to the queue's common views: (label, query string)."""
    if mine:
        return [("Overdue", "overdue=on")]
    links = [("Assigned to me", "mine=on")] if roles.is_reviewer(user) or roles.is_editor(user) else []
    if roles.is_editor(user):
        links.append(("Waiting for my approval", "awaiting=on"))
    if settings.REVIEWER_SELF_ASSIGN and roles.is_reviewer(user) and not roles.is_editor(user):
        links.append(("Open to take", "status=accepted"))
    return [*links, ("Overdue", "overdue=on")]


def _queue(request, *, mine: bool, status: int = 200, bulk_form=None):
    editor = roles.is_editor(request.user)
    form = ClaimFilterForm(request.GET or None, show_reviewer=editor and not mine)
    filters = form.filters()
    if mine:
        filters["reviewer_id"] = request.user.pk
    claims = selectors.claim_queue(user=request.user, include_takeable=not mine, **filters)
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    bulk = editor and not mine
    context = {
        "form": form,
        "page": page,
        "mine": mine,
        "saved_filters": _saved_filters(request.user, mine),
        "bulk_form": (bulk_form or BulkAssignForm(user=request.user)) if bulk else None,
        "query": request.GET.urlencode(),
    }
    return render(request, "reviews/claim_queue.html", context, status=status)


@newsroom_required
def claim_queue(request):
    return _queue(request, mine=False)


@newsroom_required
def my_claims(request):
    return _queue(request, mine=True)


def _editors_only(request) -> None:
    if not roles.is_editor(request.user):
        raise PermissionDenied("Only editors can assign claims in bulk.")


def _back_to_queue(request):
    query = request.GET.urlencode()
    return redirect(reverse("claim-queue") + (f"?{query}" if query else ""))


def _claim_list(claims) -> str:
    return ", ".join(str(claim.pk) for claim in claims)


def _report_refused(request, refused, lead: str) -> None:
    reasons = "; ".join(f"claim {claim.pk}: {reason}" for claim, reason in refused)
    messages.warning(request, f"{lead} {reasons}")


@newsroom_required
@require_POST
def claims_bulk_assign(request):
    _editors_only(request)
    form = BulkAssignForm(request.POST, user=request.user)
    if form.is_valid():
        reviewer = form.cleaned_data["reviewer"]
        try:
            result = services.claims_assign(
                claims=list(form.cleaned_data["claims"]), reviewer=reviewer, actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            done = f"{len(result.done)} assigned to {reviewer.get_username()}"
            if result.refused:
                _report_refused(request, result.refused, f"{done}, {len(result.refused)} refused:")
            else:
                messages.success(request, f"{done}.")
            return _back_to_queue(request)
    return _queue(request, mine=False, status=400, bulk_form=form)


@newsroom_required
@require_POST
def claims_auto_assign(request):
    _editors_only(request)
    form = BulkAssignForm(request.POST, user=request.user, need_reviewer=False)
    if not form.is_valid():
        return _queue(request, mine=False, status=400, bulk_form=form)
    result = services.claims_auto_assign(claims=list(form.cleaned_data["claims"]), actor=request.user)
    given = defaultdict(list)
    for claim in result.done:
        given[claim.assignee.get_username()].append(claim)
    if result.done:
        who = "; ".join(
            f"{name}: {len(claims)} (claims {_claim_list(claims)})" for name, claims in sorted(given.items())
        )
        messages.success(request, f"{len(result.done)} auto-assigned. {who}.")
    if result.refused:
        _report_refused(request, result.refused, f"{len(result.refused)} left unassigned:")
    return _back_to_queue(request)
