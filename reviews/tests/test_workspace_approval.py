"""The approval view on the claim page: a second editor sees the submitted ruling, its sources
and what changed since it was last returned, and approves or returns it with a comment. Then the
claim page's query budget and server time in each role's view."""

import io
import statistics
import time

import pytest
from django.test import RequestFactory
from django.test.client import ClientHandler
from django.urls import reverse
from django.utils.html import escape

from articles.models import Claim
from reviews import services
from reviews.models import Event, Rating, Ruling, Source

pytestmark = pytest.mark.django_db
S = Claim.Status
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"

# Session, user, groups; then the page's own queries: claim, sources, rulings, comments,
# merged claims, history.
EDITOR_APPROVING_QUERIES = 9
# The same, + the active ratings of the ruling form's scale.
REVIEWER_WORKING_QUERIES = 10
# + which of the names @mentioned in the comments are users: only when a comment mentions someone.
MENTIONS_QUERY = 1
# Server time of one claim page with a busy history (30 sources, 20 comments, 90 events).
PAGE_BUDGET_MS = 100


def rating(slug: str) -> Rating:
    return Rating.objects.get(slug=slug)


@pytest.fixture
def first_source(assigned, reviewer) -> Source:
    return services.source_add(claim=assigned, actor=reviewer, title="Rutte's speech", url="https://nato.int/speech")


@pytest.fixture
def submitted(assigned, first_source, reviewer) -> Ruling:
    return services.ruling_submit(
        claim=assigned,
        actor=reviewer,
        rating=rating("true"),
        summary="Türkiye has a very large defence industry",
        explanation="Rutte said so at the summit.",
    )


@pytest.fixture
def resubmitted(submitted, assigned, first_source, reviewer, editor2) -> Ruling:
    """Returned by the second editor, revised by the reviewer and submitted again."""
    services.ruling_return(ruling=submitted, actor=editor2, note="Rutte is not a source for his own claim.")
    blog = services.source_add(claim=assigned, actor=reviewer, title="A blog post")
    services.source_remove(source=blog, actor=reviewer)
    services.source_remove(source=first_source, actor=reviewer)
    services.source_add(claim=assigned, actor=reviewer, title="SIPRI Top 100", url="https://sipri.org/top100")
    return services.ruling_submit(
        claim=assigned,
        actor=reviewer,
        rating=rating("mostly-true"),
        summary="Türkiye has a very large defence industry",
        explanation="SIPRI lists several Turkish firms in its top 100.",
    )


def approval(client, claim: Claim) -> str:
    response = client.get(reverse("claim-detail", args=[claim.pk]))
    assert response.status_code == 200
    return response.text


def test_a_first_submission_says_so_and_offers_the_decision(client, editor2, submitted):
    client.force_login(editor2)
    html = approval(client, submitted.claim)
    assert 'id="approval-heading">Approve or return the ruling</h2>' in html
    assert "First submission: no earlier version was returned." in html
    assert "Türkiye has a very large defence industry" in html and "Rutte said so at the summit." in html
    assert "Rutte&#x27;s speech</a>" in html  # its sources
    assert f'action="{reverse("ruling-approve", args=[submitted.pk])}"' in html
    assert f'action="{reverse("ruling-return", args=[submitted.pk])}"' in html
    assert 'id="id_approve_note"' in html and 'id="id_return_note"' in html


def test_the_diff_from_the_returned_version(client, editor, resubmitted):
    client.force_login(editor)
    html = approval(client, resubmitted.claim)
    assert "First submission" not in html
    # The return comment, who gave it.
    assert "Returned by Ed Second" in html and "Rutte is not a source for his own claim." in html
    # Rating changed from X to Y.
    assert '>True</span> to <span class="rating" style="--rating-colour: #4d7c0f">Mostly true</span>' in html
    # Word-level diff of the explanation; the summary is unchanged.
    assert (
        "<del>Rutte said so at the summit.</del> <ins>SIPRI lists several Turkish firms in its top 100.</ins>" in html
    )
    assert "<dt>Summary</dt>\n        <dd>Unchanged</dd>" in html
    # Sources added and removed since the return; one added and removed meanwhile is neither.
    assert "<li><ins>Added:</ins> SIPRI Top 100</li>" in html
    assert "<li><del>Removed:</del> Rutte&#x27;s speech</li>" in html
    assert "A blog post" not in html.split('id="sources"')[0]
    assert '<span class="badge new">New</span>' in html
    # The returned ruling is listed below as an earlier ruling, the live one is not repeated.
    assert html.count('class="ruling ruling-submitted"') == 1 and html.count('class="ruling ruling-returned"') == 1


def test_a_hostile_ruling_is_escaped_in_the_diff(client, editor2, reviewer, submitted):
    services.ruling_return(ruling=submitted, actor=editor2, note=HOSTILE)
    services.ruling_submit(
        claim=submitted.claim, actor=reviewer, rating=rating("true"), summary=HOSTILE, explanation=f"Now {HOSTILE}"
    )
    client.force_login(editor2)
    html = approval(client, submitted.claim)
    assert "<script>alert" not in html and "onerror=alert(1)>" not in html
    assert f"<ins>{escape(HOSTILE)}</ins>" in html


def test_the_author_sees_the_submission_but_cannot_decide(client, reviewer, resubmitted):
    client.force_login(reviewer)
    html = approval(client, resubmitted.claim)
    assert 'id="approval-heading">Submitted ruling</h2>' in html
    assert "Your ruling awaits approval by an editor other than you." in html
    assert "<ins>Added:</ins> SIPRI Top 100" in html  # the reviewer sees the same diff
    assert reverse("ruling-approve", args=[resubmitted.pk]) not in html
    assert reverse("ruling-return", args=[resubmitted.pk]) not in html


def test_no_approval_panel_before_submission_or_after_approval(client, editor, editor2, assigned, submitted):
    services.ruling_approve(ruling=submitted, actor=editor2)
    client.force_login(editor)
    html = approval(client, assigned)
    assert 'id="approval"' not in html and 'class="ruling ruling-approved"' in html


def test_approve_with_a_comment(client, editor2, reviewer, resubmitted):
    client.force_login(editor2)
    response = client.post(reverse("ruling-approve", args=[resubmitted.pk]), {"note": "Good work, thanks."})
    assert response["Location"] == reverse("claim-detail", args=[resubmitted.claim_id])
    resubmitted.refresh_from_db()
    assert resubmitted.status == Ruling.Status.APPROVED and resubmitted.approved_by == editor2
    event = Event.objects.get(claim=resubmitted.claim, action="claim.approve")
    assert (event.actor, event.note) == (editor2, "Good work, thanks.")
    assert "Good work, thanks." in approval(client, resubmitted.claim)  # in the history


def test_return_with_a_comment_and_the_reviewer_sees_it_on_the_form(client, editor2, reviewer, submitted):
    client.force_login(editor2)
    client.post(reverse("ruling-return", args=[submitted.pk]), {"note": "Which year are the figures from?"})
    submitted.refresh_from_db()
    assert submitted.status == Ruling.Status.RETURNED
    client.force_login(reviewer)
    html = approval(client, submitted.claim)
    assert "Revise the returned ruling" in html
    assert "<strong>The editor's note:</strong> Which year are the figures from?" in html


@pytest.mark.parametrize("data", [{"note": "x" * 5001}, {"note": "\x00"}])
def test_a_bad_approval_note_is_refused_in_place(client, editor2, submitted, data):
    client.force_login(editor2)
    response = client.post(reverse("ruling-approve", args=[submitted.pk]), data)
    assert response.status_code == 400
    assert "note" in response.context["approve_form"].errors
    submitted.refresh_from_db()
    assert submitted.status == Ruling.Status.SUBMITTED


def test_who_may_not_decide(client, reviewer, other_reviewer, outsider, submitted):
    for user, code in ((reviewer, 403), (other_reviewer, 404), (outsider, 403)):
        client.force_login(user)
        assert client.post(reverse("ruling-approve", args=[submitted.pk]), {"note": "ok"}).status_code == code
        assert client.post(reverse("ruling-return", args=[submitted.pk]), {"note": "no"}).status_code == code
    submitted.refresh_from_db()
    assert submitted.status == Ruling.Status.SUBMITTED
    assert not Event.objects.filter(action__in=["claim.approve", "claim.return"]).exists()


# --- Query budgets and server time ----------------------------------------------------------------


def _busy(claim: Claim, *, editor, editor2, reviewer, rounds: int, sources: int, comments: int) -> None:
    """Returned and resubmitted rulings, many sources (some removed), comments with mentions."""
    for i in range(sources):
        services.source_add(claim=claim, actor=reviewer, title=f"Source {i}", url=f"https://example.org/{i}")
    for i in range(rounds):
        ruling = services.ruling_submit(
            claim=claim, actor=reviewer, rating=rating("false"), summary=f"Summary {i}", explanation=f"Because {i}."
        )
        services.ruling_return(ruling=ruling, actor=editor2, note=f"Return {i}")
        services.source_remove(source=claim.sources.first(), actor=reviewer)
        services.source_add(claim=claim, actor=reviewer, title=f"Added after return {i}")
    for i in range(comments):
        services.comment_add(claim=claim, actor=(editor, reviewer)[i % 2], body=f"Comment {i} @erin")


def _server_ms(client, url: str, runs: int = 9) -> dict:
    """Times of ``url`` through the test client's handler with the client's session: every
    middleware, the view and the template, but not the test client's own bookkeeping (it copies
    the context of every template rendered, which doubles the time).

    ``wall`` is the server time as a user waits for it; ``cpu`` is the time this process worked
    on it, which the other processes on a busy machine (a shared CI runner) do not inflate."""
    handler = ClientHandler()
    environ = RequestFactory().get(url, HTTP_COOKIE=f"sessionid={client.cookies['sessionid'].value}").environ
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = handler(dict(environ, **{"wsgi.input": io.BytesIO()}))
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
    return {"wall": (min(wall), statistics.median(wall)), "cpu": (min(cpu), statistics.median(cpu))}


def test_the_reviewer_workspace_query_count_is_fixed(
    client, editor, editor2, reviewer, assigned, django_assert_num_queries
):
    url = reverse("claim-detail", args=[assigned.pk])
    client.force_login(reviewer)
    with django_assert_num_queries(REVIEWER_WORKING_QUERIES):
        response = client.get(url)
    assert response.context["ruling_form"] is not None

    _busy(assigned, editor=editor, editor2=editor2, reviewer=reviewer, rounds=4, sources=30, comments=20)
    services.ruling_save_draft(claim=assigned, actor=reviewer, rating=rating("half-true"), summary="S", explanation="E")
    edit = assigned.sources.last().pk  # the no-JS edit form open: it costs no query either
    with django_assert_num_queries(REVIEWER_WORKING_QUERIES + MENTIONS_QUERY):
        response = client.get(url, {"edit_source": edit})
    html = response.text
    assert html.count('class="source"') + html.count('class="source editing"') == 30
    assert html.count('class="ruling ruling-returned"') == 4
    assert html.count('class="mention"') == 20
    assert html.count('class="event ') == len(response.context["history"]) > 40


def test_the_editor_approval_query_count_is_fixed(
    client, editor, editor2, reviewer, assigned, django_assert_num_queries
):
    services.source_add(claim=assigned, actor=reviewer, title="Source")
    services.ruling_submit(claim=assigned, actor=reviewer, rating=rating("true"), summary="S", explanation="E")
    url = reverse("claim-detail", args=[assigned.pk])
    client.force_login(editor2)
    with django_assert_num_queries(EDITOR_APPROVING_QUERIES):
        assert "First submission" in client.get(url).text

    ruling = Ruling.objects.get(claim=assigned, status=Ruling.Status.SUBMITTED)
    services.ruling_return(ruling=ruling, actor=editor2, note="More sources")
    _busy(assigned, editor=editor, editor2=editor2, reviewer=reviewer, rounds=4, sources=30, comments=20)
    services.ruling_submit(claim=assigned, actor=reviewer, rating=rating("half-true"), summary="S2", explanation="E2")
    with django_assert_num_queries(EDITOR_APPROVING_QUERIES + MENTIONS_QUERY):
        response = client.get(url)
    changes = response.context["changes"]
    assert changes.rating_changed and changes.sources_added and changes.sources_removed
    assert response.text.count('class="ruling ruling-returned"') == 5


def test_the_claim_page_renders_within_its_time_budget(client, editor, editor2, reviewer, assigned):
    _busy(assigned, editor=editor, editor2=editor2, reviewer=reviewer, rounds=4, sources=30, comments=20)
    services.ruling_submit(claim=assigned, actor=reviewer, rating=rating("half-true"), summary="S", explanation="E")
    url = reverse("claim-detail", args=[assigned.pk])
    client.force_login(editor2)
    approving = _server_ms(client, url)
    services.ruling_return(ruling=Ruling.objects.get(claim=assigned, status="submitted"), actor=editor2, note="N")
    client.force_login(reviewer)
    working = _server_ms(client, url)
    for role, times in (("editor approving", approving), ("reviewer working", working)):
        print(
            f"\nclaim page, {role}: wall %.1f ms fastest, %.1f median; cpu %.1f fastest, %.1f median"
            % (*times["wall"], *times["cpu"])
        )
    assert approving["cpu"][0] < PAGE_BUDGET_MS and working["cpu"][0] < PAGE_BUDGET_MS
