"""Concurrent edits do not lose work: two people acting on the same claim or ruling at once,
each on their own database connection (threads), with real commits in between.

On PostgreSQL the claim's row lock (SELECT ... FOR UPDATE) serialises the two; on SQLite the
write lock taken at BEGIN IMMEDIATE does. Either way the second sees the first's commit.
"""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from articles import services as article_services
from articles.models import Claim
from reviews import services
from reviews.models import Event, Rating, ReviewerProfile, Ruling
from reviews.workflow import Conflict, WorkflowError

# Transactional: the threads see only committed rows. The serialized rollback puts back the
# migrations' data (role groups, the rating scale) that flushing after each test removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BODY = "The minister said exports doubled in 2024.\nImports fell by a third."


def _race(*calls: Callable[[], object]) -> list[object]:
    """Run the calls at the same moment, each in its own thread and database connection;
    return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[i] = call()
        except Exception as exc:  # noqa: BLE001 (the outcome under test)
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcomes


def _in_thread(call: Callable[[], object]) -> object:
    (outcome,) = _race(call)
    return outcome


def _claims(editor) -> list[Claim]:
    article = article_services.article_create(submitted_by=editor, title="Trade", body=BODY, extract=False)
    return [
        Claim.objects.create(article=article, start=BODY.index(line), end=BODY.index(line) + len(line), text=line)
        for line in BODY.split("\n")
    ]


@pytest.fixture
def claim(editor, reviewer) -> Claim:
    claim = _claims(editor)[0]
    return services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)


def _save_draft(claim, reviewer, summary: str, version: int | None) -> Callable[[], Ruling]:
    rating = Rating.objects.get(slug="false")
    return lambda: services.ruling_save_draft(
        claim=claim,
        actor=reviewer,
        rating=rating,
        summary=summary,
        explanation="Customs data.",
        expected_version=version,
    )


def _sorted(outcomes) -> tuple[list, list]:
    return [o for o in outcomes if not isinstance(o, Exception)], [o for o in outcomes if isinstance(o, Exception)]


# --- Ruling drafts ------------------------------------------------------------------------------


def test_the_second_save_of_a_draft_from_another_connection_is_a_conflict(claim, reviewer):
    draft = services.ruling_save_draft(
        claim=claim, actor=reviewer, rating=Rating.objects.get(slug="false"), summary="Start", explanation="…"
    )
    # Both tabs loaded version 1; the first saves, then the second.
    first = _in_thread(_save_draft(claim, reviewer, "From the first tab", draft.version))
    second = _in_thread(_save_draft(claim, reviewer, "From the second tab", draft.version))

    assert isinstance(first, Ruling) and first.version == 2
    assert isinstance(second, Conflict)
    draft.refresh_from_db()
    assert (draft.summary, draft.version) == ("From the first tab", 2)


def test_two_simultaneous_saves_of_a_draft_keep_exactly_one(claim, reviewer):
    draft = services.ruling_save_draft(
        claim=claim, actor=reviewer, rating=Rating.objects.get(slug="false"), summary="Start", explanation="…"
    )

    saved, refused = _sorted(
        _race(
            _save_draft(claim, reviewer, "Tab A", draft.version),
            _save_draft(claim, reviewer, "Tab B", draft.version),
        )
    )

    assert len(saved) == 1 and len(refused) == 1
    assert isinstance(refused[0], Conflict)
    draft.refresh_from_db()
    assert (draft.summary, draft.version) == (saved[0].summary, 2)


def test_two_simultaneous_first_drafts_make_one_ruling(claim, reviewer):
    outcomes = _race(_save_draft(claim, reviewer, "Tab A", None), _save_draft(claim, reviewer, "Tab B", None))
    # Without a version to compare, the later save wins, but it updates the one draft.
    assert all(isinstance(o, Ruling) for o in outcomes)
    assert Ruling.objects.filter(claim=claim).count() == 1
    assert Event.objects.filter(claim=claim, action="claim.start").count() == 1


# --- Decisions and claim edits -----------------------------------------------------------------


def test_two_editors_approving_the_same_ruling_at_once_approve_it_once(claim, reviewer, editor, editor2, settings):
    settings.RULING_REQUIRES_SOURCE = False
    ruling = services.ruling_submit(
        claim=claim, actor=reviewer, rating=Rating.objects.get(slug="false"), summary="No", explanation="Data."
    )

    approved, refused = _sorted(
        _race(
            lambda: services.ruling_approve(ruling=ruling, actor=editor),
            lambda: services.ruling_approve(ruling=ruling, actor=editor2),
        )
    )

    assert len(approved) == 1 and len(refused) == 1
    assert isinstance(refused[0], WorkflowError)
    ruling.refresh_from_db()
    assert ruling.status == Ruling.Status.APPROVED
    assert ruling.approved_by_id == approved[0].approved_by_id
    assert Event.objects.filter(claim=claim, action="claim.approve").count() == 1


def test_two_editors_updating_the_same_claim_version_conflict(claim, editor, editor2):
    version = Claim.objects.get(pk=claim.pk).version

    updated, refused = _sorted(
        _race(
            lambda: services.claim_update(claim=claim, actor=editor, expected_version=version, priority=4),
            lambda: services.claim_update(claim=claim, actor=editor2, expected_version=version, priority=1),
        )
    )

    assert len(updated) == 1 and [type(e) for e in refused] == [Conflict]
    claim.refresh_from_db()
    assert (claim.priority, claim.version) == (updated[0].priority, version + 1)
    assert Event.objects.filter(claim=claim, action="claim.updated").count() == 1


def test_two_auto_assignments_at_once_respect_the_cap(editor, editor2, reviewer, other_reviewer, settings):
    settings.REVIEWER_MAX_OPEN = 1
    ReviewerProfile.objects.create(user=reviewer)
    first, second = _claims(editor), _claims(editor)  # two articles, two claims each

    outcomes = _race(
        lambda: services.claims_auto_assign(claims=first, actor=editor),
        lambda: services.claims_auto_assign(claims=second, actor=editor2),
    )

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert sum(len(o.done) for o in outcomes) == 2
    loads = sorted(Claim.objects.exclude(assignee=None).values_list("assignee__username", flat=True))
    assert loads == ["otto", "rita"]
