"""The approval view's diff (reviews/diff.py): word-level text diffs with escaped text, and what
changed in a resubmitted ruling since it was returned: rating, summary, explanation, sources."""

import datetime

import pytest

from reviews import services
from reviews.diff import ruling_changes, word_diff
from reviews.models import Event, Rating, Ruling, Source

T0 = datetime.datetime(2025, 6, 24, 9, 0, tzinfo=datetime.UTC)


def at(minutes: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes)


# --- word_diff -------------------------------------------------------------------------------------


def test_identical_text_has_no_markup():
    assert word_diff("Prices rose 5% last year.", "Prices rose 5% last year.") == "Prices rose 5% last year."


def test_a_replaced_word_is_deleted_then_inserted():
    html = word_diff("Prices rose 5% last year.", "Prices rose 7% last year.")
    assert html == "Prices rose <del>5%</del> <ins>7%</ins> last year."


def test_added_and_removed_words():
    assert word_diff("a b c", "a c d") == "a <del>b</del> c <ins>d</ins>"
    assert word_diff("", "new text") == "<ins>new text</ins>"
    assert word_diff("old text", "") == "<del>old text</del>"


def test_the_new_line_breaks_and_spacing_are_kept():
    html = word_diff("First line.\nSecond line.", "  First line.\n\nSecond line, revised.")
    assert html == "  First line.\n\nSecond <del>line.</del> <ins>line, revised.</ins>"


def test_text_is_escaped_before_it_is_marked():
    html = word_diff("He said <b>no</b>", 'He said <script>alert("x")</script> & left')
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<del>&lt;b&gt;no&lt;/b&gt;</del>" in html
    assert "<ins>" in html and "&amp;" in html


def test_common_words_in_a_long_text_are_not_treated_as_junk():
    # difflib's autojunk would drop "the" (over 1% of 200+ tokens) from matching and mark
    # far more than the one changed word.
    old = " ".join(["the claim"] * 150 + ["is false"])
    new = " ".join(["the claim"] * 150 + ["is true"])
    html = word_diff(old, new)
    assert html.count("<del>") == html.count("<ins>") == 1
    assert html.endswith("is <del>false</del> <ins>true</ins>")


# --- ruling_changes, on rows in memory (no database) -----------------------------------------------

FALSE = Rating(pk=1, name="False", slug="false", colour="#b91c1c")
MOSTLY_FALSE = Rating(pk=2, name="Mostly false", slug="mostly-false", colour="#c2410c")


def ruling(pk: int, status: str, minutes: int, rating=FALSE, summary="S", explanation="E", note="") -> Ruling:
    return Ruling(
        pk=pk,
        claim_id=7,
        status=status,
        rating=rating,
        summary=summary,
        explanation=explanation,
        return_note=note,
        created_at=at(minutes),
    )


def event(pk: int, action: str, minutes: int, note: str = "", claim_id: int = 7) -> Event:
    return Event(pk=pk, claim_id=claim_id, action=action, note=note, created_at=at(minutes))


def source(pk: int, title: str, minutes: int) -> Source:
    return Source(pk=pk, claim_id=7, title=title, created_at=at(minutes))


def test_a_first_submission_has_no_previous_version():
    current = ruling(1, Ruling.Status.SUBMITTED, 10)
    changes = ruling_changes(ruling=current, rulings=[current], sources=[], history=[])
    assert changes.first_submission and changes.previous is None
    assert not changes.rating_changed and not changes.sources_changed and not changes.unchanged


def test_the_newest_returned_ruling_is_compared():
    older = ruling(1, Ruling.Status.RETURNED, 0, summary="First try", note="No.")
    newer = ruling(2, Ruling.Status.RETURNED, 20, summary="Second try", note="Closer.")
    current = ruling(3, Ruling.Status.SUBMITTED, 40, rating=MOSTLY_FALSE, summary="Third try")
    history = [event(1, "claim.return", 5), event(2, "claim.return", 25)]
    changes = ruling_changes(ruling=current, rulings=[current, newer, older], sources=[], history=history)
    assert changes.previous is newer and changes.return_event is history[1]
    assert changes.rating_changed and (changes.old_rating, changes.new_rating) == (FALSE, MOSTLY_FALSE)
    assert changes.summary_changed and changes.summary_html == "<del>Second</del> <ins>Third</ins> try"
    assert not changes.explanation_changed and changes.explanation_html == "E"


def test_sources_added_edited_and_removed_since_the_return():
    returned = ruling(1, Ruling.Status.RETURNED, 0)
    current = ruling(2, Ruling.Status.SUBMITTED, 60)
    kept, edited, added = source(1, "Kept", 1), source(2, "Edited title", 2), source(3, "Added", 30)
    history = [
        event(1, "source.added", 1, "Kept"),
        event(2, "source.added", 2, "Old title"),
        event(3, "source.added", 3, "Gone"),
        event(4, "claim.return", 10),
        event(5, "source.edited", 20, "Edited title"),
        event(6, "source.removed", 21, "Gone"),
        event(7, "source.added", 30, "Added"),
        event(8, "source.added", 31, "Tried and dropped"),
        event(9, "source.removed", 32, "Tried and dropped"),
        # A duplicate merged into the claim brings its own events: not this claim's sources.
        event(10, "source.removed", 33, "Of the duplicate", claim_id=8),
    ]
    changes = ruling_changes(
        ruling=current, rulings=[current, returned], sources=[kept, edited, added], history=history
    )
    assert changes.sources_added == [added]
    assert changes.sources_edited == [edited]
    assert changes.sources_removed == ["Gone"]
    assert changes.sources_changed and not changes.unchanged


def test_a_resubmission_without_changes_says_so():
    returned = ruling(1, Ruling.Status.RETURNED, 0)
    current = ruling(2, Ruling.Status.SUBMITTED, 60)
    history = [event(1, "source.added", 0, "Kept"), event(2, "claim.return", 10)]
    changes = ruling_changes(
        ruling=current, rulings=[current, returned], sources=[source(1, "Kept", 0)], history=history
    )
    assert changes.unchanged and not changes.first_submission


# --- ruling_changes, through the services --------------------------------------------------------


@pytest.mark.django_db
def test_a_returned_and_revised_ruling_through_the_services(assigned, reviewer, editor2):
    first = services.source_add(claim=assigned, actor=reviewer, title="Rutte's speech")
    dropped = services.source_add(claim=assigned, actor=reviewer, title="A blog post")
    returned = services.ruling_submit(
        claim=assigned,
        actor=reviewer,
        rating=Rating.objects.get(slug="true"),
        summary="Türkiye has a large defence industry",
        explanation="Rutte said so.",
    )
    services.ruling_return(ruling=returned, actor=editor2, note="Rutte is not a source for his own claim.")
    services.source_remove(source=dropped, actor=reviewer)
    sipri = services.source_add(claim=assigned, actor=reviewer, title="SIPRI Top 100")
    current = services.ruling_submit(
        claim=assigned,
        actor=reviewer,
        rating=Rating.objects.get(slug="mostly-true"),
        summary="Türkiye has a large defence industry",
        explanation="SIPRI lists several Turkish firms in its top 100.",
    )
    changes = ruling_changes(
        ruling=current,
        rulings=list(assigned.rulings.all()),
        sources=list(assigned.sources.all()),
        history=list(Event.objects.filter(claim=assigned).order_by("created_at", "id")),
    )
    assert changes.previous == returned and changes.previous.return_note.startswith("Rutte is not")
    assert changes.return_event.actor == editor2
    assert (changes.old_rating.slug, changes.new_rating.slug) == ("true", "mostly-true")
    assert not changes.summary_changed
    assert (
        changes.explanation_html
        == "<del>Rutte said so.</del> <ins>SIPRI lists several Turkish firms in its top 100.</ins>"
    )
    assert changes.sources_added == [sipri] and changes.sources_removed == ["A blog post"]
    assert changes.sources_edited == [] and first not in changes.sources_added
