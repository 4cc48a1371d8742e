"""The queue (all claims, my claims), the board and the bulk actions on the queue."""

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
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


# --- Queue and board -------------------------------------------------------------------------

# The element the filter form, the saved filters and the page links swap with htmx.
QUEUE_TARGET = "queue-view"
BOARD_TARGET = "board-view"


@dataclass(frozen=True)
class SavedFilter:
    label: str
    query: str
    active: bool


def _saved_filters(user, *, own_queue: bool, active: dict[str, str]) -> list[SavedFilter]:
    """Links to the queue's common views, each marked active when the filters are exactly its own."""
    editor = roles.is_editor(user)
    if own_queue:
        links = [("Overdue", "overdue=on")]
    else:
        links = [("Assigned to me", "mine=on")]
        if editor:
            links += [
                ("Waiting for my approval", "awaiting=on"),
                ("Needs triage", "status=candidate&sort=score"),
                ("Unassigned accepted", "status=accepted&unassigned=on"),
            ]
        elif settings.REVIEWER_SELF_ASSIGN and roles.is_reviewer(user):
            links.append(("Open to take", "status=accepted&unassigned=on"))
        links.append(("Overdue", "overdue=on"))
    return [SavedFilter(label, query, dict(parse_qsl(query)) == active) for label, query in links]


def _filter_form(request, *, own_queue: bool) -> ClaimFilterForm:
    return ClaimFilterForm(request.GET or None, editor=roles.is_editor(request.user), own_queue=own_queue)


def _render_view(request, template: str, target: str, context: dict, status: int = 200):
    """The whole page, or only its swappable part when htmx asks for it (filter form, saved
    filters, page links). A history restore after a cache miss gets the whole page."""
    partial = request.htmx and request.htmx.target == target and not request.htmx.history_restore_request
    response = render(request, f"{template}#view" if partial else template, context, status=status)
    # The same address answers with a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _queue(request, *, mine: bool, status: int = 200, bulk_form=None):
    form = _filter_form(request, own_queue=mine)
    filters = form.filters()
    if mine:
        filters["reviewer_id"] = request.user.pk
    claims = selectors.claim_queue(user=request.user, include_takeable=not mine, **filters)
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    bulk = roles.is_editor(request.user) and not mine
    if bulk and bulk_form is None:
        bulk_form = BulkAssignForm(user=request.user)
    context = {
        "form": form,
        "page": page,
        "mine": mine,
        "target": QUEUE_TARGET,
        "saved_filters": _saved_filters(request.user, own_queue=mine, active=form.active()),
        "bulk_form": bulk_form if bulk else None,
        "selected": len(bulk_form["claims"].value() or []) if bulk and bulk_form.is_bound else 0,
        "query": request.GET.urlencode(),
    }
    return _render_view(request, "reviews/claim_queue.html", QUEUE_TARGET, context, status=status)


@newsroom_required
def claim_queue(request):
    return _queue(request, mine=False)


@newsroom_required
def my_claims(request):
    return _queue(request, mine=True)


@newsroom_required
def claim_board(request):
    """One column per workflow state with its first cards; the queue's filters apply."""
    form = _filter_form(request, own_queue=False)
    board = selectors.claim_board(user=request.user, include_takeable=True, **form.filters())
    context = {
        "form": form,
        "board": board,
        "target": BOARD_TARGET,
        "saved_filters": _saved_filters(request.user, own_queue=False, active=form.active()),
    }
    return _render_view(request, "reviews/claim_board.html", BOARD_TARGET, context)


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
