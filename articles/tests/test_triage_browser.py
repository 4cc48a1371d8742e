"""Triage on the article page in a real browser (Debian's Chromium): the claim card on hover and
focus, keyboard shortcuts, and adding a claim by selecting text, with offsets that match the
body even after characters outside the Basic Multilingual Plane."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from articles import services
from articles.models import Claim
from conftest import PASSWORD

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
BODY = "The minister said unemployment fell by 3% in 2023.\nPrices rose 5% last year, the bank said."
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"


@pytest.fixture
def chromium(live_server, django_db_serialized_rollback, monkeypatch):
    """A browser for one test, opened after the live server and the database are ready and
    closed before the database is flushed (as in tests/browser/conftest.py, which says why).
    Serialized rollback restores the migrations' data (role groups) for the tests after."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    # The test thread calls the ORM while Playwright's loop is registered as running in it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium, live_server, editor):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("dialog", lambda dialog: (page.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.goto("/login/")
    page.get_by_label("Username").fill(editor.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    yield page
    context.close()


def _article(editor, body=BODY, extract=True):
    article = services.article_create(submitted_by=editor, body=body, extract=False)
    if extract:
        services.article_extract(article_id=article.pk)
    return article


def test_hover_focus_and_keys_triage_claims_in_place(page, editor):
    article = _article(editor)
    first = article.claims.get(text__startswith="The minister")
    second = article.claims.get(text__startswith="Prices")
    page.goto(f"/articles/{article.pk}/")
    card = page.locator("#claim-card")

    page.locator(f"#claim-{second.pk}").hover()
    expect(card).to_be_visible()
    expect(card.locator('[data-field="speaker"]')).to_have_text("bank")
    expect(card.locator('[data-field="type"]')).to_have_text("Quantity")
    expect(card.locator('[data-field="status"]')).to_have_text("Candidate")

    page.locator("h1").click()  # away from the claims
    page.keyboard.press("j")
    expect(page.locator(f"#claim-{first.pk}")).to_be_focused()
    expect(card.locator('[data-field="id"]')).to_have_text(str(first.pk))
    # The card follows the claim in the tab order: its buttons are reachable by keyboard.
    page.keyboard.press("Tab")
    expect(card.get_by_role("button", name="Accept")).to_be_focused()
    page.keyboard.press("Shift+Tab")

    # A slow settle, so that "j" surely comes between the swap and its settle (a fast typist's
    # case): the move stands, the settle does not pull the focus back to the accepted claim.
    page.evaluate("htmx.config.defaultSettleDelay = 400")
    page.keyboard.press("a")
    expect(page.locator("#triage-status")).to_contain_text(f"Claim {first.pk} accepted.")
    expect(page.locator(f'mark[data-claim="{first.pk}"]')).to_have_attribute("data-status", "accepted")
    expect(page.locator(f"#claim-{first.pk}")).to_be_focused()  # still on the same claim after the swap
    page.keyboard.press("j")
    expect(page.locator(f"#claim-{second.pk}")).to_be_focused()
    page.wait_for_timeout(600)  # past the settle
    expect(page.locator(f"#claim-{second.pk}")).to_be_focused()
    page.evaluate("htmx.config.defaultSettleDelay = 20")
    page.keyboard.press("r")
    expect(page.locator("#triage-status")).to_contain_text(f"Claim {second.pk} rejected.")
    assert Claim.objects.get(pk=first.pk).status == "accepted"
    assert Claim.objects.get(pk=second.pk).status == "rejected"

    page.keyboard.press("?")
    expect(page.locator("#shortcut-help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#shortcut-help")).to_be_hidden()
    assert page.errors == []


def test_selecting_text_adds_a_claim_with_the_right_offsets(page, editor):
    body = f"Emoji 🇹🇷 and 😀 first {HOSTILE}.\n\nTürkiye’s exports rose 12% in 2024, officials said.\nEnd."
    article = _article(editor, body=body, extract=False)
    page.goto(f"/articles/{article.pk}/")
    wanted = "exports rose 12% in 2024"
    # Select the words (and the space before them, which is trimmed) as a mouse would.
    page.evaluate(
        """(wanted) => {
            const span = [...document.querySelectorAll('[data-offset]')].find(s => s.textContent.includes(wanted));
            const node = span.firstChild;
            const at = node.data.indexOf(wanted);
            const range = document.createRange();
            range.setStart(node, at - 1);
            range.setEnd(node, at + wanted.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        wanted,
    )
    bar = page.locator("#selection-bar")
    expect(bar).to_be_visible()
    bar.get_by_role("button", name="Add claim").click()
    expect(page.locator("#triage-status")).to_contain_text("added")
    claim = Claim.objects.get(article=article)
    assert (claim.start, claim.end, claim.text) == (body.index(wanted), body.index(wanted) + len(wanted), wanted)
    expect(page.locator(f"#claim-{claim.pk}")).to_be_focused()
    assert page.errors == []  # and the hostile text ran nothing
