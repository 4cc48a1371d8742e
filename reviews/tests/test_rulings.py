"""Rulings: drafts, submitting, the four-eyes decisions, publishing and corrections."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import F

from articles import services as article_services
from articles.models import Claim
from factcheck.roles import EDITORS
from reviews import services
from reviews.models import Event, Rating, Ruling, Source
from reviews.workflow import Conflict, NotAllowed, WorkflowError

pytestmark = pytest.mark.django_db
S = Claim.Status
R = Ruling.Status
BODY = "The minister said exports doubled in 2024."


def _rating(slug: str = "false") -> Rating:
    return Rating.objects.get(slug=slug)


def _wording(**overrides) -> dict:
    return {"rating": _rating(), "summary": "Exports did not double", "explanation": "Customs data.", **overrides}


@pytest.fixture
def claim(editor, reviewer) -> Claim:
    """A claim assigned to the reviewer, with no source yet."""
    article = article_services.article_create(submitted_by=editor, title="Exports", body=BODY, extract=False)
    claim = Claim.objects.create(article=article, start=0, end=len(BODY), text=BODY)
    return services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)


def _add_source(claim, actor) -> Source:
    return services.source_add(claim=claim, actor=actor, title="Customs data", url="https://example.org/customs")


@pytest.fixture
def submitted(claim, reviewer) -> Ruling:
    _add_source(claim, reviewer)
    return services.ruling_submit(claim=claim, actor=reviewer, **_wording())


@pytest.fixture
def approved(submitted, editor) -> Ruling:
    return services.ruling_approve(ruling=submitted, actor=editor)


@pytest.fixture
def published(approved, editor) -> Ruling:
    return services.ruling_publish(ruling=approved, actor=editor)


def _correct(ruling, actor, note="The 2024 figure was revised.", **overrides) -> Ruling:
    wording = _wording(rating=_rating("mostly-false"), summary="Exports rose, but did not double", **overrides)
    return services.ruling_correct(ruling=ruling, actor=actor, correction_note=note, **wording)


def _state(claim) -> tuple:
    claim.refresh_from_db()
    rulings = list(Ruling.objects.filter(claim=claim).values_list("pk", "status", "version", "summary"))
    return claim.status, claim.version, rulings, Event.objects.filter(claim=claim).count()


# --- Drafts -------------------------------------------------------------------------------------


def test_the_assignee_saves_a_draft(claim, reviewer):
    draft = services.ruling_save_draft(claim=claim, actor=reviewer, **_wording())
    assert (draft.status, draft.reviewer, draft.version) == (R.DRAFT, reviewer, 1)
    assert draft.summary == "Exports did not double"


def test_saving_again_updates_the_same_draft(claim, reviewer):
    first = services.ruling_save_draft(claim=claim, actor=reviewer, **_wording())
    second = services.ruling_save_draft(claim=claim, actor=reviewer, expected_version=1, **_wording(summary="Better"))
    assert second.pk == first.pk
    assert (second.version, second.summary) == (2, "Better")
    assert Ruling.objects.count() == 1


def test_a_draft_saved_on_a_stale_version_is_a_conflict(claim, reviewer):
    services.ruling_save_draft(claim=claim, actor=reviewer, **_wording())
    services.ruling_save_draft(claim=claim, actor=reviewer, expected_version=1, **_wording(summary="Second tab"))
    before = _state(claim)
    with pytest.raises(Conflict):
        services.ruling_save_draft(claim=claim, actor=reviewer, expected_version=1, **_wording(summary="First tab"))
    assert _state(claim) == before


@pytest.mark.parametrize("persona", ["editor", "other_reviewer", "outsider"])
def test_only_the_assignee_drafts(claim, persona, request):
    with pytest.raises(NotAllowed):
        services.ruling_save_draft(claim=claim, actor=request.getfixturevalue(persona), **_wording())
    assert not Ruling.objects.exists()


def test_no_draft_once_the_ruling_is_submitted(submitted, reviewer):
    before = _state(submitted.claim)
    with pytest.raises(WorkflowError, match="Cannot draft a ruling on a claim that is ruling submitted") as exc:
        services.ruling_save_draft(claim=submitted.claim, actor=reviewer, **_wording(summary="Changed my mind"))
    assert exc.value.status_code == 409
    assert _state(submitted.claim) == before


def test_a_new_reviewer_takes_over_the_draft(claim, reviewer, other_reviewer, editor):
    draft = services.ruling_save_draft(claim=claim, actor=reviewer, **_wording())
    services.claim_assign(claim=claim, reviewer=other_reviewer, actor=editor)
    again = services.ruling_save_draft(claim=claim, actor=other_reviewer, expected_version=1, **_wording())
    assert (again.pk, again.reviewer) == (draft.pk, other_reviewer)
    with pytest.raises(NotAllowed):
        services.ruling_save_draft(claim=claim, actor=reviewer, **_wording())


def test_an_inactive_rating_is_refused(claim, reviewer):
    Rating.objects.filter(slug="false").update(active=False)
    with pytest.raises(ValidationError) as exc:
        services.ruling_save_draft(claim=claim, actor=reviewer, **_wording())
    assert "rating" in exc.value.message_dict


# --- Submitting ---------------------------------------------------------------------------------


def test_the_draft_becomes_the_submitted_ruling(claim, reviewer):
    draft = services.ruling_save_draft(claim=claim, actor=reviewer, **_wording(summary="Work in progress"))
    _add_source(claim, reviewer)
    ruling = services.ruling_submit(claim=claim, actor=reviewer, expected_version=1, **_wording(summary="Final"))
    assert ruling.pk == draft.pk
    assert (ruling.status, ruling.summary, ruling.version) == (R.SUBMITTED, "Final", 2)
    assert Ruling.objects.count() == 1
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_submitting_without_a_draft_creates_the_ruling(claim, reviewer):
    _add_source(claim, reviewer)
    ruling = services.ruling_submit(claim=claim, actor=reviewer, **_wording())
    assert (ruling.status, ruling.reviewer, ruling.version) == (R.SUBMITTED, reviewer, 1)


def test_submitting_over_a_stale_draft_is_a_conflict(claim, reviewer):
    services.ruling_save_draft(claim=claim, actor=reviewer, **_wording())
    services.ruling_save_draft(claim=claim, actor=reviewer, expected_version=1, **_wording(summary="Other tab"))
    _add_source(claim, reviewer)
    before = _state(claim)
    with pytest.raises(Conflict):
        services.ruling_submit(claim=claim, actor=reviewer, expected_version=1, **_wording())
    assert _state(claim) == before


def test_a_ruling_needs_a_source(claim, reviewer):
    services.ruling_save_draft(claim=claim, actor=reviewer, **_wording())
    before = _state(claim)
    with pytest.raises(WorkflowError) as exc:
        services.ruling_submit(claim=claim, actor=reviewer, **_wording())
    assert exc.value.code == "source_required"
    assert _state(claim) == before  # the draft is still a draft


def test_an_editors_source_counts(claim, reviewer, editor):
    _add_source(claim, editor)
    assert services.ruling_submit(claim=claim, actor=reviewer, **_wording()).status == R.SUBMITTED


def test_the_desk_may_drop_the_source_rule(claim, reviewer, settings):
    settings.RULING_REQUIRES_SOURCE = False
    ruling = services.ruling_submit(claim=claim, actor=reviewer, **_wording())
    assert ruling.status == R.SUBMITTED
    assert not claim.sources.exists()


# --- Returning and approving: four eyes ---------------------------------------------------------


def test_return_sends_the_ruling_back_with_the_note(submitted, editor):
    ruling = services.ruling_return(ruling=submitted, actor=editor, note="Cite the customs data.")
    assert (ruling.status, ruling.return_note) == (R.RETURNED, "Cite the customs data.")
    ruling.claim.refresh_from_db()
    assert ruling.claim.status == S.RETURNED


def test_a_return_needs_a_note(submitted, editor):
    before = _state(submitted.claim)
    with pytest.raises(ValidationError):
        services.ruling_return(ruling=submitted, actor=editor, note="  ")
    assert _state(submitted.claim) == before


def test_a_returned_ruling_is_kept_and_a_new_one_submitted(submitted, editor, reviewer):
    services.ruling_return(ruling=submitted, actor=editor, note="Cite the customs data.")
    draft = services.ruling_save_draft(claim=submitted.claim, actor=reviewer, **_wording(summary="Revised"))
    assert draft.pk != submitted.pk
    again = services.ruling_submit(claim=submitted.claim, actor=reviewer, expected_version=1, **_wording())
    statuses = dict(Ruling.objects.values_list("pk", "status"))
    assert statuses == {submitted.pk: R.RETURNED, again.pk: R.SUBMITTED}


def test_approval_records_who_and_when(submitted, editor):
    ruling = services.ruling_approve(ruling=submitted, actor=editor, note="Solid.")
    assert (ruling.status, ruling.approved_by) == (R.APPROVED, editor)
    assert ruling.approved_at is not None
    assert ruling.version == submitted.version + 1


@pytest.mark.parametrize("decision", ["approve", "return"])
def test_the_author_cannot_decide_on_their_own_ruling(submitted, reviewer, decision):
    reviewer.groups.add(Group.objects.get(name=EDITORS))  # a reviewer who is also an editor
    del reviewer._factcheck_groups
    before = _state(submitted.claim)
    call = getattr(services, f"ruling_{decision}")
    with pytest.raises(NotAllowed, match="someone other than the reviewer"):
        call(ruling=submitted, actor=reviewer, note="Looks fine to me")
    assert _state(submitted.claim) == before


def test_a_decision_on_a_stale_version_is_a_conflict(submitted, editor):
    Ruling.objects.filter(pk=submitted.pk).update(version=F("version") + 1)  # someone else's edit
    before = _state(submitted.claim)
    with pytest.raises(Conflict):
        services.ruling_approve(ruling=submitted, actor=editor, expected_version=submitted.version)
    assert _state(submitted.claim) == before


# --- Publishing ---------------------------------------------------------------------------------


def test_publishing_makes_the_ruling_public(approved, editor2):
    ruling = services.ruling_publish(ruling=approved, actor=editor2)
    assert ruling.status == R.PUBLISHED and ruling.published_at is not None
    ruling.claim.refresh_from_db()
    assert ruling.claim.status == S.PUBLISHED


# --- Corrections --------------------------------------------------------------------------------


def test_a_correction_supersedes_and_keeps_the_published_ruling(published, editor2):
    corrected = _correct(published, editor2)

    published.refresh_from_db()
    assert published.status == R.SUPERSEDED
    assert published.summary == "Exports did not double"  # the old wording is kept as it was
    assert (corrected.status, corrected.supersedes, corrected.reviewer) == (R.PUBLISHED, published, editor2)
    assert corrected.correction_note == "The 2024 figure was revised."
    assert corrected.rating.slug == "mostly-false" and corrected.published_at is not None
    corrected.claim.refresh_from_db()
    assert corrected.claim.status == S.CORRECTED
    events = list(Event.objects.filter(claim=corrected.claim).values_list("action", "note"))[-2:]
    assert events == [("claim.correct", "The 2024 figure was revised."), ("ruling.corrected", "False → Mostly false")]


def test_a_correction_can_be_corrected_again(published, editor, editor2):
    first = _correct(published, editor)
    second = _correct(first, editor2, note="And the 2023 base year, too.")
    statuses = list(Ruling.objects.order_by("pk").values_list("pk", "status", "supersedes"))
    assert statuses == [
        (published.pk, R.SUPERSEDED, None),
        (first.pk, R.SUPERSEDED, published.pk),
        (second.pk, R.PUBLISHED, first.pk),
    ]
    second.claim.refresh_from_db()
    assert second.claim.status == S.CORRECTED


def test_a_superseded_ruling_cannot_be_corrected(published, editor):
    _correct(published, editor)
    published.refresh_from_db()
    with pytest.raises(WorkflowError, match="superseded"):
        _correct(published, editor)


@pytest.mark.parametrize("persona", ["reviewer", "other_reviewer", "outsider"])
def test_only_editors_correct(published, persona, request):
    before = _state(published.claim)
    with pytest.raises(NotAllowed):
        _correct(published, request.getfixturevalue(persona))
    assert _state(published.claim) == before


def test_a_correction_needs_a_note(published, editor):
    before = _state(published.claim)
    with pytest.raises(ValidationError):
        _correct(published, editor, note="")
    assert _state(published.claim) == before


def test_a_correction_on_a_stale_version_is_a_conflict(published, editor):
    with pytest.raises(Conflict):
        _correct(published, editor, expected_version=published.version - 1)


# --- A published ruling is locked ---------------------------------------------------------------

OTHER_WRITES = {
    "draft": lambda r, p: services.ruling_save_draft(claim=r.claim, actor=p["reviewer"], **_wording(summary="x")),
    "submit": lambda r, p: services.ruling_submit(claim=r.claim, actor=p["reviewer"], **_wording(summary="x")),
    "return": lambda r, p: services.ruling_return(ruling=r, actor=p["editor2"], note="Redo"),
    "approve": lambda r, p: services.ruling_approve(ruling=r, actor=p["editor2"]),
    "publish": lambda r, p: services.ruling_publish(ruling=r, actor=p["editor2"]),
    "reassign": lambda r, p: services.claim_assign(claim=r.claim, reviewer=p["other_reviewer"], actor=p["editor"]),
    "reject": lambda r, p: services.claim_reject(claim=r.claim, actor=p["editor"]),
    "add source": lambda r, p: _add_source(r.claim, p["editor"]),
    "edit source": lambda r, p: services.source_update(source=r.claim.sources.get(), actor=p["editor"], title="x"),
    "remove source": lambda r, p: services.source_remove(source=r.claim.sources.get(), actor=p["editor"]),
}


@pytest.mark.parametrize("correct_first", [False, True], ids=["published", "corrected"])
@pytest.mark.parametrize("write", OTHER_WRITES)
def test_a_published_ruling_changes_only_through_a_correction(
    published, editor, editor2, reviewer, other_reviewer, write, correct_first
):
    ruling = _correct(published, editor) if correct_first else published
    people = {"editor": editor, "editor2": editor2, "reviewer": reviewer, "other_reviewer": other_reviewer}
    before = _state(ruling.claim), list(Source.objects.values_list("pk", "title"))

    with pytest.raises(WorkflowError):
        OTHER_WRITES[write](ruling, people)

    assert (_state(ruling.claim), list(Source.objects.values_list("pk", "title"))) == before
