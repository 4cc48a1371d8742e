"""A worker killed with SIGKILL in the middle of an extraction: once a worker is back, the article
is extracted exactly once, with no duplicate claims, whichever way the work comes back (the
stale-claim sweep, or the broker redelivering the unacknowledged message)."""

import json
import re
import time

import pytest
import redis

from articles import extraction

from .harness import wait_until

pytestmark = pytest.mark.faults


def _unacked_task_ids(redis_url: str) -> list[str]:
    """Ids of the tasks the broker holds as delivered but not acknowledged (acks_late)."""
    client = redis.Redis.from_url(redis_url)
    return [json.loads(raw)[0]["headers"]["id"] for raw in client.hvals("unacked")]


def _redeliver_unacked(redis_url: str) -> None:
    """What the broker does once the visibility timeout (an hour in settings) has passed: put
    the unacknowledged messages back on their queue. Kombu's own code, with the timeout at 0."""
    from kombu import Connection

    with Connection(redis_url, transport_options={"visibility_timeout": 0}) as conn:
        conn.default_channel.qos.restore_visible(num=100, interval=1)


def test_sigkill_during_extraction_extracts_once(make_app, redis_server, seed_text):
    started = time.monotonic()
    # A stale claim is taken over after 3 s (120 s in production); beat sweeps every second.
    app = make_app(EXTRACTION_STALE_SECONDS="3", EXTRACTION_SWEEP_SECONDS="1")
    app.start_web()
    slow = app.start_worker("slow-worker", slow_extraction=120)

    reply = app.post("/api/v1/articles/", {"title": "Killed mid-run", "body": seed_text}, token=app.tokens["erin"])
    assert reply.status == 201, reply.body
    article_id = reply.body["id"]

    # The worker has claimed the article (running) and is inside the pipeline: kill it there.
    wait_until(lambda: "faults: extraction started" in slow.log(), timeout=30, what="the slow extraction", log=slow.log)
    assert app.article_status(article_id) == "running"
    slow.kill()
    [task_id] = _unacked_task_ids(redis_server.url)  # acks_late: the message was not acknowledged
    assert app.scalar("SELECT count(*) FROM articles_claim WHERE article_id = %s", (article_id,)) == 0

    # A new worker with beat: the sweep finds the run left behind once it is stale and re-enqueues it.
    worker = app.start_worker("worker", beat=True)
    app.wait_for_extraction(article_id, timeout=60)
    assert "sweep_pending_extractions" in worker.log()

    # An hour later the broker redelivers the killed worker's message: it finds the article done.
    _redeliver_unacked(redis_server.url)
    finished = re.compile(rf"extract_article\[{task_id}\] succeeded in [0-9.]+s: (\w+)")
    outcome = wait_until(lambda: finished.search(worker.log()), timeout=30, what="the redelivered task", log=worker.log)
    assert outcome.group(1) == "None", "the redelivered task found nothing to do"
    assert _unacked_task_ids(redis_server.url) == []

    expected = extraction.extract(seed_text)
    claims = app.query('SELECT start, "end" FROM articles_claim WHERE article_id = %s', (article_id,))
    assert len(claims) == len(expected) == len(set(claims)), "every claim unit stored once"
    assert sorted(claims) == [(c.start, c.end) for c in expected]
    events = app.query(
        "SELECT action FROM reviews_event WHERE article_id = %s AND action LIKE 'article.extract%%'", (article_id,)
    )
    assert events == [("article.extracted",)], "extracted exactly once"
    assert app.article_status(article_id) == "done"
    print(f"faults: worker killed test took {time.monotonic() - started:.1f} s")
