"""The claim page (the reviewer's workspace and the editor's approval view) and the claim
actions. Each action is one POST URL calling one service function."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from articles.forms import add_service_errors
from articles.models import Claim
from factcheck import roles
from factcheck.roles import newsroom_required

from .. import selectors, services, workflow
from ..diff import ruling_changes
from ..forms import (
    ApproveForm,
    AssignForm,
    ClaimUpdateForm,
    CommentForm,
    CorrectionForm,
    MergeForm,
    ReturnForm,
    RulingForm,
    SourceForm,
)
from ..models import Ruling, Source
from ..services.claims import CLOSED_STATES
from ..workflow import Conflict, NotAllowed, WorkflowError, available_transitions
from .base import EVENT_LABELS, mentioned_usernames, mentions_html

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
        # The claim decides who may change the source; the row shows who added it.
        return selectors.sources_visible_to(request.user).select_related("claim", "added_by").get(pk=pk)
    except Source.DoesNotExist:
        raise Http404("No such source.") from None


# How much article text the claim page shows around a claim: its own paragraph up to this many
# characters either side of it, and the paragraphs before and after up to NEIGHBOUR_CHARS. A
# one-line article (some feeds send no line breaks) would otherwise fill the page.
PARAGRAPH_CHARS = 1500
NEIGHBOUR_CHARS = 600
STATE_LABELS = dict(Claim.Status.choices)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _neighbour(body: str, edge: int, step: int) -> dict | None:
    """The nearest non-blank line before (``step`` -1) or after (+1) the line break at ``edge``."""
    while 0 <= edge < len(body):
        if step < 0:
            start = body.rfind("\n", 0, edge) + 1
            line, edge = body[start:edge], start - 1
        else:
            end = body.find("\n", edge + 1)
            end = len(body) if end == -1 else end
            line, edge = body[edge + 1 : end], end
        if line.strip():
            if len(line) <= NEIGHBOUR_CHARS:
                return {"text": line, "cut": False}
            # Keep the side that touches the claim's paragraph.
            return {"text": line[-NEIGHBOUR_CHARS:] if step < 0 else line[:NEIGHBOUR_CHARS], "cut": True}
    return None


def claim_excerpt(claim: Claim) -> dict:
    """The claim in its paragraph (a line of the article), with the paragraphs before and after.

    ``before``/``text``/``after`` are the claim's paragraph split around the claim, cut to
    PARAGRAPH_CHARS either side (``cut_before``/``cut_after``); ``previous``/``next`` are the
    neighbouring paragraphs (``{"text", "cut"}``) or None."""
    if claim.stale:  # its offsets refer to an older body: show the claim alone
        return {
            "before": "",
            "text": claim.text,
            "after": "",
            "cut_before": False,
            "cut_after": False,
            "previous": None,
            "next": None,
        }
    body = claim.article.body
    line_start = body.rfind("\n", 0, claim.start) + 1
    line_end = body.find("\n", claim.end)
    line_end = len(body) if line_end == -1 else line_end
    start = max(line_start, claim.start - PARAGRAPH_CHARS)
    end = min(line_end, claim.end + PARAGRAPH_CHARS)
    return {
        "before": body[start : claim.start],
        "text": body[claim.start : claim.end],
        "after": body[claim.end : end],
        "cut_before": start > line_start,
        "cut_after": end < line_end,
        "previous": _neighbour(body, line_start - 1, -1),
        "next": _neighbour(body, line_end, 1),
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


def _history(claim: Claim) -> list:
    """The claim's events, oldest first, each with a readable ``label``, state names and time.

    The times are formatted here, not with the template's ``date`` filter: the history is the
    page's longest list, and two filter calls per event were a tenth of its render time."""
    history = list(selectors.claim_history(claim=claim))
    for event in history:
        event.label = EVENT_LABELS.get(event.action, event.action)
        event.from_label = STATE_LABELS.get(event.from_state, event.from_state)
        event.to_label = STATE_LABELS.get(event.to_state, event.to_state)
        when = timezone.localtime(event.created_at)
        event.when_iso = when.isoformat()
        event.when_text = f"{when.day} {MONTHS[when.month - 1]} {when.year}, {when:%H:%M}"
    return history


def _requested_source(request) -> int | None:
    """The source whose edit form a no-JS "Edit" link (``?edit_source=<pk>``) asks to open."""
    value = request.GET.get("edit_source", "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def _claim_page(request, pk: int, *, status: int = 200, **forms):
    """Render the claim page; ``forms`` replaces a blank action form with a bound one showing errors.

    The same page is the reviewer's workspace (context, sources, ruling form) and the editor's
    approval view (the submitted ruling, what changed since it was returned, approve/return)."""
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
    history = _history(claim)
    comments = list(claim.comments.all())
    known = mentioned_usernames(comment.body for comment in comments)
    for comment in comments:
        comment.body_html = mentions_html(comment.body, known=known)
    sources = list(claim.sources.all())
    # One source at most is shown as its edit form: the one whose save failed, or the one a
    # no-JS "Edit" link asked for (with htmx the form is fetched into the row instead).
    edited = forms.pop("source_edit_form", None)
    edit_pk = edited.source_pk if edited is not None else _requested_source(request)
    for source in sources:
        source.edit_form = None
        if may_change_sources and source.pk == edit_pk:
            source.edit_form = edited or SourceForm.for_source(source)
    changes = None
    if ruling and ruling.status == Ruling.Status.SUBMITTED:
        changes = ruling_changes(ruling=ruling, rulings=rulings, sources=sources, history=history)
    # A returned claim's form starts from the returned ruling, so the reviewer revises it.
    last_returned = next((r for r in rulings if r.status == Ruling.Status.RETURNED), None)
    ruling_initial = _ruling_initial(draft or last_returned, version=draft.version if draft else 0)
    initial = {"reviewer": claim.assignee_id, "priority": claim.priority, "due_date": claim.due_date}
    update_initial = {"priority": claim.priority, "due_date": claim.due_date, "version": claim.version}
    correct_initial = _ruling_initial(ruling, version=ruling.version) if may_correct else {}
    blank_forms = {
        "assign_form": ("assign" in transitions, lambda: AssignForm(initial=initial)),
        "update_form": (
            editor and claim.status not in CLOSED_STATES,
            lambda: ClaimUpdateForm(initial=update_initial),
        ),
        "merge_form": ("merge" in transitions, MergeForm),
        "source_form": (may_change_sources, SourceForm),
        "ruling_form": ("submit" in transitions, lambda: RulingForm(initial=ruling_initial)),
        "approve_form": (may_decide, ApproveForm),
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
        "last_returned": last_returned,
        "changes": changes,
        "sources": sources,
        "source_count": len(sources),
        "comments": comments,
        "history": history,
        "may_decide": may_decide,
        "may_correct": may_correct,
        "may_publish": bool(ruling and ruling.status == Ruling.Status.APPROVED and "publish" in transitions),
        "may_change_sources": may_change_sources,
    }
    for name, (shown, make) in blank_forms.items():
        context[name] = forms.get(name) or (make() if shown else None)
    context["merge_targets"] = selectors.merge_targets(claim) if context["merge_form"] else []
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
