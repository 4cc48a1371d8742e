"""The world the attack tests run against: one object of every kind, each carrying a marker
text that must never appear in a response to someone who may not see it, plus helpers that
count every table's rows (a refused request must change none)."""

from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from articles import services as article_services
from reviews import services
from reviews.models import Comment, KnownFactCheck, Rating, Ruling, Source
from reviews.services import claims as claim_services
from reviews.services import known_factchecks_import

# Marker texts of the objects only the newsroom people involved may see.
ARTICLE_TITLE = "QXSECRET-ARTICLE-ALPHA"
CLAIM_TEXT = "QXSECRET-CLAIM-BRAVO unemployment fell by 12 percent in 2024, the minister said."
SOURCE_TITLE = "QXSECRET-SOURCE-CHARLIE"
RULING_SUMMARY = "QXSECRET-RULING-DELTA"
COMMENT_BODY = "QXSECRET-COMMENT-ECHO"
WEBHOOK_DESCRIPTION = "QXSECRET-WEBHOOK-FOXTROT"
TOKEN_NAME = "QXSECRET-TOKEN-GOLF"
KNOWN_CLAIM = "QXKNOWN-HOTEL wind turbines kill more birds than cats do"  # the whole newsroom may see it
# Everything with the QXSECRET prefix: never in a response to another reviewer, an outsider or
# an anonymous client (the webhook and token markers: not to another editor either).
SECRET = "QXSECRET"

# Tables whose rows a refused request may legitimately add: axes records failed logins.
UNCOUNTED_PREFIXES = ("axes_", "django_session")


@dataclass
class World:
    users: dict
    article: object
    claim: object
    source: Source
    draft: Ruling
    comment: Comment
    webhook: object
    delivery: object
    token: object
    token_secret: str
    known: KnownFactCheck
    published: Ruling
    published_article: object
    clients: dict = field(default_factory=dict)

    def client(self, persona: str, *, fresh: bool = False) -> Client:
        """A browser logged in as ``persona``, made once: its session row must exist before
        the requests that run in a savepoint (``attempt``) and are rolled back."""
        if fresh or ("web", persona) not in self.clients:
            client = Client(raise_request_exception=False)
            if persona != "anon":
                client.force_login(self.users[persona])
            if fresh:
                return client
            self.clients["web", persona] = client
        return self.clients["web", persona]

    def api(self, persona: str) -> APIClient:
        if ("api", persona) not in self.clients:
            client = APIClient(raise_request_exception=False)
            if persona != "anon":
                client.force_authenticate(self.users[persona])
            self.clients["api", persona] = client
        return self.clients["api", persona]


def _article(editor, title: str, body: str):
    return article_services.article_create(
        submitted_by=editor, title=title, body=body, source_url="", outlet="Example Wire", extract=False
    )


@pytest.fixture
def world(editor, editor2, reviewer, other_reviewer, outsider, admin_user) -> World:
    rating = Rating.objects.filter(active=True).order_by("order").first()
    article = _article(editor, ARTICLE_TITLE, f"Intro line.\n{CLAIM_TEXT}\nClosing line.")
    claim = claim_services.claim_add(article=article, actor=editor, text=CLAIM_TEXT)
    services.claim_accept(claim=claim, actor=editor)
    claim = services.claim_assign(claim=claim, reviewer=reviewer, actor=editor)
    source = services.source_add(claim=claim, actor=reviewer, title=SOURCE_TITLE, url="https://example.org/src")
    draft = services.ruling_save_draft(
        claim=claim, actor=reviewer, rating=rating, summary=RULING_SUMMARY, explanation="Draft explanation."
    )
    comment = services.comment_add(claim=claim, actor=editor, body=COMMENT_BODY)
    claim.refresh_from_db()

    from factcheck import tokens
    from factcheck.webhooks import services as webhook_services

    webhook = webhook_services.endpoint_create(
        actor=editor, url="https://hooks.example.org/qx", events=["*"], description=WEBHOOK_DESCRIPTION
    )
    delivery = webhook_services.endpoint_ping(endpoint=webhook, actor=editor)
    token, secret = tokens.token_create(user=editor, name=TOKEN_NAME, actor=editor)
    report = known_factchecks_import(
        data={
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": "https://checker.example.com/checks/qx/",
            "claimReviewed": KNOWN_CLAIM,
            "datePublished": "2026-01-02",
            "author": {"@type": "Organization", "name": "Checker Example", "url": "https://checker.example.com"},
            "reviewRating": {"@type": "Rating", "alternateName": "False", "ratingValue": "1"},
        },
        source=KnownFactCheck.Source.API,
        actor=editor,
    )
    assert report.as_dict()["created"], report.as_dict()
    known = KnownFactCheck.objects.get()

    # A published fact-check on another article: public, so not secret.
    public_article = _article(editor, "Public article", "Intro.\nThe port handled 4 million containers in 2023.\n")
    public_claim = claim_services.claim_add(
        article=public_article, actor=editor, text="The port handled 4 million containers in 2023."
    )
    services.claim_accept(claim=public_claim, actor=editor)
    services.claim_assign(claim=public_claim, reviewer=reviewer, actor=editor)
    services.source_add(claim=public_claim, actor=reviewer, title="Port statistics", url="https://example.org/port")
    submitted = services.ruling_submit(
        claim=public_claim, actor=reviewer, rating=rating, summary="Public summary", explanation="Public explanation."
    )
    services.ruling_approve(ruling=submitted, actor=editor2)
    published = services.ruling_publish(ruling=submitted, actor=editor)

    users = {
        "erin": editor,
        "ed": editor2,
        "rita": reviewer,
        "otto": other_reviewer,
        "olga": outsider,
        "ada": admin_user,
    }
    return World(
        users=users,
        article=article,
        claim=claim,
        source=source,
        draft=draft,
        comment=comment,
        webhook=webhook,
        delivery=delivery,
        token=token,
        token_secret=secret,
        known=known,
        published=published,
        published_article=public_article,
    )


def counted_tables() -> list[str]:
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(t for t in tables if not t.startswith(UNCOUNTED_PREFIXES))


def row_counts() -> dict[str, int]:
    """Every table's row count, in one query."""
    tables = counted_tables()
    quote = connection.ops.quote_name
    # Table names come from the models and are quoted: nothing here is input.
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def attempt(request, *after):
    """Run ``request()`` in a savepoint, call each of ``after`` (state readers) before rolling
    it back, and return the response and their results: every request of a sweep starts from the
    same world, whatever an earlier (allowed) one did."""
    with transaction.atomic():
        response = request()
        results = [read() for read in after]
        transaction.set_rollback(True)
    return response, results


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {t: (before[t], after[t]) for t in before if before[t] != after[t]}
