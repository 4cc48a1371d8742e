"""Newsroom pages of the review workflow (queue, claim page, actions) and the public
fact-check pages. Each action is one POST URL calling one service function."""

import json
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from articles.forms import add_service_errors
from articles.models import Claim
from articles.views import PAGE_SIZE
from factcheck import roles
from factcheck.roles import newsroom_required

from . import selectors, services, workflow
from .claimreview import claimreview
from .dashboard import factcheck_corrections
from .forms import (
    AssignForm,
    BulkAssignForm,
    ClaimFilterForm,
    ClaimUpdateForm,
    CommentForm,
    CorrectionForm,
    MergeForm,
    ReturnForm,
    RulingForm,
    SourceForm,
)
from .models import Ruling, Source
from .services.comments import MENTION
from .workflow import Conflict, NotAllowed, WorkflowError, available_transitions

# Characters of article text shown either side of a claim on its page, at most.
CONTEXT_CHARS = 400

# What django.utils.html.json_script escapes, so that a value such as "</script>" cannot
# close the element; json_script itself only writes type="application/json".
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def ld_json(data: dict) -> SafeString:
    """``data`` as JSON safe to place inside <script type="application/ld+json">."""
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 (every <, > and & is escaped above)


def _mention(match) -> str:
    name = match.group(1).rstrip(".")  # as the service reads it: "@erin." at a sentence end
    if not name:
        return match.group(0)
    return f'<strong class="mention">@{name}</strong>{match.group(1)[len(name) :]}'


def mentions_html(body: str) -> SafeString:
    """A comment's text for the page: escaped first, then @mentions emphasised and line breaks
    kept. The pattern matches only word characters, dots, + and -, so it cannot reach into
    the escaped markup."""
    marked = MENTION.sub(_mention, escape(body))
    return mark_safe(marked.replace("\n", "<br>"))  # noqa: S308 (escaped above)


# How the history names each event; the raw action is shown beside it.
EVENT_LABELS = {
    "claim.accept": "Accepted",
    "claim.reject": "Rejected",
    "claim.merge": "Merged",
    "claim.assign": "Assigned",
    "claim.self_assign": "Taken by the reviewer",
    "claim.start": "Review started",
    "claim.submit": "Ruling submitted",
    "claim.return": "Returned to the reviewer",
    "claim.approve": "Ruling approved",
    "claim.publish": "Published",
    "claim.correct": "Correction published",
    "claim.updated": "Priority or due date changed",
    "claim.stale": "Text gone from the edited article",
    "ruling.corrected": "Ruling corrected",
    "source.added": "Source added",
    "source.edited": "Source edited",
    "source.removed": "Source removed",
}


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


# --- Claim page -----------------------------------------------------------------------------


def _get_claim_for_user(request, pk: int) -> Claim:
    """The claim an action is about (the service reloads and locks it), or 404."""
    try:
        return selectors.claims_open_to(request.user).select_related("article", "assignee").get(pk=pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None


def _get_ruling_for_user(request, pk: int) -> Ruling:
    try:
        return selectors.rulings_visible_to(request.user).get(pk=pk)
    except Ruling.DoesNotExist:
        raise Http404("No such ruling.") from None


def _get_source_for_user(request, pk: int) -> Source:
    try:
        return selectors.sources_visible_to(request.user).get(pk=pk)
    except Source.DoesNotExist:
        raise Http404("No such source.") from None


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


def _ruling_initial(ruling: Ruling | None, *, version: int) -> dict:
    if ruling is None:
        return {"version": version}
    return {
        "rating": ruling.rating_id,
        "summary": ruling.summary,
        "explanation": ruling.explanation,
        "version": version,
    }


def _rulings(claim: Claim) -> tuple[list[Ruling], Ruling | None]:
    """The rulings to list (not the draft) with ``correction`` set on superseded ones, and the draft."""
    rulings = list(claim.rulings.all())
    corrections = {r.supersedes_id: r for r in rulings if r.supersedes_id}
    for r in rulings:
        r.correction = corrections.get(r.pk)
    draft = next((r for r in rulings if r.status == Ruling.Status.DRAFT), None)
    return [r for r in rulings if r.status != Ruling.Status.DRAFT], draft


def _claim_page(request, pk: int, *, status: int = 200, **forms):
    """Render the claim page; ``forms`` replaces a blank action form with a bound one showing errors."""
    user = request.user
    try:
        claim = selectors.claim_page(user=user, pk=pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    transitions = {t.name for t in available_transitions(user, claim)}
    editor = roles.is_editor(user)
    ruling = selectors.live_ruling(claim)
    rulings, draft = _rulings(claim)
    # Four eyes: the service refuses the ruling's own reviewer, so do not offer the buttons.
    may_decide = bool(ruling and ruling.status == Ruling.Status.SUBMITTED and ruling.reviewer_id != user.pk)
    may_decide = may_decide and "approve" in transitions
    may_correct = bool(ruling and ruling.status == Ruling.Status.PUBLISHED and "correct" in transitions)
    may_change_sources = workflow.may_change_sources(user, claim)
    history = list(selectors.claim_history(claim=claim))
    for event in history:
        event.label = EVENT_LABELS.get(event.action, event.action)
    comments = list(claim.comments.all())
    for comment in comments:
        comment.body_html = mentions_html(comment.body)
    sources = list(claim.sources.all())
    edited = forms.pop("source_edit_form", None)
    for source in sources:
        if may_change_sources:
            bound = edited if edited is not None and edited.source_pk == source.pk else None
            source.edit_form = bound or SourceForm.for_source(source)
            source.edit_open = bound is not None
    # A returned claim's form starts from the returned ruling, so the reviewer revises it.
    last_returned = next((r for r in rulings if r.status == Ruling.Status.RETURNED), None)
    ruling_initial = _ruling_initial(draft or last_returned, version=draft.version if draft else 0)
    initial = {"reviewer": claim.assignee_id, "priority": claim.priority, "due_date": claim.due_date}
    update_initial = {"priority": claim.priority, "due_date": claim.due_date, "version": claim.version}
    correct_initial = _ruling_initial(ruling, version=ruling.version) if may_correct else {}
    blank_forms = {
        "assign_form": ("assign" in transitions, lambda: AssignForm(initial=initial)),
        "update_form": (
            editor and claim.status != Claim.Status.MERGED,
            lambda: ClaimUpdateForm(initial=update_initial),
        ),
        "merge_form": ("merge" in transitions, MergeForm),
        "source_form": (may_change_sources, SourceForm),
        "ruling_form": ("submit" in transitions, lambda: RulingForm(initial=ruling_initial)),
        "return_form": (may_decide, ReturnForm),
        "correct_form": (may_correct, lambda: CorrectionForm(initial=correct_initial)),
        # Who may see the claim (claims_visible_to) may comment; a claim open to take is not yet theirs.
        "comment_form": (editor or claim.assignee_id == user.pk, CommentForm),
    }
    context = {
        "claim": claim,
        "article": claim.article,
        "excerpt": claim_excerpt(claim),
        "transitions": transitions,
        "ruling": ruling,
        "rulings": rulings,
        "draft": draft,
        "sources": sources,
        "comments": comments,
        "history": history,
        "may_decide": may_decide,
        "may_correct": may_correct,
        "may_publish": bool(ruling and ruling.status == Ruling.Status.APPROVED and "publish" in transitions),
        "may_change_sources": may_change_sources,
    }
    for name, (shown, make) in blank_forms.items():
        context[name] = forms.get(name) or (make() if shown else None)
    return render(request, "reviews/claim_detail.html", context, status=status)


@newsroom_required
def claim_detail(request, pk: int):
    return _claim_page(request, pk)


def _refused(request, claim_pk: int, exc: WorkflowError):
    """A refused action: 403 for a permission refusal, otherwise the message on the claim page."""
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message) from exc
    if isinstance(exc, Conflict):
        messages.error(request, f"Not saved. {exc.message} The page below shows the current version.")
    else:
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


def _act_with_form(request, claim_pk: int, form, form_name: str, action, message):
    """Validate ``form``, run one service call with its data; on errors, re-render the claim
    page with the bound form (400). ``message`` may be a function of the result and the data."""
    if form.is_valid():
        try:
            result = action(**form.cleaned_data)
        except WorkflowError as exc:
            return _refused(request, claim_pk, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, claim_pk, message(result, form.cleaned_data) if callable(message) else message)
    return _claim_page(request, claim_pk, status=400, **{form_name: form})


def _versioned(data: dict) -> dict:
    """Form data with the hidden ``version`` passed as the service's ``expected_version``."""
    data = dict(data)
    data["expected_version"] = data.pop("version", None)
    return data


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
def claim_merge(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    return _act_with_form(
        request,
        claim.pk,
        MergeForm(request.POST),
        "merge_form",
        lambda into: services.claim_merge(claim=claim, into=into, actor=request.user),
        lambda _, data: f"Claim merged into claim {data['into'].pk}: “{data['into'].text}”",
    )


@newsroom_required
@require_POST
def claim_start_review(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    return _act(
        request, claim.pk, lambda: services.claim_start_review(claim=claim, actor=request.user), "Review started."
    )


@newsroom_required
@require_POST
def claim_self_assign(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    return _act(
        request,
        claim.pk,
        lambda: services.claim_self_assign(claim=claim, actor=request.user),
        "You took this claim; it is now in your queue.",
    )


@newsroom_required
@require_POST
def claim_update(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    return _act_with_form(
        request,
        claim.pk,
        ClaimUpdateForm(request.POST),
        "update_form",
        lambda **data: services.claim_update(claim=claim, actor=request.user, **_versioned(data)),
        "Priority and due date saved.",
    )


@newsroom_required
@require_POST
def claim_assign(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    return _act_with_form(
        request,
        claim.pk,
        AssignForm(request.POST),
        "assign_form",
        lambda **data: services.claim_assign(claim=claim, actor=request.user, **data),
        lambda _, data: f"Claim assigned to {data['reviewer'].get_username()}.",
    )


@newsroom_required
@require_POST
def comment_add(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    return _act_with_form(
        request,
        claim.pk,
        CommentForm(request.POST),
        "comment_form",
        lambda body: services.comment_add(claim=claim, actor=request.user, body=body),
        "Comment added.",
    )


# --- Sources --------------------------------------------------------------------------------


@newsroom_required
@require_POST
def source_add(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    return _act_with_form(
        request,
        claim.pk,
        SourceForm(request.POST),
        "source_form",
        lambda **data: services.source_add(claim=claim, actor=request.user, **data),
        "Source added.",
    )


@newsroom_required
@require_POST
def source_update(request, pk: int):
    source = _get_source_for_user(request, pk)
    form = SourceForm.for_source(source, request.POST)
    form.source_pk = source.pk
    return _act_with_form(
        request,
        source.claim_id,
        form,
        "source_edit_form",
        lambda **data: services.source_update(source=source, actor=request.user, **data),
        "Source saved.",
    )


@newsroom_required
@require_POST
def source_remove(request, pk: int):
    source = _get_source_for_user(request, pk)
    return _act(
        request,
        source.claim_id,
        lambda: services.source_remove(source=source, actor=request.user),
        f"Source removed: {source.title}",
    )


# --- Rulings --------------------------------------------------------------------------------


@newsroom_required
@require_POST
def ruling_save_draft(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    return _act_with_form(
        request,
        claim.pk,
        RulingForm(request.POST),
        "ruling_form",
        lambda **data: services.ruling_save_draft(claim=claim, actor=request.user, **_versioned(data)),
        "Draft saved.",
    )


@newsroom_required
@require_POST
def ruling_submit(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    return _act_with_form(
        request,
        claim.pk,
        RulingForm(request.POST),
        "ruling_form",
        lambda **data: services.ruling_submit(claim=claim, actor=request.user, **_versioned(data)),
        "Ruling submitted for approval.",
    )


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
        ruling.claim_id,
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


@newsroom_required
@require_POST
def ruling_correct(request, pk: int):
    ruling = _get_ruling_for_user(request, pk)
    return _act_with_form(
        request,
        ruling.claim_id,
        CorrectionForm(request.POST),
        "correct_form",
        lambda **data: services.ruling_correct(ruling=ruling, actor=request.user, **_versioned(data)),
        "Correction published; the old ruling is kept and shown as corrected.",
    )


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
