"""The whole path, as a newsroom uses it: the seed article goes in over the REST API, a real
Celery worker process on the real broker splits it into claims, an editor and a reviewer take
one claim to a published ruling, and the public page carries its ClaimReview markup.

Nothing is mocked and nothing runs in-process that would run in the worker in production.
Broker and database follow the environment: the filesystem broker and SQLite by default,
Redis and PostgreSQL when REDIS_URL and DATABASE_URL are set.
"""

import datetime
import json
import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import Article, Claim
from articles.tasks import extract_article
from reviews.models import Event, Ruling

pytestmark = pytest.mark.e2e

API = "/api/v1"
SEED_PATH = settings.BASE_DIR / "seeds" / "000_dcf8f189fc6cc466.txt"
PASSWORD = "end-to-end-secret"
EXTRACTION_TIMEOUT = 60
SEED_CLAIMS = 19
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def _token_client(user) -> APIClient:
    """An API client that logs in the way an integration does: password for token."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    client = APIClient()
    response = client.post(f"{API}/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:2000])
    return response.json()


def _wait_for_extraction(worker, client: APIClient, article_id: int) -> dict:
    def done():
        article = _ok(client.get(f"{API}/articles/{article_id}/"))
        assert article["extraction_status"] != "failed", article
        return article if article["extraction_status"] == "done" else None

    return worker.wait_for(done, timeout=EXTRACTION_TIMEOUT, what=f"extraction of article {article_id}", interval=0.25)


def test_seed_article_from_submission_to_published_claimreview(
    celery_worker_process, editor, editor2, reviewer, other_reviewer
):
    worker = celery_worker_process
    body = SEED_PATH.read_text(encoding="utf-8")
    erin, ed, rita = _token_client(editor), _token_client(editor2), _token_client(reviewer)
    started = time.monotonic()

    # 1. The editor submits the seed article; extraction is queued, not run in the request.
    created = _ok(
        erin.post(
            f"{API}/articles/",
            {
                "title": "NATO summit: Rutte on Türkiye's defence industry",
                "body": body,
                "source_url": "https://example.org/nato-summit",
                "outlet": "Example Wire",
                "published_on": "2025-06-24",
            },
            format="json",
        ),
        201,
    )
    assert created["extraction_status"] in ("pending", "running", "done")
    article_id = created["id"]

    # 2. The worker process picks it up from the broker and stores the claims.
    article = _wait_for_extraction(worker, erin, article_id)
    extraction_seconds = time.monotonic() - started
    claims = article["claims"]
    assert len(claims) == SEED_CLAIMS
    assert all(body[c["start"] : c["end"]] == c["text"] for c in claims)
    assert [c["start"] for c in claims] == sorted(c["start"] for c in claims)
    assert all(c["status"] == "candidate" for c in claims)
    (turkiye,) = [c for c in claims if c["text"].startswith("Referring to Türkiye")]
    assert turkiye["speaker"] == "Mark Rutte"
    assert Event.objects.filter(article_id=article_id, action="article.extracted", actor=None).count() == 1

    listed = _ok(erin.get(f"{API}/claims/", {"article": article_id}))
    assert listed["count"] == SEED_CLAIMS

    # 3. The editor accepts the claim and assigns it to the reviewer.
    claim_id = turkiye["id"]
    assert _ok(erin.post(f"{API}/claims/{claim_id}/accept/", {}, format="json"))["status"] == "accepted"
    due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    assigned = _ok(
        erin.post(
            f"{API}/claims/{claim_id}/assign/", {"reviewer": reviewer.pk, "priority": 3, "due_date": due}, format="json"
        )
    )
    assert (assigned["status"], assigned["assignee"]) == ("assigned", reviewer.pk)

    # 4. The reviewer, with their own token, adds a source and proposes a ruling.
    _ok(
        rita.post(
            f"{API}/claims/{claim_id}/sources/",
            {
                "title": "SIPRI Arms Industry Database",
                "url": "https://www.sipri.org/databases/armsindustry",
                "kind": "dataset",
                "publisher": "SIPRI",
                "excerpt": "Turkish companies among the world's top 100 arms producers.",
            },
            format="json",
        ),
        201,
    )
    ruling = _ok(
        rita.post(
            f"{API}/claims/{claim_id}/ruling/",
            {
                "rating": "true",
                "summary": "Türkiye has a very large defence industry base.",
                "explanation": "Several Turkish firms rank among the world's largest arms producers.",
            },
            format="json",
        ),
        201,
    )
    ruling_id = ruling["id"]
    assert ruling["status"] == "submitted"

    # 5. Four eyes: the reviewer may not approve their own ruling; a second editor does.
    refused = rita.post(f"{API}/rulings/{ruling_id}/approve/", {}, format="json")
    assert refused.status_code == 403, refused.content
    assert refused.json()["error"]["code"] == "permission_denied"
    assert _ok(ed.post(f"{API}/rulings/{ruling_id}/approve/", {}, format="json"))["status"] == "approved"
    published = _ok(ed.post(f"{API}/rulings/{ruling_id}/publish/", {}, format="json"))
    assert published["status"] == "published"
    public_path = reverse("factcheck-public", args=[ruling_id])
    assert published["public_url"] == settings.SITE_URL + public_path
    assert published["claimreview"]["claimReviewed"] == "Türkiye has a very large defence industry base."

    # 6. Anyone can read the public page, with its ClaimReview markup.
    page = Client().get(public_path)
    assert page.status_code == 200
    scripts = LD_JSON.findall(page.content.decode())
    assert len(scripts) == 1, scripts
    markup = json.loads(scripts[0])
    assert markup["@type"] == "ClaimReview"
    assert markup["claimReviewed"] == "Türkiye has a very large defence industry base."
    assert markup["reviewRating"]["alternateName"] == "True"
    assert markup["itemReviewed"]["author"]["name"] == "Mark Rutte"
    assert markup["url"] == settings.SITE_URL + public_path
    assert markup["author"]["@type"] == "Organization"
    assert markup["author"]["name"] == settings.FACTCHECK_ORG_NAME
    published_at = Ruling.objects.get(pk=ruling_id).published_at
    assert markup["datePublished"] == published_at.date().isoformat()
    assert abs(timezone.now() - published_at) < datetime.timedelta(minutes=5)

    # The audit trail of the claim, in order, with who did what.
    trail = list(Event.objects.filter(claim_id=claim_id).values_list("action", "actor__username"))
    assert trail == [
        ("claim.accept", "erin"),
        ("claim.assign", "erin"),
        ("claim.start", "rita"),
        ("source.added", "rita"),
        ("claim.submit", "rita"),
        ("claim.approve", "ed"),
        ("claim.publish", "ed"),
    ]

    # 7. Delivering the task again (as acks_late may after a worker crash) changes nothing.
    result = extract_article.delay(article_id)
    worker.wait_for_task(result.id)
    assert Claim.objects.filter(article_id=article_id).count() == SEED_CLAIMS

    # 8. Re-extraction of the unchanged body adds no claim either (the span is unique).
    _ok(erin.post(f"{API}/articles/{article_id}/extract/", {}, format="json"), 202)
    article = _wait_for_extraction(worker, erin, article_id)
    assert len(article["claims"]) == SEED_CLAIMS
    assert Article.objects.get(pk=article_id).extraction_status == "done"
    assert Claim.objects.get(pk=claim_id).status == "published"
    print(f"extraction took {extraction_seconds:.2f} s; whole path {time.monotonic() - started:.2f} s")
