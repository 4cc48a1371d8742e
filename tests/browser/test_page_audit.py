"""The page audit the browser tests run on every page finds what it claims to find, so a
clean audit means something: unlabelled controls, sideways scrolling at phone width, empty
titles."""

import pytest

from .conftest import PHONE
from .pages import OVERFLOW_JS, UNLABELLED_CONTROLS_JS, Audit

pytestmark = pytest.mark.browser

FORM = """
<!doctype html><html lang="en"><head><title>Form · factcheck</title></head><body><main>
  <label for="a">Title</label><input id="a" name="title">
  <label>Body <textarea name="body"></textarea></label>
  <input name="q" aria-label="Search">
  <span id="due-label">Due</span><input name="due" aria-labelledby="due-label">
  <select name="kind" title="Kind"><option>x</option></select>
  <input type="submit" value="Save">
  <input type="hidden" name="csrf">
  <input name="gone" style="display: none">
  <details><summary>More</summary><label>Folded <input name="folded"></label></details>
  <input name="bare" placeholder="A placeholder is not a label">
  <label for="nothing"></label><select name="empty-label" id="nothing"></select>
  <textarea name="notes"></textarea>
</main></body></html>
"""


def test_unlabelled_visible_controls_are_found_and_labelled_ones_pass(open_page):
    page = open_page()
    page.set_content(FORM)
    assert page.evaluate(UNLABELLED_CONTROLS_JS) == [
        "input[type=text] name=bare id=?",
        "select name=empty-label id=nothing",
        "textarea name=notes id=?",
    ]


def test_sideways_scrolling_at_phone_width_names_the_wide_element(open_page):
    page = open_page(PHONE)
    page.set_content('<main><p>fits</p><div class="too wide" style="width: 500px">wide</div></main>')
    overflow = page.evaluate(OVERFLOW_JS)
    assert overflow["scrollWidth"] == 500 + 8  # the body's default margin
    assert overflow["wide"] == ["div.too.wide (right edge 508px)"]

    page.set_content(
        '<main><div style="overflow-x: auto"><table style="width: 900px"><tr><td>x</td></tr></table></div></main>'
    )
    assert page.evaluate(OVERFLOW_JS)["scrollWidth"] <= PHONE["width"]


def test_capture_reports_an_empty_title_and_a_clean_page(open_page):
    audit = Audit("self-test")
    page = open_page()
    page.set_content("<title> · factcheck</title><main><input name='x'></main>")
    problems = audit.capture(page, "self-test-bad")
    assert problems[0].startswith("the <title> says nothing about the page")
    assert problems[1] == "control without a label: input[type=text] name=x id=?"

    page.set_content(FORM)
    page.evaluate(
        """() => {
          document.querySelector("[name=bare]").setAttribute("aria-label", "Bare");
          document.querySelector("[name=empty-label]").setAttribute("aria-label", "Kind");
          document.querySelector("[name=notes]").remove();
        }"""
    )
    assert audit.capture(page, "self-test-good") == []
    assert all(path.stat().st_size > 0 for path in audit.shots)
    assert [path.name for path in audit.shots][-2:] == ["self-test-good-desktop.png", "self-test-good-phone.png"]
