"""The reviewer's workspace on the claim page: the claim in its context, sources edited inline
(htmx, with a no-JS fallback), the ruling form's rating scale, comments and history; for who may
and who may not. The approval view is in test_workspace_approval.py."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles import services as article_services
from articles.models import Claim
from reviews import services
from reviews.models import Event, Rating, Ruling, Source

pytestmark = pytest.mark.django_db
S = Claim.Status
HTMX = {"HX-Request": "true"}
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"


@pytest.fixture
def source(assigned, reviewer) -> Source:
    return services.source_add(claim=assigned, actor=reviewer, title="SIPRI Top 100", url="https://sipri.org/top100")


def page(client, claim: Claim, **params):
    response = client.get(reverse("claim-detail", args=[claim.pk]), params)
    assert response.status_code == 200
    return response


def state(claim: Claim) -> tuple:
    """Everything a refused action must leave as it was."""
    claim.refresh_from_db()
    sources = tuple(Source.objects.order_by("pk").values_list("title", "url", "kind"))
    return claim.status, claim.version, Event.objects.count(), sources, Ruling.objects.count()


# --- The claim in its context ----------------------------------------------------------------------


def test_the_claim_is_shown_in_its_paragraph_between_the_paragraphs_around_it(client, reviewer, assigned):
    client.force_login(reviewer)
    response = page(client, assigned)
    excerpt = response.context["excerpt"]
    body = assigned.article.body
    lines = body.split("\n")
    index = next(i for i, line in enumerate(lines) if assigned.text in line)
    assert excerpt["before"] + excerpt["text"] + excerpt["after"] == lines[index]
    assert excerpt["previous"] == {"text": lines[index - 1], "cut": False}
    assert excerpt["next"] == {"text": lines[index + 1], "cut": False}
    html = response.text
    assert f'<mark class="status-assigned">{escape(assigned.text)}</mark>' in html
    assert html.count('class="context-para"') == 2
    assert escape(lines[index - 1]) in html and escape(lines[index + 1]) in html


def test_the_first_and_last_paragraphs_have_one_neighbour_and_blank_lines_are_skipped(client, editor):
    body = "Unemployment fell by 3% in 2023.\n\n\nPrices rose 5% last year.\n\nWages rose 2%."
    article = article_services.article_create(submitted_by=editor, body=body, extract=False)
    first = Claim.objects.create(article=article, start=0, end=32, text=body[:32])
    start = body.index("Wages")
    last = Claim.objects.create(article=article, start=start, end=len(body), text=body[start:])
    client.force_login(editor)
    excerpt = page(client, first).context["excerpt"]
    assert excerpt["previous"] is None and excerpt["next"]["text"] == "Prices rose 5% last year."
    excerpt = page(client, last).context["excerpt"]
    assert excerpt["previous"]["text"] == "Prices rose 5% last year." and excerpt["next"] is None


def test_a_long_neighbouring_paragraph_is_cut_on_its_far_side(client, editor):
    body = "A" * 5000 + " end of the long one.\nUnemployment fell by 3% in 2023.\nStart of the next. " + "B" * 5000
    article = article_services.article_create(submitted_by=editor, body=body, extract=False)
    start = body.index("Unemployment")
    claim = Claim.objects.create(article=article, start=start, end=start + 32, text=body[start : start + 32])
    client.force_login(editor)
    response = page(client, claim)
    excerpt = response.context["excerpt"]
    assert excerpt["previous"]["cut"] and excerpt["previous"]["text"].endswith("end of the long one.")
    assert excerpt["next"]["cut"] and excerpt["next"]["text"].startswith("Start of the next.")
    assert len(response.text) < 20_000  # the 10,000 characters around it are not all on the page


def test_a_stale_claim_is_shown_alone(client, editor, assigned):
    Claim.objects.filter(pk=assigned.pk).update(stale=True)
    client.force_login(editor)
    excerpt = page(client, assigned).context["excerpt"]
    assert excerpt["text"] == assigned.text and excerpt["previous"] is None and excerpt["next"] is None


def test_the_facts_of_the_claim_are_at_hand(client, editor, reviewer, assigned):
    services.claim_update(
        claim=assigned, actor=editor, priority=4, due_date=timezone.localdate() - datetime.timedelta(1)
    )
    client.force_login(reviewer)
    html = page(client, assigned).text
    assigned.refresh_from_db()
    for text in (
        assigned.speaker,
        assigned.get_claim_type_display(),
        f"{assigned.checkworthiness:.2f}",
        "Rita Reviewer",
        "Urgent",
        'class="badge overdue"',
        f'href="{reverse("article-detail", args=[assigned.article_id])}"',
        escape(assigned.article.title),
    ):
        assert text in html, text


def test_a_hostile_neighbouring_paragraph_is_escaped(client, editor):
    body = f"{HOSTILE}\nUnemployment fell by 3% in 2023.\n{HOSTILE}"
    article = article_services.article_create(submitted_by=editor, body=body, extract=False)
    start = body.index("Unemployment")
    claim = Claim.objects.create(article=article, start=start, end=start + 32, text=body[start : start + 32])
    client.force_login(editor)
    html = page(client, claim).text
    assert HOSTILE not in html
    assert f'<p class="context-para" aria-label="Previous paragraph">{escape(HOSTILE)}</p>' in html
    assert f'<p class="context-para" aria-label="Next paragraph">{escape(HOSTILE)}</p>' in html


# --- The rating scale ------------------------------------------------------------------------------


def test_the_ruling_form_shows_the_rating_scale_as_labelled_radio_buttons(client, reviewer, assigned):
    Rating.objects.filter(slug="unproven").update(active=False)
    client.force_login(reviewer)
    html = page(client, assigned).text
    assert '<select name="rating"' not in html
    assert "<legend>Rating</legend>" in html
    for rating in Rating.objects.filter(active=True):
        assert f'type="radio" name="rating" value="{rating.pk}"' in html
        assert f'style="--rating-colour: {rating.colour}"' in html
        assert escape(rating.description) in html
    assert "The evidence available neither confirms" not in html  # inactive ratings are not offered
    assert html.count('type="radio" name="rating"') == Rating.objects.filter(active=True).count()


def test_a_draft_checks_its_rating_again(client, reviewer, assigned):
    mostly_true = Rating.objects.get(slug="mostly-true")
    services.ruling_save_draft(claim=assigned, actor=reviewer, rating=mostly_true, summary="S", explanation="E")
    client.force_login(reviewer)
    html = page(client, assigned).text
    assert re.search(rf'<input type="radio" name="rating" value="{mostly_true.pk}"[^>]* checked>', html)
    assert html.count(" checked>") == 1


@pytest.mark.parametrize("rating", ["", "999999", "abc"])
def test_a_ruling_without_a_valid_rating_is_refused_in_place(client, reviewer, assigned, source, rating):
    before = state(assigned)
    client.force_login(reviewer)
    data = {"rating": rating, "summary": "A summary", "explanation": "An explanation."}
    response = client.post(reverse("ruling-submit", args=[assigned.pk]), data)
    assert response.status_code == 400
    assert "rating" in response.context["ruling_form"].errors
    assert 'class="rating-scale field has-error"' in response.text
    assert "A summary" in response.text  # what was typed is kept
    assert state(assigned) == before


def test_editors_get_no_ruling_form(client, editor, assigned):
    client.force_login(editor)
    assert 'name="rating"' not in page(client, assigned).text


# --- Sources, inline -------------------------------------------------------------------------------


def test_edit_swaps_the_row_into_a_form_and_cancel_swaps_it_back(client, reviewer, assigned, source):
    client.force_login(reviewer)
    response = client.get(reverse("source-edit-form", args=[source.pk]), headers=HTMX)
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith(f'<li id="source-{source.pk}" class="source editing">')
    assert f'hx-post="{reverse("source-update", args=[source.pk])}"' in html
    assert f'value="{source.title}"' in html and "autofocus" in html
    assert "<html" not in html  # a fragment, not the page
    response = client.get(reverse("source-row", args=[source.pk]), headers=HTMX)
    assert response.status_code == 200
    assert f'<li id="source-{source.pk}" class="source">' in response.text
    assert '<form method="post" action="' + reverse("source-update", args=[source.pk]) not in response.text


def test_an_inline_edit_saves_and_swaps_the_row_back(client, reviewer, assigned, source):
    client.force_login(reviewer)
    data = {"title": "SIPRI Top 100 (2024)", "url": "https://sipri.org/2024", "kind": "dataset", "publisher": "SIPRI"}
    response = client.post(reverse("source-update", args=[source.pk]), data, headers=HTMX)
    assert response.status_code == 200
    assert 'href="https://sipri.org/2024"' in response.text and "SIPRI Top 100 (2024)</a>, SIPRI" in response.text
    assert 'class="source editing"' not in response.text
    assert 'id="source-status" class="vh" role="status" hx-swap-oob="true">Source saved: SIPRI Top 100 (2024)' in (
        response.text
    )
    source.refresh_from_db()
    assert (source.title, source.kind, source.publisher) == ("SIPRI Top 100 (2024)", "dataset", "SIPRI")
    assert Event.objects.filter(claim=assigned, action="source.edited", actor=reviewer).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "kind": "other"}, "title"),
        ({"title": "Evil", "url": "javascript:alert(1)", "kind": "other"}, "url"),
        ({"title": "Odd", "kind": "astrology"}, "kind"),
        ({"title": "Odd", "kind": "other", "accessed_on": "yesterday"}, "accessed_on"),
        ({"title": "x" * 301, "kind": "other"}, "title"),
    ],
)
def test_a_bad_inline_edit_comes_back_in_place_with_400(client, reviewer, assigned, source, data, field):
    before = state(assigned)
    client.force_login(reviewer)
    response = client.post(reverse("source-update", args=[source.pk]), data, headers=HTMX)
    assert response.status_code == 400
    assert 'class="source editing"' in response.text and 'class="errorlist' in response.text
    assert f'id="id_source{source.pk}_{field}"' in response.text
    assert "<html" not in response.text
    assert state(assigned) == before


def test_without_javascript_edit_opens_the_form_on_the_claim_page(client, reviewer, assigned, source):
    client.force_login(reviewer)
    html = page(client, assigned).text
    link = f'href="{reverse("claim-detail", args=[assigned.pk])}?edit_source={source.pk}#source-{source.pk}"'
    assert link in html
    assert f'action="{reverse("source-update", args=[source.pk])}"' not in html  # closed until asked for
    opened = page(client, assigned, edit_source=source.pk).text
    assert f'action="{reverse("source-update", args=[source.pk])}"' in opened
    # The htmx URL, opened without htmx, lands on the same page.
    response = client.get(reverse("source-edit-form", args=[source.pk]))
    assert response.status_code == 302 and response["Location"].endswith(f"?edit_source={source.pk}#source-{source.pk}")
    # And the form posts back as a plain form: redirect to the claim page.
    data = {"title": "Plain form", "kind": "other"}
    assert client.post(reverse("source-update", args=[source.pk]), data).status_code == 302
    source.refresh_from_db()
    assert source.title == "Plain form"


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def test_an_open_edit_form_and_the_add_form_have_their_own_field_ids(client, reviewer, assigned, source):
    # QA issue 5: the add form's labels must not point at the edit form's fields (or the reverse).
    client.force_login(reviewer)
    html = page(client, assigned, edit_source=source.pk).text
    ids = _ids(html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    start = html.index('<form id="source-add-form"')
    add_form = html[start : html.index("</form>", start)]
    add_ids = set(_ids(add_form))
    labels = re.findall(r'<label for="([^"]+)"', add_form)
    assert labels and set(labels) <= add_ids  # every label of the add form points inside it
    # The form htmx swaps in brings no id the page already has outside the row it replaces.
    fragment = client.get(reverse("source-edit-form", args=[source.pk]), headers=HTMX).text
    assert (set(_ids(fragment)) - {f"source-{source.pk}"}) & set(_ids(page(client, assigned).text)) == set()


@pytest.mark.parametrize("value", ["abc", "-1", "9" * 40, "0"])
def test_a_bad_edit_source_parameter_opens_nothing(client, reviewer, assigned, source, value):
    client.force_login(reviewer)
    html = page(client, assigned, edit_source=value).text
    assert f'action="{reverse("source-update", args=[source.pk])}"' not in html


def test_an_inline_add_appends_the_row_and_updates_the_count(client, reviewer, assigned, source):
    client.force_login(reviewer)
    data = {"title": "Defence Industry Agency", "url": "https://ssb.gov.tr/", "kind": "official_statistics"}
    response = client.post(reverse("source-add", args=[assigned.pk]), data, headers=HTMX)
    assert response.status_code == 200
    new = Source.objects.get(title="Defence Industry Agency")
    html = response.text
    assert html.lstrip().startswith(f'<li id="source-{new.pk}" class="source">')
    assert '<span id="source-count" class="count" hx-swap-oob="true">2</span>' in html
    assert '<p id="source-empty" class="empty" hidden hx-swap-oob="true">' in html
    # A blank add form replaces the filled one.
    assert 'id="source-add-form"' in html and 'value="Defence Industry Agency"' not in html
    assert "HX-Refresh" not in response  # the claim was already in review: nothing else changed
    assert Event.objects.filter(claim=assigned, action="source.added", note="Defence Industry Agency").exists()


def test_the_first_source_starts_the_review_and_reloads_the_page(client, reviewer, assigned):
    client.force_login(reviewer)
    response = client.post(reverse("source-add", args=[assigned.pk]), {"title": "First", "kind": "other"}, headers=HTMX)
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    assigned.refresh_from_db()
    assert assigned.status == S.IN_REVIEW


def test_a_bad_inline_add_replaces_the_form_with_400(client, reviewer, assigned, source):
    before = state(assigned)
    client.force_login(reviewer)
    data = {"title": "Evil", "url": "javascript:alert(1)", "kind": "other"}
    response = client.post(reverse("source-add", args=[assigned.pk]), data, headers=HTMX)
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#source-add-form" and response["HX-Reswap"] == "outerHTML"
    assert response.text.lstrip().startswith('<form id="source-add-form"')
    assert 'class="errorlist' in response.text and 'value="Evil"' in response.text
    assert state(assigned) == before


def test_an_inline_remove_empties_the_row(client, reviewer, assigned, source):
    client.force_login(reviewer)
    response = client.post(reverse("source-remove", args=[source.pk]), headers=HTMX)
    assert response.status_code == 200
    assert "<li" not in response.text.split("hx-swap-oob")[0]  # the row's swap is empty
    assert '<span id="source-count" class="count" hx-swap-oob="true">0</span>' in response.text
    assert '<p id="source-empty" class="empty" hx-swap-oob="true">No sources yet.</p>' in response.text
    assert not Source.objects.filter(pk=source.pk).exists()
    assert Event.objects.filter(action="source.removed", note="SIPRI Top 100").exists()


def _oob_history(html: str) -> str:
    start = html.index('<section id="history"')
    return html[start : html.index("</section>", start)]


def test_inline_source_changes_refresh_the_history_out_of_band(client, reviewer, assigned, source):
    # QA issue 5: the History section showed the change only after a reload.
    client.force_login(reviewer)
    data = {"title": "Defence Industry Agency", "kind": "other"}
    added = client.post(reverse("source-add", args=[assigned.pk]), data, headers=HTMX).text
    history = _oob_history(added)
    assert 'hx-swap-oob="true"' in history and "Defence Industry Agency" in history
    assert history.count('class="event ') == Event.objects.filter(claim=assigned).count()
    new = Source.objects.get(title="Defence Industry Agency")
    edit = {"title": "Renamed agency", "kind": "other"}
    saved = client.post(reverse("source-update", args=[new.pk]), edit, headers=HTMX).text
    assert "source.edited" in _oob_history(saved) and 'hx-swap-oob="true"' in _oob_history(saved)
    removed = client.post(reverse("source-remove", args=[new.pk]), headers=HTMX).text
    history = _oob_history(removed)
    assert (
        "source.removed" in history and history.count('class="event ') == Event.objects.filter(claim=assigned).count()
    )
    # The claim page's own History section is not marked out of band.
    assert '<section id="history" aria-labelledby="history-heading">' in page(client, assigned).text


def test_a_refused_inline_edit_leaves_the_history_alone(client, reviewer, assigned, source):
    client.force_login(reviewer)
    response = client.post(reverse("source-update", args=[source.pk]), {"title": "", "kind": "other"}, headers=HTMX)
    assert response.status_code == 400 and 'id="history"' not in response.text


def test_the_page_loads_htmx_and_lets_it_swap_refused_forms(client, reviewer, assigned):
    client.force_login(reviewer)
    html = page(client, assigned).text
    assert "htmx" in html and '<meta name="htmx-config"' in html
    assert '"code": "40[09]", "swap": true' in html
    assert 'hx-post="' + reverse("source-add", args=[assigned.pk]) + '"' in html


def test_once_approved_the_sources_are_locked_inline_too(client, editor, editor2, reviewer, assigned, source):
    ruling = services.ruling_submit(
        claim=assigned, actor=reviewer, rating=Rating.objects.get(slug="true"), summary="S", explanation="E"
    )
    services.ruling_approve(ruling=ruling, actor=editor2)
    before = state(assigned)
    client.force_login(editor)
    response = client.get(reverse("source-edit-form", args=[source.pk]), headers=HTMX)
    assert response.status_code == 409 and "Sources cannot be changed on a claim that is approved." in response.text
    response = client.post(reverse("source-update", args=[source.pk]), {"title": "X", "kind": "other"}, headers=HTMX)
    assert response.status_code == 409
    assert "Sources cannot be changed on a claim that is approved." in response.text
    response = client.post(reverse("source-remove", args=[source.pk]), headers=HTMX)
    assert response.status_code == 409 and f'id="source-{source.pk}"' in response.text
    response = client.post(reverse("source-add", args=[assigned.pk]), {"title": "X", "kind": "other"}, headers=HTMX)
    assert response.status_code == 409 and "Sources cannot be changed" in response.text
    assert state(assigned) == before


INLINE = {
    "source-row": ("get", "source"),
    "source-edit-form": ("get", "source"),
    "source-update": ("post", "source"),
    "source-remove": ("post", "source"),
    "source-add": ("post", "claim"),
}


def _inline(client, name: str, source: Source):
    method, target = INLINE[name]
    pk = source.pk if target == "source" else source.claim_id
    data = {"title": "Changed", "kind": "other"} if method == "post" else None
    return getattr(client, method)(reverse(name, args=[pk]), data, headers=HTMX)


@pytest.mark.parametrize("name", INLINE)
def test_inline_source_views_are_for_the_newsroom(client, outsider, other_reviewer, assigned, source, name):
    before = state(assigned)
    assert _inline(client, name, source)["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert _inline(client, name, source).status_code == 403
    client.force_login(other_reviewer)
    assert _inline(client, name, source).status_code == 404  # not their claim: not even found
    assert state(assigned) == before


@pytest.mark.parametrize("name", ["source-edit-form", "source-update", "source-remove", "source-add"])
def test_a_reviewer_who_may_see_but_not_change_is_refused(
    client, reviewer, other_reviewer, editor, assigned, source, name
):
    # Reassigned: the first reviewer no longer sees the claim; the new one may change it.
    services.claim_assign(claim=assigned, reviewer=other_reviewer, actor=editor)
    client.force_login(reviewer)
    assert _inline(client, name, source).status_code == 404
    client.force_login(other_reviewer)
    assert _inline(client, name, source).status_code in (200, 302)


@pytest.mark.parametrize("name", ["source-row", "source-edit-form"])
def test_the_row_views_are_get_only(client, reviewer, source, name):
    client.force_login(reviewer)
    assert client.post(reverse(name, args=[source.pk]), headers=HTMX).status_code == 405


def test_inline_posts_need_the_csrf_token(reviewer, assigned, source):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(reviewer)
    before = state(assigned)
    for name in ("source-update", "source-remove", "source-add"):
        assert _inline(csrf_client, name, source).status_code == 403
    assert state(assigned) == before


def test_a_hostile_source_is_escaped_in_every_fragment(client, reviewer, assigned):
    client.force_login(reviewer)
    data = {"title": HOSTILE, "publisher": HOSTILE, "excerpt": HOSTILE, "kind": "other"}
    response = client.post(reverse("source-add", args=[assigned.pk]), data, headers=HTMX)
    source = Source.objects.get()
    fragments = [
        response,
        client.get(reverse("source-row", args=[source.pk]), headers=HTMX),
        client.get(reverse("source-edit-form", args=[source.pk]), headers=HTMX),
        page(client, assigned),
    ]
    for fragment in fragments:
        assert "<script>alert" not in fragment.text and "onerror=alert(1)>" not in fragment.text
        assert escape(HOSTILE) in fragment.text


# --- Comments and history --------------------------------------------------------------------------


def test_the_history_says_who_did_what_when(client, editor, reviewer, assigned, source):
    services.comment_add(claim=assigned, actor=reviewer, body="Asked @erin about the 2024 figures.")
    client.force_login(editor)
    response = page(client, assigned)
    html = response.text
    history = response.context["history"]
    assert [e.action for e in history] == ["claim.accept", "claim.assign", "claim.start", "source.added"]
    assign = history[1]
    assert (assign.label, assign.from_label, assign.to_label) == ("Assigned", "Accepted", "Assigned")
    assert '<strong class="event-who">Erin Editor</strong>' in html
    assert '<strong class="event-who">Rita Reviewer</strong>' in html
    assert "Accepted → Assigned" in html and "Assigned → In review" in html
    assert f'<time class="event-when" datetime="{assign.created_at.isoformat()}' in html
    assert '<p class="event-note">SIPRI Top 100</p>' in html
    # The comment says who wrote it, and the mention is marked.
    assert '<strong>Rita Reviewer</strong> <span class="muted">@rita</span>' in html
    assert '<strong class="mention">@erin</strong>' in html


def test_system_events_are_attributed_to_the_system(client, editor, claim):
    Event.objects.create(article=claim.article, claim=claim, actor=None, action="claim.stale", note="gone")
    client.force_login(editor)
    html = page(client, claim).text
    assert '<strong class="event-who">system</strong>' in html and "Text gone from the edited article" in html
