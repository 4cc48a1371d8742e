"""Source and ruling actions on the claim page."""

from django.views.decorators.http import require_POST

from factcheck.roles import newsroom_required

from .. import services
from ..forms import (
    CorrectionForm,
    ReturnForm,
    RulingForm,
    SourceForm,
)
from .claim import _act, _act_with_form, _get_claim_for_user, _get_ruling_for_user, _get_source_for_user, _versioned


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
