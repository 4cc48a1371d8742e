"""Comments: the desk's discussion of a claim, and who is told of an @mention."""

import pytest
from django.core.exceptions import ValidationError

from articles import services as article_services
from articles.models import Claim
from reviews import services
from reviews.models import Comment, Notification
from reviews.workflow import NotAllowed

pytestmark = pytest.mark.django_db
BODY = "The minister said exports doubled in 2024."


@pytest.fixture
def claim(editor, reviewer) -> Claim:
    """A claim assigned to the reviewer (its assignment notification cleared)."""
    article = article_services.article_create(submitted_by=editor, title="Exports", body=BODY, extract=False)
    claim = Claim.objects.create(article=article, start=0, end=len(BODY), text=BODY)
    services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
    Notification.objects.all().delete()
    return claim


def _mentioned(body: str, claim, actor) -> list[str]:
    services.comment_add(claim=claim, actor=actor, body=body)
    return sorted(
        Notification.objects.filter(kind=Notification.Kind.MENTION).values_list("recipient__username", flat=True)
    )


@pytest.mark.parametrize("persona", ["editor", "editor2", "admin_user", "reviewer"])
def test_whoever_may_see_the_claim_may_comment(claim, persona, request):
    author = request.getfixturevalue(persona)
    comment = services.comment_add(claim=claim, actor=author, body="  Which year is the base?  ")
    assert (comment.claim, comment.author, comment.body) == (claim, author, "Which year is the base?")


@pytest.mark.parametrize("persona", ["other_reviewer", "outsider"])
def test_others_may_not_comment(claim, persona, request):
    with pytest.raises(NotAllowed):
        services.comment_add(claim=claim, actor=request.getfixturevalue(persona), body="Hello")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "bad\x00byte"])
def test_an_empty_or_malformed_comment_is_refused(claim, editor, body):
    with pytest.raises(ValidationError):
        services.comment_add(claim=claim, actor=editor, body=body)
    assert not Comment.objects.exists()


def test_mentioned_editors_and_the_assignee_are_told(claim, editor, editor2, reviewer):
    assert _mentioned("@rita and @ed: is 2023 the right base?", claim, editor) == ["ed", "rita"]
    mention = Notification.objects.get(recipient=reviewer)
    assert mention.subject == f"erin mentioned you on claim {claim.pk}"
    assert "is 2023 the right base?" in mention.body


def test_a_reviewer_who_may_not_see_the_claim_is_not_told(claim, editor):
    assert _mentioned("@otto might know", claim, editor) == []


def test_a_person_mentioned_twice_is_told_once(claim, editor):
    assert _mentioned("@rita, @rita!", claim, editor) == ["rita"]


def test_each_comment_is_its_own_occasion(claim, editor):
    _mentioned("@rita first", claim, editor)
    assert _mentioned("@rita second", claim, editor) == ["rita", "rita"]


def test_the_author_is_not_told_of_their_own_mention(claim, reviewer):
    assert _mentioned("Note to self, @rita: check customs", claim, reviewer) == []


@pytest.mark.parametrize(
    ("body", "told"),
    [
        ("Ask @rita.", ["rita"]),  # sentence punctuation is not part of the name
        ("Ask @rita's team", ["rita"]),
        ("Write to rita@example.org", []),  # an address is not a mention
        ("Ask @nobody", []),
        ("Ask @RITA", []),  # usernames are case-sensitive
    ],
)
def test_what_counts_as_a_mention(claim, editor, body, told):
    assert _mentioned(body, claim, editor) == told


def test_an_inactive_colleague_is_not_told(claim, editor, editor2):
    editor2.is_active = False
    editor2.save()
    assert _mentioned("@ed see this", claim, editor) == []
