"""What a newsroom user's pass over the web UI found and what it fixed: pages that wipe themselves
in the demo, buttons that did nothing, links that led to a POST-only address, headings over
nothing, and a returned ruling's note buried below the sources."""

import datetime
import re

import pytest
from django.urls import reverse

from articles.models import Claim
from reviews import services
from reviews.dashboard import duration_text
from reviews.models import Rating

pytestmark = pytest.mark.django_db
S = Claim.Status
QUEUE = reverse("claim-queue")
RETURN_NOTE = "Link the summit transcript, not a report of it."


@pytest.fixture
def submitted(assigned, reviewer):
    services.source_add(claim=assigned, actor=reviewer, title="Rutte's speech", url="https://nato.int/speech")
    return services.ruling_submit(
        claim=assigned,
        actor=reviewer,
        rating=Rating.objects.get(slug="true"),
        summary="Türkiye has a very large defence industry",
        explanation="Rutte said so at the summit.",
    )


@pytest.fixture
def returned(submitted, editor2):
    services.ruling_return(ruling=submitted, actor=editor2, note=RETURN_NOTE)
    return submitted


# --- htmx without django-htmx's debug overlay ---------------------------------------------------


@pytest.mark.parametrize("url_name", ["claim-queue", "claim-board", "claim-detail"])
def test_pages_load_htmx_without_the_debug_overlay_that_replaces_the_page_on_a_400(
    client, editor, assigned, settings, url_name
):
    # `make run` has DEBUG on: django-htmx's helper would then swap the whole document for any
    # 400 answer, and a refused inline source form answers 400 with the form to show in place.
    settings.DEBUG = True
    client.force_login(editor)
    args = [assigned.pk] if url_name == "claim-detail" else []
    html = client.get(reverse(url_name, args=args)).text
    assert "django_htmx/htmx-2.min.js" in html
    assert "django-htmx.js" not in html


def test_a_refused_inline_source_answers_400_with_only_the_form(client, reviewer, assigned):
    client.force_login(reviewer)
    response = client.post(
        reverse("source-add", args=[assigned.pk]),
        {"title": "Bad", "url": "javascript:alert(1)", "kind": "other"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#source-add-form"
    assert response.text.lstrip().startswith('<form id="source-add-form"')
    assert "<html" not in response.text
    assert not assigned.sources.exists()


# --- The queue's bulk actions --------------------------------------------------------------------


def test_auto_assign_is_not_blocked_by_the_reviewer_choice_it_does_not_need(client, editor, assigned):
    client.force_login(editor)
    html = client.get(QUEUE).text
    button = html.split('formaction="/claims/auto-assign/', 1)[1].split(">", 1)[0]
    assert "formnovalidate" in button
    # The reviewer choice stays required for "Assign selected".
    bulk = html.split('id="bulk-form"', 1)[1].split("</form>", 1)[0]
    assert "required" in re.search(r'<select name="reviewer"[^>]*>', bulk).group(0)


def test_a_refused_bulk_action_leads_back_to_the_queue(client, editor, claim):
    client.force_login(editor)
    response = client.post(reverse("claims-auto-assign") + "?status=accepted", {})
    assert response.status_code == 400
    html = response.text
    assert "Select at least one claim." in html
    # The answer is at /claims/auto-assign/ (POST only): its filters and saved filters must not
    # send the editor there with a GET.
    assert f'action="{QUEUE}" class="filters"' in html and f'hx-get="{QUEUE}"' in html
    assert f'<a href="{QUEUE}?status=candidate&amp;sort=score"' in html
    assert f'<a href="{QUEUE}">Clear</a>' in html
    assert 'href="?' not in html.split('class="saved-filters"', 1)[1].split("</nav>", 1)[0]


def test_on_the_queue_itself_the_saved_filters_stay_relative(client, editor, claim):
    client.force_login(editor)
    html = client.get(QUEUE).text
    assert '<a href="?status=candidate&amp;sort=score">Needs triage</a>' in html
    assert f'action="{QUEUE}" class="filters"' in html


# --- The claim page ------------------------------------------------------------------------------


def test_a_first_submission_has_no_changes_heading_and_no_empty_earlier_rulings(client, editor2, submitted):
    client.force_login(editor2)
    html = client.get(reverse("claim-detail", args=[submitted.claim_id])).text
    assert "First submission: no earlier version was returned." in html
    assert "Changes since it was returned" not in html
    assert "Earlier rulings" not in html and 'id="rulings"' not in html


def test_a_resubmission_shows_its_changes_and_the_earlier_ruling(client, editor2, returned, reviewer):
    services.ruling_submit(
        claim=returned.claim,
        actor=reviewer,
        rating=Rating.objects.get(slug="mostly-true"),
        summary="Türkiye has a large defence industry",
        explanation="SIPRI lists Turkish firms.",
    )
    client.force_login(editor2)
    html = client.get(reverse("claim-detail", args=[returned.claim_id])).text
    assert "<h3>Changes since it was returned</h3>" in html
    assert 'id="rulings-heading">Earlier rulings</h2>' in html
    assert html.count('class="ruling ruling-returned"') == 1


def test_the_reviewer_sees_the_return_note_at_the_top_with_a_link_to_the_form(client, reviewer, returned):
    client.force_login(reviewer)
    html = client.get(reverse("claim-detail", args=[returned.claim_id])).text
    notice = html.split('class="notice returned-notice"', 1)[1].split("</div>", 1)[0]
    assert RETURN_NOTE in notice and 'href="#ruling-form-heading"' in notice
    assert html.index("returned-notice") < html.index('id="sources"')
    assert 'id="ruling-form-heading"' in html


def test_editors_do_not_get_the_reviewers_return_notice(client, editor, returned):
    client.force_login(editor)
    html = client.get(reverse("claim-detail", args=[returned.claim_id])).text
    assert "returned-notice" not in html
    assert RETURN_NOTE in html  # still on the returned ruling's card


def test_an_approval_names_the_editor_as_people_are_named_elsewhere(client, editor, editor2, submitted):
    services.ruling_approve(ruling=submitted, actor=editor2)
    client.force_login(editor)
    html = client.get(reverse("claim-detail", args=[submitted.claim_id])).text
    assert "Approved by Ed Second, " in html


# --- The dashboard -------------------------------------------------------------------------------


def test_the_dashboard_says_nothing_was_published_instead_of_an_empty_chart(client, editor, claim):
    client.force_login(editor)
    html = client.get(reverse("dashboard")).text
    assert "Nothing published in the last 12 weeks." in html
    assert 'id="throughput-chart-title"' not in html
    assert 'id="states-chart-title"' in html  # the other charts are drawn


def test_a_median_under_an_hour_reads_in_minutes():
    assert duration_text(datetime.timedelta(minutes=6, seconds=30)) == "6 min"
    assert duration_text(datetime.timedelta(hours=1, minutes=2)) == "1 h 2 min"


# --- Empty states --------------------------------------------------------------------------------


def test_an_empty_queue_says_why_it_is_empty(client, editor, reviewer):
    client.force_login(editor)
    assert "No claims yet. They appear here once an article is submitted" in client.get(QUEUE).text
    filtered = client.get(QUEUE, {"status": "published"}).text
    assert f'No claims match. <a href="{QUEUE}">Clear the filters</a>' in filtered
    client.force_login(reviewer)
    assert "No claims are assigned to you right now." in client.get(reverse("my-claims")).text


def test_a_board_column_of_one_does_not_say_show_all_one(client, editor, claim):
    services.claim_accept(claim=claim, actor=editor)
    client.force_login(editor)
    html = client.get(reverse("claim-board")).text
    accepted = html.split('id="column-accepted"', 1)[1].split("</section>", 1)[0]
    assert ">Show in the queue</a>" in accepted and "Show all 1 " not in accepted
    candidates = html.split('id="column-candidate"', 1)[1].split("</section>", 1)[0]
    assert re.search(r">Show all \d+ in the queue</a>", candidates)


def test_bulk_actions_are_offered_only_with_claims_to_tick(client, editor, claim):
    client.force_login(editor)
    assert 'id="bulk-form"' in client.get(QUEUE).text
    assert 'id="bulk-form"' not in client.get(QUEUE, {"status": "published"}).text


def test_a_checkbox_comes_before_its_label_without_a_colon(client, editor, claim):
    client.force_login(editor)
    html = client.get(QUEUE).text
    assert re.search(
        r'<div class="field field-checkbox">\s*<input type="checkbox" name="overdue" id="id_overdue">'
        r'\s*<label for="id_overdue">Overdue only</label>',
        html,
    )
    assert "Overdue only:" not in html
