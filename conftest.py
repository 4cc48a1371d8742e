"""Shared test personas and fixtures.

Every view and endpoint is tested against the same people: an editor, a second editor (for
four-eyes approval), a reviewer, another reviewer, an outsider with no newsroom role, an
admin, and anonymous clients.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from articles import services as article_services
from factcheck.roles import EDITORS, REVIEWERS
from factcheck.testing import clear_cache
from reviews import services as review_services

PASSWORD = "correct-horse-battery"
SEED_PATH = Path(__file__).resolve().parent / "seeds" / "000_dcf8f189fc6cc466.txt"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs about 0.3 s per user; tests need no such protection.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # API throttles count in the cache: without this, one test's requests would use up the
    # next one's budget (the token endpoint allows only a few per minute).
    clear_cache()
    yield


@pytest.fixture
def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


def _user(django_user_model, username: str, *groups: str, **extra):
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **extra
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def editor(django_user_model):
    return _user(django_user_model, "erin", EDITORS, first_name="Erin", last_name="Editor")


@pytest.fixture
def editor2(django_user_model):
    return _user(django_user_model, "ed", EDITORS, first_name="Ed", last_name="Second")


@pytest.fixture
def reviewer(django_user_model):
    return _user(django_user_model, "rita", REVIEWERS, first_name="Rita", last_name="Reviewer")


@pytest.fixture
def other_reviewer(django_user_model):
    return _user(django_user_model, "otto", REVIEWERS, first_name="Otto", last_name="Other")


@pytest.fixture
def outsider(django_user_model):
    return _user(django_user_model, "olga")


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser(username="ada", password=PASSWORD, email="ada@example.org")


@pytest.fixture
def article(editor, seed_text):
    """The seed article, extracted synchronously (the worker's service, called in-process)."""
    art = article_services.article_create(
        submitted_by=editor,
        title="NATO summit: Rutte on Türkiye's defence industry",
        body=seed_text,
        source_url="https://example.org/nato-summit",
        outlet="Example Wire",
        extract=False,
    )
    article_services.article_request_extraction(article=art, actor=editor)
    article_services.article_extract(article_id=art.pk)
    art.refresh_from_db()
    return art


@pytest.fixture
def api():
    """An API client; call ``api.force_authenticate(user)`` or use the token helpers."""
    return APIClient()


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def claim(article):
    """A check-worthy claim of the seed article, with a named speaker (Mark Rutte). Test
    modules that need another claim override this fixture; ``assigned`` then uses theirs."""
    return article.claims.get(text__startswith="Referring to Türkiye")


@pytest.fixture
def assigned(claim, editor, reviewer):
    """``claim``, accepted by the editor and assigned to the reviewer."""
    review_services.claim_accept(claim=claim, actor=editor)
    return review_services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
