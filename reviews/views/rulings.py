"""Source and ruling actions on the claim page.

Sources are edited inline: with htmx (``HX-Request``) the add, edit and remove actions answer
with the fragment to swap (a source row, the add form), and a refused form comes back in place
with 400. Without JavaScript the same URLs answer as every other action does: redirect to the
claim page, or the claim page with the bound form and 400."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from articles.forms import add_service_errors
from articles.models import Claim
from factcheck.roles import newsroom_required

from .. import services, workflow
from ..forms import (
    ApproveForm,
    CorrectionForm,
    ReturnForm,
    RulingForm,
    SourceForm,
)
from ..models import Source
from ..workflow import NotAllowed, WorkflowError
from .claim import (
    _act,
    _act_with_form,
    _get_claim_for_user,
    _get_ruling_for_user,
    _get_source_for_user,
    _history,
    _versioned,
)

SOURCES = "reviews/partials/sources.html"


def _source_count(claim_id: int) -> int:
    return Source.objects.filter(claim_id=claim_id).count()


def _row(request, source: Source, *, form: SourceForm | None = None, error: str = "", status: int = 200, **extra):
    """One source's row (its edit form when ``form`` is given), plus any out-of-band updates."""
    source.edit_form = form
    source.error = error
    context = {
        "source": source,
        "claim_url": reverse("claim-detail", args=[source.claim_id]),
        "may_change_sources": workflow.may_change_sources(request.user, source.claim),
        **extra,
    }
    return render(request, f"{SOURCES}#source-response", context, status=status)


def _save(form, action):
    """Validate ``form`` and run ``action`` with its data: (result, None), or (None, status) with
    the errors on the form. A permission refusal is a 403, as on every other action."""
    if not form.is_valid():
        return None, 400
    try:
        return action(**form.cleaned_data), None
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except WorkflowError as exc:
        form.add_error(None, exc.message)
        return None, 409
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None, 400


@newsroom_required
@require_POST
def source_add(request, pk: int):
    claim = _get_claim_for_user(request, pk)
    form = SourceForm(request.POST)
    add = lambda **data: services.source_add(claim=claim, actor=request.user, **data)  # noqa: E731
    if not request.htmx:
        return _act_with_form(request, claim.pk, form, "source_form", add, "Source added.")
    source, status = _save(form, add)
    if source is None:
        response = render(request, f"{SOURCES}#source-add-form", {"claim": claim, "source_form": form}, status=status)
        # The new row goes to the end of the list; a refused form replaces the form instead.
        response["HX-Retarget"] = "#source-add-form"
        response["HX-Reswap"] = "outerHTML"
        return response
    response = _row(
        request,
        source,
        oob=True,
        claim=claim,
        source_form=SourceForm(),
        source_count=_source_count(claim.pk),
        status_message=f"Source added: {source.title}",
        history=_history(claim),  # the new event, without a reload
    )
    if claim.status == Claim.Status.ASSIGNED and claim.assignee_id == request.user.pk:
        # The first evidence started the review: the state and the offered actions changed.
        response["HX-Refresh"] = "true"
    return response


@newsroom_required
@require_GET
def source_row(request, pk: int):
    """A source's row as shown in the list: what "Cancel" on an inline edit form swaps back."""
    return _row(request, _get_source_for_user(request, pk))


@newsroom_required
@require_GET
def source_edit_form(request, pk: int):
    """A source's row as its edit form, for htmx to swap in; without htmx, the claim page with
    that form open."""
    source = _get_source_for_user(request, pk)
    if not workflow.may_edit_sources(request.user, source.claim):
        raise PermissionDenied("Only the assigned reviewer or an editor can change this claim's sources.")
    if not request.htmx:
        url = reverse("claim-detail", args=[source.claim_id])
        return redirect(f"{url}?edit_source={source.pk}#source-{source.pk}")
    if not workflow.may_change_sources(request.user, source.claim):
        state = source.claim.get_status_display().lower()
        return _row(request, source, error=f"Sources cannot be changed on a claim that is {state}.", status=409)
    form = SourceForm.for_source(source)
    form.fields["title"].widget.attrs["autofocus"] = True  # htmx focuses it after the swap
    return _row(request, source, form=form)


@newsroom_required
@require_POST
def source_update(request, pk: int):
    source = _get_source_for_user(request, pk)
    form = SourceForm.for_source(source, request.POST)
    form.source_pk = source.pk
    update = lambda **data: services.source_update(source=source, actor=request.user, **data)  # noqa: E731
    if not request.htmx:
        return _act_with_form(request, source.claim_id, form, "source_edit_form", update, "Source saved.")
    saved, status = _save(form, update)
    if saved is None:
        return _row(request, source, form=form, status=status)
    saved.claim, saved.added_by = source.claim, source.added_by  # as loaded: no query for the row
    return _row(
        request,
        saved,
        oob=True,
        status_message=f"Source saved: {saved.title}",
        claim=source.claim,
        history=_history(source.claim),
    )


@newsroom_required
@require_POST
def source_remove(request, pk: int):
    source = _get_source_for_user(request, pk)
    remove = lambda: services.source_remove(source=source, actor=request.user)  # noqa: E731
    if not request.htmx:
        return _act(request, source.claim_id, remove, f"Source removed: {source.title}")
    try:
        remove()
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except WorkflowError as exc:
        return _row(request, source, error=exc.message, status=409)
    # An empty row: htmx swaps the list item out; the count and the live region update out of band.
    context = {
        "removed": True,
        "oob": True,
        "source_count": _source_count(source.claim_id),
        "status_message": f"Source removed: {source.title}",
        "claim": source.claim,
        "history": _history(source.claim),
    }
    return render(request, f"{SOURCES}#source-response", context)


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
    return _act_with_form(
        request,
        ruling.claim_id,
        ApproveForm(request.POST),
        "approve_form",
        lambda note: services.ruling_approve(ruling=ruling, actor=request.user, note=note),
        "Ruling approved.",
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
