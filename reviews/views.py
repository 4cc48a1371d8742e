"""Newsroom pages of the review workflow (queue, claim page, actions) and the public
fact-check pages. Each action is one POST URL calling one service function."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from articles.forms import add_service_errors
from articles.models import Claim
from articles.views import PAGE_SIZE
from factcheck import roles
from factcheck.roles import newsroom_required

from . import selectors, services, workflow
from .claimreview import claimreview
from .forms import AssignForm, ClaimFilterForm, ReturnForm, RulingForm, SourceForm
from .models import Ruling
from .workflow import NotAllowed, WorkflowError, available_transitions

# Characters of article text shown either side of a claim on its page, at most.
CONTEXT_CHARS = 400

# What django.utils.html.json_script escapes, so that a value such as "</script>" cannot
# close the element; json_script itself only writes type="application/json".
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def ld_json(data: dict) -> SafeString:
    """``data`` as JSON safe to place inside <script type="application/ld+json">."""
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 (every <, > and & is escaped above)


@login_required
def home(request):
    if roles.is_editor(request.user):
        return redirect("claim-queue")
    if roles.is_reviewer(request.user):
        return redirect("my-claims")
    return render(request, "no_role.html")


# --- Queue ----------------------------------------------------------------------------------


def _queue(request, *, mine: bool):
    show_reviewer = roles.is_editor(request.user) and not mine
    form = ClaimFilterForm(request.GET or None, show_reviewer=show_reviewer)
    filters = form.filters()
    if mine:
        filters["reviewer_id"] = request.user.pk
    claims = selectors.claim_queue(user=request.user, **filters)
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "mine": mine}
    return render(request, "reviews/claim_queue.html", context)


@newsroom_required
def claim_queue(request):
    return _queue(request, mine=False)


@newsroom_required
def my_claims(request):
    return _queue(request, mine=True)


# --- Claim page -----------------------------------------------------------------------------


def _get_claim_for_user(request, pk: int) -> Claim:
    try:
        return selectors.claim_detail(user=request.user, pk=pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None


def _get_ruling_for_user(request, pk: int) -> Ruling:
    try:
        return selectors.rulings_visible_to(request.user).get(pk=pk)
    except Ruling.DoesNotExist:
        raise Http404("No such ruling.") from None


def claim_excerpt(claim: Claim) -> dict:
    """The claim's line of the article, cut to CONTEXT_CHARS either side of the claim."""
    if claim.stale:  # its offsets refer to an older body: show the claim alone
        return {"before": "", "text": claim.text, "after": "", "cut_before": False, "cut_after": False}
    body = claim.article.body
    line_start = body.rfind("\n", 0, claim.start) + 1
    line_end = body.find("\n", claim.end)
    line_end = len(body) if line_end == -1 else line_end
    start, end = max(line_start, claim.start - CONTEXT_CHARS), min(line_end, claim.end + CONTEXT_CHARS)
    return {
        "before": body[start : claim.start],
        "text": body[claim.start : claim.end],
        "after": body[claim.end : end],
        "cut_before": start > line_start,
        "cut_after": end < line_end,
    }


def _claim_page(request, claim: Claim, *, status: int = 200, **forms):
    """Render the claim page; ``forms`` replaces a blank action form with a bound one showing errors."""
    user = request.user
    transitions = {t.name for t in available_transitions(user, claim)}
    ruling = selectors.live_ruling(claim)
    # Four eyes: the service refuses the ruling's own reviewer, so do not offer the buttons.
    may_decide = bool(ruling and ruling.status == Ruling.Status.SUBMITTED and ruling.reviewer_id != user.pk)
    may_decide = may_decide and "approve" in transitions
    context = {
        "claim": claim,
        "article": claim.article,
        "excerpt": claim_excerpt(claim),
        "transitions": transitions,
        "ruling": ruling,
        "may_decide": may_decide,
        "may_publish": bool(ruling and ruling.status == Ruling.Status.APPROVED and "publish" in transitions),
    }
    initial = {"reviewer": claim.assignee_id, "priority": claim.priority, "due_date": claim.due_date}
    blank_forms = {
        "assign_form": ("assign" in transitions, lambda: AssignForm(initial=initial)),
        "source_form": (workflow.may_change_sources(user, claim), SourceForm),
        "ruling_form": ("submit" in transitions, RulingForm),
        "return_form": (may_decide, ReturnForm),
    }
    for name, (shown, make) in blank_forms.items():
        context[name] = forms.get(name) or (make() if shown else None)
    return render(request, "reviews/claim_detail.html", context, status=status)


@newsroom_required
def claim_detail(request, pk: int):
    return _claim_page(request, _get_claim_for_user(request, pk))


def _refused(request, claim_pk: int, exc: WorkflowError):
    """A refused action: 403 for a permission refusal, otherwise the message on the claim page."""
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message) from exc
    messages.error(request, exc.message)
    return redirect("claim-detail", pk=claim_pk)


def _done(request, claim_pk: int, message: str):
    messages.success(request, message)
    return redirect("claim-detail", pk=claim_pk)


def _act(request, claim_pk: int, action, message: str):
    """Run one service call for a button without a form."""
    try:
        action()
    except WorkflowError as exc:
        return _refused(request, claim_pk, exc)
    return _done(request, claim_pk, message)


def _act_with_form(request, claim: Claim, form, form_name: str, action, message):
    """Validate ``form``, run one service call with its data; on errors, re-render the claim
    page with the bound form (400). ``message`` may be a function of the cleaned data."""
    if form.is_valid():
        try:
            action(**form.cleaned_data)
        except WorkflowError as exc:
            return _refused(request, claim.pk, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, claim.pk, message(form.cleaned_data) if callable(message) else message)
    return _claim_page(request, claim, status=400, **{form_name: form})


# --- Claim actions --------------------------------------------------------------------------


@newsroom_required
@require_POST
def claim_accept(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    return _act(request, claim.pk, lambda: services.claim_accept(claim=claim, actor=request.user), "Claim accepted.")


@newsroom_required
@require_POST
def claim_reject(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    return _act(request, claim.pk, lambda: services.claim_reject(claim=claim, actor=request.user), "Claim rejected.")


@newsroom_required
@require_POST
def claim_assign(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    return _act_with_form(
        request,
        claim,
        AssignForm(request.POST),
        "assign_form",
        lambda **data: services.claim_assign(claim=claim, actor=request.user, **data),
        lambda data: f"Claim assigned to {data['reviewer'].get_username()}.",
    )


@newsroom_required
@require_POST
def source_add(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    return _act_with_form(
        request,
        claim,
        SourceForm(request.POST),
        "source_form",
        lambda **data: services.source_add(claim=claim, actor=request.user, **data),
        "Source added.",
    )


@newsroom_required
@require_POST
def ruling_submit(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    return _act_with_form(
        request,
        claim,
        RulingForm(request.POST),
        "ruling_form",
        lambda **data: services.ruling_submit(claim=claim, actor=request.user, **data),
        "Ruling submitted for approval.",
    )


# --- Ruling actions -------------------------------------------------------------------------


@newsroom_required
@require_POST
def ruling_approve(request, pk: int):
    ruling = _get_ruling_for_user(request, pk)
    return _act(
        request, ruling.claim_id, lambda: services.ruling_approve(ruling=ruling, actor=request.user), "Ruling approved."
    )


@newsroom_required
@require_POST
def ruling_return(request, pk: int):
    ruling = _get_ruling_for_user(request, pk)
    return _act_with_form(
        request,
        _get_claim_for_user(request, ruling.claim_id),
        ReturnForm(request.POST),
        "return_form",
        lambda **data: services.ruling_return(ruling=ruling, actor=request.user, **data),
        "Ruling returned to the reviewer.",
    )


@newsroom_required
@require_POST
def ruling_publish(request, pk: int):
    ruling = _get_ruling_for_user(request, pk)
    return _act(
        request,
        ruling.claim_id,
        lambda: services.ruling_publish(ruling=ruling, actor=request.user),
        "Ruling published.",
    )


# --- Public pages (no login) ----------------------------------------------------------------


def factcheck_index(request):
    page = Paginator(selectors.published_rulings(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/factcheck_index.html", {"page": page})


def factcheck_public(request, pk: int):
    try:
        ruling = selectors.published_ruling(pk=pk)
    except Ruling.DoesNotExist:
        raise Http404("No such fact-check.") from None
    context = {
        "ruling": ruling,
        "claim": ruling.claim,
        "org_name": settings.FACTCHECK_ORG_NAME,
        "ld_json": ld_json(claimreview(ruling)),
    }
    return render(request, "reviews/factcheck_public.html", context)
