"""Regressions from a newsroom user's pass over the UI, in Chromium: the board's cards stay in
their columns, a refused inline source keeps the page (with DEBUG on, as `make run` has it), and
"Auto-assign selected" works without choosing a reviewer."""

import pytest
from playwright.sync_api import expect

from articles.models import Claim
from reviews import services

from .conftest import DESKTOP, PHONE, log_in

pytestmark = pytest.mark.browser

# Each card's right edge against its column's: a card wider than its column spills over the next.
CARDS_OUTSIDE_COLUMNS_JS = """
() => [...document.querySelectorAll(".board-column")].flatMap((column) => {
  const edge = column.getBoundingClientRect().right;
  return [...column.querySelectorAll(".card")]
    .filter((card) => card.getBoundingClientRect().right > edge + 1)
    .map((card) => card.querySelector(".card-claim").textContent.slice(0, 40));
})
"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_board_cards_stay_inside_their_columns(open_page, editor, article, viewport):
    # The seed article's title is longer than a column is wide; it is shown on one line, cut.
    page = open_page(viewport)
    log_in(page, editor)
    page.goto("/claims/board/")
    expect(page.locator(".board-column .card").first).to_be_visible()
    assert page.locator(".board-column .card").count() >= 10
    assert page.evaluate(CARDS_OUTSIDE_COLUMNS_JS) == []


def test_a_refused_inline_source_shows_its_error_in_place_with_debug_on(page, settings, reviewer, assigned):
    settings.DEBUG = True  # the demo's setting; django-htmx's debug helper used to blank the page
    log_in(page, reviewer)
    page.goto(f"/claims/{assigned.pk}/")
    form = page.locator("#source-add-form")
    form.get_by_label("Title").fill("A bad link")
    form.get_by_label("URL").fill("javascript:alert(1)")
    form.get_by_role("button", name="Add source").click()
    expect(page.locator("#source-add-form .errorlist")).to_contain_text("Enter a valid http or https URL.")
    expect(page.get_by_role("heading", name=f"Claim {assigned.pk}")).to_be_visible()
    expect(page.locator("#history")).to_be_visible()
    assert not assigned.sources.exists()
    assert page.watch.errors == []


def test_auto_assign_needs_no_reviewer_choice(page, editor, reviewer, claim):
    services.claim_accept(claim=claim, actor=editor)
    log_in(page, editor)
    page.goto("/claims/?status=accepted")
    page.get_by_label(f"Select claim {claim.pk}").check()
    page.get_by_role("button", name="Auto-assign selected").click()
    expect(page.locator(".message.success")).to_contain_text("1 auto-assigned")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ASSIGNED and claim.assignee_id == reviewer.pk
