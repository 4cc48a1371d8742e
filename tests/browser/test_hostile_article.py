"""A hostile article cannot run script in anyone's browser.

Its title and text carry the usual payloads (script tags, event-handler attributes, a broken
out-of-attribute quote, a closed textarea, htmx attributes, a script-closing JSON string).
It goes in through the Submit form, the real worker extracts it, and every page that shows
its text is opened in Chromium: the article page (and its claim card), a claim page, the
queue and the board, and (with a ruling published through the services, to save time) the
public fact-check, the public index and the annotated article. The payloads must show up as
text, and nothing may run.
"""

import json

import pytest
from django.db.models import Q
from playwright.sync_api import Page, expect

from articles.models import Article
from reviews import services
from reviews.models import Rating

from .conftest import log_in

pytestmark = pytest.mark.browser

EXTRACTION_TIMEOUT_MS = 60_000
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1;alert(1)">'
SVG = '"><svg onload=window.__pwned=1>'
TEXTAREA = "</textarea><script>window.__pwned=1</script>"
HTMX = '<div hx-get="/logout/" hx-trigger="load" hx-on::load="window.__pwned=1">'
TITLE = f"Minister's claims {SCRIPT} {IMG} {SVG}"
BODY = "\n\n".join(
    [
        f"The minister said unemployment fell by 40 percent in 2024 {SCRIPT} across the country.",
        f"Officials claimed {IMG} that exports doubled to 3 billion euros last year.",
        f"According to the report, {SVG} crime rose by 12 percent in the capital in 2023.",
        f"The mayor said {TEXTAREA} that 5,000 new homes were built in 2023.",
        f"Critics said {HTMX} the figures were exaggerated by half, according to official statistics.",
    ]
)
# What a ruling's author could type, including a string that would end the JSON-LD script.
SUMMARY = f"Exports did not double </script>{SCRIPT}"
EXPLANATION = f"Customs data show a 4 percent rise. {IMG} {SVG}"
# Elements or attributes that only exist if a payload was parsed as markup (the JSON-LD script
# holds the summary as data, which is fine; any other script mentioning the payload is not).
INJECTED_MARKUP_JS = """
() => [...document.scripts].filter((s) => s.type !== "application/ld+json" && s.text.includes("__pwned")).length
  + document.querySelectorAll('[onerror], [onload], [hx-on\\\\:\\\\:load], img[src="x"]').length
"""


def _assert_inert(page: Page, *texts: str) -> None:
    """Nothing ran, no markup was injected, and the payloads read as plain text."""
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => typeof window.__pwned") == "undefined", page.url
    assert page.watch.dialogs == [], (page.url, page.watch.dialogs)
    assert page.evaluate(INJECTED_MARKUP_JS) == 0, page.url
    shown = page.locator("main").inner_text()
    for text in texts:
        assert text in shown, (page.url, text)


def test_hostile_article_is_shown_as_text_and_runs_nothing(celery_worker_process, open_page, editor, editor2, reviewer):
    page = open_page()
    log_in(page, editor)
    page.goto("/articles/new/")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Body").fill(BODY)
    page.get_by_role("button", name="Save and extract claims").click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Claims extracted")).to_be_visible(timeout=EXTRACTION_TIMEOUT_MS)

    article = Article.objects.get(title=TITLE)
    assert article.body == BODY
    claim = article.claims.filter(Q(text__contains=IMG) | Q(text__contains="exports doubled")).first()
    assert claim is not None, list(article.claims.values_list("text", flat=True))
    assert page.title().startswith(TITLE)
    _assert_inert(page, TITLE, SCRIPT, IMG, SVG, TEXTAREA, HTMX)
    # The claim card that scripts fill in on hover must not turn the claim into markup either.
    page.get_by_role("link", name=claim.text[:40]).first.hover()
    expect(page.get_by_role("group", name=f"Claim {claim.pk}")).to_be_visible()
    _assert_inert(page, TITLE, IMG)

    page.get_by_role("table").get_by_role("link", name=claim.text[:40]).first.click()
    expect(page.get_by_role("heading", level=1, name=f"Claim {claim.pk}")).to_be_visible()
    _assert_inert(page, claim.text)

    page.goto("/claims/")
    expect(page.get_by_role("link", name=claim.text[:40]).first).to_be_visible()
    _assert_inert(page)
    board = page.goto("/claims/board/")
    if board is not None and board.ok:  # the board view, where the product has one
        expect(page.get_by_role("link", name=claim.text[:40]).first).to_be_visible()
        _assert_inert(page)

    # Publish a ruling on the claim through the services: the browser part is the reading.
    services.claim_accept(claim=claim, actor=editor)
    services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
    services.source_add(
        claim=claim, actor=reviewer, title=f"Customs {SCRIPT}", url="https://example.org/customs", excerpt=IMG
    )
    ruling = services.ruling_submit(
        claim=claim, actor=reviewer, rating=Rating.objects.get(slug="false"), summary=SUMMARY, explanation=EXPLANATION
    )
    services.ruling_approve(ruling=ruling, actor=editor2)
    services.ruling_publish(ruling=ruling, actor=editor2)

    reader = open_page()
    reader.goto("/fact-checks/")
    reader.get_by_role("link", name=SUMMARY).first.click()
    expect(reader.get_by_role("heading", level=1, name=SUMMARY)).to_be_visible()
    _assert_inert(reader, SUMMARY, claim.text, IMG, SVG, f"Customs {SCRIPT}")
    (markup,) = reader.locator('script[type="application/ld+json"]').all_text_contents()
    assert json.loads(markup)["claimReviewed"] == SUMMARY

    reader.get_by_role("link", name="highlighted in the article").click()
    expect(reader.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    _assert_inert(reader, TITLE, SCRIPT, IMG, SVG, TEXTAREA, HTMX, SUMMARY)

    page.goto(f"/claims/{claim.pk}/")
    _assert_inert(page, SUMMARY, f"Customs {SCRIPT}", IMG)
    assert page.watch.errors == [] and reader.watch.errors == []
