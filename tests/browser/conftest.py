"""Fixtures for the browser tests: Debian's Chromium, driven by Playwright's sync API, against
pytest-django's live server and a real Celery worker process (``celery_worker_process``).

The tests use the product the way a newsroom does, through its pages and by the accessible
names of their controls (``get_by_role``, ``get_by_label``), so a restyled page does not break
them but an unlabelled control does.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

from conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, never a downloaded one (`playwright install` is not used anywhere). The
# flags keep it from reaching the network on its own and from needing a sandbox or a GPU.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium; the tests are skipped without it, except in CI where that is an error."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium); the browser tests need Debian's Chromium"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}. CI is set, so a missing browser is an error, not a skip.")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture
def browser(chromium_path, live_server, django_db_serialized_rollback, monkeypatch) -> Browser:
    """A headless Chromium for one test (about 0.5 s to start).

    Not session-scoped on purpose. Playwright's sync API leaves its asyncio loop registered as
    running in the test thread, and while it is, Django keeps that thread's database
    connections in a separate, context-local store: a browser open across tests would give
    every later test other connection objects than the ones pytest-django set up (its
    serialized-rollback data, which restores the role groups after a transactional test, is
    on the originals), and would leave a connection open that blocks dropping a PostgreSQL
    test database. So the browser opens after the live server and the database are ready and
    closes, with the connections it caused, before the database is flushed.

    Every browser test restores the migrations' data (role groups, rating scale) by serialized
    rollback, as the worker's tests must: a transactional test without it would flush the
    content types and have them recreated under new ids, which the next restore collides with.
    """
    # The ORM calls made meanwhile (fixtures, assertions) are plain synchronous code; only the
    # registered loop makes Django think otherwise.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            connections.close_all()


@dataclass
class PageWatch:
    """What a page did that it should not have: dialogs opened and uncaught script errors."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(viewport=DESKTOP)``: a page in a fresh browser context (its own cookies, so
    one per persona, or none for an anonymous reader). Each page gets ``page.watch``, a
    ``PageWatch`` of the dialogs it tried to open (dismissed at once) and its script errors."""
    contexts = []

    def _open(viewport: dict | None = None) -> Page:
        context = browser.new_context(viewport=viewport or DESKTOP, base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch = PageWatch()
        page.on("dialog", lambda dialog: (watch.dialogs.append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()))
        page.on("pageerror", lambda error: watch.errors.append(str(error)))
        page.watch = watch
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page) -> Page:
    return open_page()


def log_in(page: Page, user, password: str = PASSWORD) -> None:
    """Log in through the real login form, as a person would."""
    page.goto("/login/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def screenshot_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
