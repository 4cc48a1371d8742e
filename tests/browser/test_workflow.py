"""The newsroom's day in a real browser: an editor submits the seed article through the form,
the worker extracts its claims while the page watches (htmx), the editor triages and assigns,
the reviewer adds a source and proposes a ruling, a second editor approves and publishes, and
an anonymous reader finds the fact-check with its ClaimReview markup.

Screenshots of every page passed on the way (desktop and phone width) are saved under
``$FACTCHECK_VAR_DIR/screenshots/``, with an audit of each page (title, labels, no sideways
scrolling at 360 px).
"""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from articles.models import Article
from reviews.models import Event, Ruling

from .conftest import log_in, log_out
from .pages import Audit

pytestmark = pytest.mark.browser

SEED_PATH = settings.BASE_DIR / "seeds" / "000_dcf8f189fc6cc466.txt"
SEED_META = json.loads(SEED_PATH.with_suffix(".json").read_text(encoding="utf-8"))
SEED_CLAIMS = 19
EXTRACTION_TIMEOUT_MS = 60_000
SUMMARY = "Türkiye has one of NATO's largest defence industries."
EXPLANATION = "SIPRI's ranking lists several Turkish firms among the world's 100 largest arms producers."


def _open_claim(page: Page, text: str) -> None:
    """Follow the link to a claim from the table of the page at hand (article page, queue, my
    claims). The highlighted text on the article page opens a card, not the claim page."""
    page.get_by_role("table").get_by_role("link", name=text[:60]).first.click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"^Claim \d+"))).to_be_visible()


def test_seed_article_from_submit_form_to_public_claimreview(
    celery_worker_process, open_page, editor, editor2, reviewer, other_reviewer
):
    audit = Audit("workflow")
    body = SEED_PATH.read_text(encoding="utf-8")
    page = open_page()

    # 1. The editor submits the seed article through the Submit form.
    log_in(page, editor)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Submit").click()
    page.get_by_label("Title").fill(SEED_META["title"])
    page.get_by_label("Body").fill(body)
    page.get_by_label("Source URL").fill("https://example.org/nato-summit")
    page.get_by_label("Outlet").fill(SEED_META["outlet"])
    page.get_by_role("button", name=re.compile("extract", re.IGNORECASE)).click()
    expect(page.get_by_role("heading", level=1, name=SEED_META["title"])).to_be_visible()
    article = Article.objects.get(title=SEED_META["title"])
    assert article.body == body and article.submitted_by == editor

    # 2. Nobody reloads: the status box polls until the worker is done, then the page shows
    #    the claims by itself.
    extracted = page.get_by_role("status").filter(has_text="Claims extracted")
    expect(extracted).to_be_visible(timeout=EXTRACTION_TIMEOUT_MS)
    claims = list(article.claims.order_by("start"))
    assert len(claims) == SEED_CLAIMS
    turkiye = next(c for c in claims if c.text.startswith("Referring to Türkiye"))
    second = max((c for c in claims if c.pk != turkiye.pk), key=lambda c: c.checkworthiness)
    expect(page.get_by_role("link", name=turkiye.text[:60]).first).to_be_visible()
    audit.capture(page, "article")

    # 3. Triage on the article page (htmx, no reload): accept two claims; then assign one to the
    #    reviewer from its claim page.
    for claim in (second, turkiye):
        page.get_by_role("button", name=f"Accept claim {claim.pk}", exact=True).click()
        row = page.get_by_role("table").get_by_role("row").filter(has_text=claim.text[:60])
        expect(row).to_contain_text("Accepted")
    _open_claim(page, turkiye.text)
    assign = page.get_by_role("form", name="Assign", exact=True)
    assign.get_by_label("Reviewer").select_option(label=reviewer.get_username())
    assign.get_by_label("Priority").select_option(label="High")
    due = timezone.localdate() + datetime.timedelta(days=3)
    assign.get_by_label("Due date").fill(due.isoformat())
    assign.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assigned")
    turkiye.refresh_from_db()
    second.refresh_from_db()
    assert (turkiye.status, turkiye.assignee, turkiye.priority, turkiye.due_date) == ("assigned", reviewer, 3, due)
    assert second.status == "accepted"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Queue").click()
    expect(page.get_by_role("link", name=turkiye.text[:60]).first).to_be_visible()
    audit.capture(page, "queue")
    board = page.goto("/claims/board/")
    if board is not None and board.ok:  # the board view, where the product has one
        audit.capture(page, "board")
    page.goto("/claims/")
    log_out(page)

    # 4. The reviewer finds the claim under "My claims", adds a source and submits a ruling.
    log_in(page, reviewer)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My claims").click()
    _open_claim(page, turkiye.text)
    source = page.get_by_role("form", name="Add a source")
    source.get_by_label("Title").fill("SIPRI Arms Industry Database")
    source.get_by_label("URL").fill("https://www.sipri.org/databases/armsindustry")
    source.get_by_label("Kind").select_option(label="Dataset")
    source.get_by_label("Publisher").fill("SIPRI")
    source.get_by_label("Excerpt").fill("Turkish companies among the world's top 100 arms producers.")
    source.get_by_role("button", name="Add source").click()
    expect(page.get_by_role("link", name="SIPRI Arms Industry Database", exact=True)).to_be_visible()
    audit.capture(page, "claim-reviewer")
    ruling_form = page.get_by_role("form", name=re.compile("ruling", re.IGNORECASE)).filter(
        has=page.get_by_role("button", name="Submit for approval")
    )
    ruling_form.get_by_role("group", name="Rating").get_by_role("radio", name=re.compile(r"^True\b")).check()
    ruling_form.get_by_label("Summary").fill(SUMMARY)
    ruling_form.get_by_label("Explanation").fill(EXPLANATION)
    ruling_form.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Your ruling awaits approval")).to_be_visible()
    ruling = Ruling.objects.get(claim=turkiye)
    assert (ruling.status, ruling.reviewer, ruling.rating.name) == ("submitted", reviewer, "True")
    assert ruling.summary == SUMMARY
    log_out(page)

    # 5. A second editor approves and publishes.
    log_in(page, editor2)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Queue").click()
    _open_claim(page, turkiye.text)
    expect(page.get_by_text(SUMMARY, exact=True)).to_be_visible()
    audit.capture(page, "approval")
    page.get_by_role("button", name="Approve ruling").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Approved")
    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Published")
    ruling.refresh_from_db()
    assert ruling.status == "published" and ruling.approved_by == editor2
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.capture(page, "dashboard")

    # 6. An anonymous reader: the fact-check index, the fact-check with its ClaimReview, and the
    #    annotated article.
    reader = open_page()
    reader.goto("/fact-checks/")
    reader.get_by_role("link", name=SUMMARY).first.click()
    expect(reader.get_by_role("heading", level=1, name=SUMMARY)).to_be_visible()
    expect(reader.get_by_text("True", exact=True).first).to_be_visible()
    expect(reader.get_by_text(EXPLANATION)).to_be_visible()
    expect(reader.get_by_role("link", name="SIPRI Arms Industry Database", exact=True)).to_be_visible()
    scripts = reader.locator('script[type="application/ld+json"]').all_text_contents()
    assert len(scripts) == 1, scripts
    markup = json.loads(scripts[0])
    assert markup["@type"] == "ClaimReview"
    assert markup["claimReviewed"] == SUMMARY
    assert markup["reviewRating"]["alternateName"] == "True"
    assert markup["itemReviewed"]["author"]["name"] == "Mark Rutte"
    assert markup["url"].endswith(f"/fact-checks/{ruling.pk}/")
    audit.capture(reader, "factcheck-public")

    reader.get_by_role("link", name=re.compile("highlighted in the article")).click()
    expect(reader.get_by_role("heading", level=1, name=SEED_META["title"])).to_be_visible()
    verdict = reader.get_by_role("link", name=re.compile(re.escape(turkiye.text[:40])))
    expect(verdict.first).to_contain_text("True")
    expect(reader.get_by_role("link", name=SUMMARY)).to_be_visible()
    audit.capture(reader, "factcheck-article")

    trail = list(Event.objects.filter(claim=turkiye).values_list("action", "actor__username"))
    assert trail == [
        ("claim.accept", "erin"),
        ("claim.assign", "erin"),
        ("claim.start", "rita"),
        ("source.added", "rita"),
        ("claim.submit", "rita"),
        ("claim.approve", "ed"),
        ("claim.publish", "ed"),
    ]
    for watched in (page, reader):
        assert watched.watch.errors == [] and watched.watch.dialogs == []
    print(f"screenshots: {len(audit.shots)} in {audit.shots[0].parent}")
    assert audit.failures() == {}, f"pages that fail the audit (see {audit.write()}): {audit.failures()}"
