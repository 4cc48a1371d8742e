"""Helpers the browser tests share: screenshots at desktop and phone width, and a small
audit of what every page owes its readers (a title, labelled controls, no sideways scrolling
on a phone)."""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page

from .conftest import DESKTOP, PHONE, screenshot_dir

# Each visible form control's accessible name, computed the way a screen reader would look for
# it (aria-labelledby, aria-label, <label>, title; a button's value). A placeholder is not a
# label: it disappears as soon as someone types.
UNLABELLED_CONTROLS_JS = """
() => {
  const text = (el) => (el ? el.textContent.replace(/\\s+/g, " ").trim() : "");
  const shown = (el) => {
    const style = getComputedStyle(el);
    return style.display !== "none" && style.visibility !== "hidden" && el.getClientRects().length > 0;
  };
  const nameOf = (el) => {
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    const byIds = ids.map((id) => text(document.getElementById(id))).join(" ").trim();
    if (byIds) return byIds;
    const aria = (el.getAttribute("aria-label") || "").trim();
    if (aria) return aria;
    const labels = Array.from(el.labels || []).map(text).join(" ").trim();
    if (labels) return labels;
    const title = (el.getAttribute("title") || "").trim();
    if (title) return title;
    if (["submit", "reset", "button", "image"].includes(el.type)) return (el.value || el.alt || "").trim();
    return "";
  };
  const missing = [];
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden" || !shown(el) || nameOf(el)) continue;
    const what = el.tagName.toLowerCase() + (el.type && el.tagName === "INPUT" ? `[type=${el.type}]` : "");
    missing.push(`${what} name=${el.name || "?"} id=${el.id || "?"}`);
  }
  return missing;
}
"""

# The page's width beyond the viewport, and the outermost elements that stick out (to name the
# culprit in the report rather than only say "too wide").
OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    if (el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1) continue;
    const names = typeof el.className === "string" ? el.className.trim().split(/\\s+/).filter(Boolean) : [];
    const cls = names.map((name) => "." + name).join("");
    wide.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls} (right edge ${Math.round(box.right)}px)`);
    if (wide.length >= 5) break;
  }
  return {scrollWidth: document.documentElement.scrollWidth, wide};
}
"""

# The README's screenshots (benchmarks/screenshots.py sets the variable to docs/screenshots/):
# page name -> the widths it is shown at, viewport only so the images stay small.
README_SHOTS = {
    "article": ("desktop",),
    "queue": ("desktop",),
    "claim-reviewer": ("desktop",),
    "factcheck-public": ("desktop", "phone"),
}
README_DIR_VARIABLE = "FACTCHECK_README_SCREENSHOTS"

SITE_SUFFIX = re.compile(r"\s*·\s*factcheck\s*$")


@dataclass
class Audit:
    """Screenshots taken and problems found, page by page; written to ``audit-<name>.txt`` beside
    the screenshots so a failing run leaves a readable list."""

    name: str
    shots: list[Path] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)

    def capture(self, page: Page, name: str) -> list[str]:
        """Screenshot the current page at desktop and phone width and audit it; returns (and
        records) the page's problems. Leaves the page at desktop width."""
        folder = screenshot_dir()
        problems = []
        title = page.title()
        if not SITE_SUFFIX.sub("", title).strip():
            problems.append(f"the <title> says nothing about the page ({title!r})")
        page.set_viewport_size(DESKTOP)
        self.shots.append(folder / f"{name}-desktop.png")
        page.screenshot(path=self.shots[-1], full_page=True)
        self._readme_shot(page, name, "desktop")
        page.set_viewport_size(PHONE)
        overflow = page.evaluate(OVERFLOW_JS)
        if overflow["scrollWidth"] > PHONE["width"]:
            problems.append(
                f"scrolls sideways at {PHONE['width']} px (scrollWidth {overflow['scrollWidth']}): "
                + "; ".join(overflow["wide"])
            )
        problems.extend(f"control without a label: {what}" for what in page.evaluate(UNLABELLED_CONTROLS_JS))
        self.shots.append(folder / f"{name}-phone.png")
        page.screenshot(path=self.shots[-1], full_page=True)
        self._readme_shot(page, name, "phone")
        page.set_viewport_size(DESKTOP)
        self.problems[f"{name} ({page.url})"] = problems
        self.write()
        return problems

    @staticmethod
    def _readme_shot(page: Page, name: str, width: str) -> None:
        folder = os.environ.get(README_DIR_VARIABLE)
        if folder and width in README_SHOTS.get(name, ()):
            page.evaluate("window.scrollTo(0, 0)")  # a form's redirect may have scrolled to an anchor
            page.screenshot(path=Path(folder) / f"{name}-{width}.png")

    def failures(self) -> dict[str, list[str]]:
        return {page: found for page, found in self.problems.items() if found}

    def write(self) -> Path:
        path = screenshot_dir() / f"audit-{self.name}.txt"
        lines = []
        for page, found in self.problems.items():
            lines.append(f"{page}: {'ok' if not found else ''}")
            lines.extend(f"  - {problem}" for problem in found)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
