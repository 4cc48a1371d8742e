"""Redis (broker and cache) down when an article is submitted: the submission succeeds and says
extraction is queued, the article waits as pending, and when Redis is back the periodic sweep
enqueues it and the worker extracts it. Nothing is lost."""

import re
import time

import pytest

from .harness import App, Browser

pytestmark = pytest.mark.faults

SUBMIT_BUDGET_SECONDS = 5
ARTICLE_PATH = re.compile(r"^/articles/(\d+)/$")


def _start(make_app, seed_text) -> tuple[App, object, int]:
    """Web + worker with beat (sweep every second, stale after 2 s), warmed up: both processes
    hold pooled connections to Redis when it goes away. Returns the app, the worker and the
    first article's id."""
    app = make_app(EXTRACTION_STALE_SECONDS="2", EXTRACTION_SWEEP_SECONDS="1")
    app.start_web()
    worker = app.start_worker("worker", beat=True)
    before = app.post("/api/v1/articles/", {"title": "Before the outage", "body": seed_text}, token=app.tokens["erin"])
    assert before.status == 201, before.body
    app.wait_for_extraction(before.body["id"])
    return app, worker, before.body["id"]


def _recovers(app: App, redis_server, worker, first_id: int, ids: list[int]) -> None:
    """While Redis is down nothing is enqueued; once it is back (empty: no persistence, every
    message lost) the sweep brings each pending article back and each is extracted once."""
    time.sleep(2)  # longer than a sweep interval
    assert {app.article_status(i) for i in ids} == {"pending"}
    redis_server.start()
    for article_id in ids:
        app.wait_for_extraction(article_id, timeout=90)
    assert "sweep_pending_extractions" in worker.log()

    all_ids = sorted([first_id, *ids])
    seed_claims = app.scalar("SELECT count(*) FROM articles_claim WHERE article_id = %s", (first_id,))
    claims = app.query(
        'SELECT article_id, count(*), count(DISTINCT (start, "end")) FROM articles_claim GROUP BY article_id'
    )
    assert sorted(claims) == [(i, seed_claims, seed_claims) for i in all_ids], "each extracted once, no duplicates"
    extracted = app.query(
        "SELECT article_id, count(*) FROM reviews_event WHERE action = 'article.extracted' GROUP BY article_id"
    )
    assert sorted(extracted) == [(i, 1) for i in all_ids]
    assert app.scalar("SELECT count(*) FROM articles_article") == len(all_ids), "nothing lost, nothing doubled"


def test_form_submission_while_redis_is_down_is_extracted_when_it_returns(make_app, redis_server, seed_text):
    started = time.monotonic()
    app, worker, first_id = _start(make_app, seed_text)
    browser = Browser(app)
    browser.login("erin", app.password)

    redis_server.stop()
    ids, seconds = [], []
    for n in range(2):
        status, path, html, took = browser.submit("/articles/new/", {"title": f"Outage {n}", "body": seed_text})
        assert status == 200 and ARTICLE_PATH.match(path), (status, path, html[-2000:])
        assert "Article saved; extraction queued." in html
        assert took < SUBMIT_BUDGET_SECONDS, f"submission took {took:.1f} s"
        ids.append(int(ARTICLE_PATH.match(path).group(1)))
        seconds.append(took)
    # The pages keep working without Redis (sessions live in the database).
    assert browser.open("/articles/")[0] == 200

    _recovers(app, redis_server, worker, first_id, ids)
    print(
        f"faults: redis down (form) took {time.monotonic() - started:.1f} s; submissions during the outage "
        f"answered in {', '.join(f'{s:.2f}' for s in seconds)} s"
    )


def test_api_submission_while_redis_is_down_is_extracted_when_it_returns(make_app, redis_server, seed_text):
    started = time.monotonic()
    app, worker, first_id = _start(make_app, seed_text)
    token = app.tokens["erin"]

    redis_server.stop()
    replies = []
    for n in range(2):
        reply = app.post("/api/v1/articles/", {"title": f"Outage {n}", "body": seed_text}, token=token)
        assert reply.status == 201, reply.body
        assert reply.body["extraction_status"] == "pending", "the answer says extraction is queued"
        assert reply.seconds < SUBMIT_BUDGET_SECONDS, f"submission took {reply.seconds:.1f} s"
        replies.append(reply)
    assert app.get("/api/v1/articles/", token=token).status == 200

    _recovers(app, redis_server, worker, first_id, [r.body["id"] for r in replies])
    print(
        f"faults: redis down (API) took {time.monotonic() - started:.1f} s; submissions during the outage "
        f"answered in {', '.join(f'{r.seconds:.2f}' for r in replies)} s"
    )
