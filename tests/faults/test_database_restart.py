"""PostgreSQL restarted (pg_ctl restart -m fast, which cuts every connection) under the running
web server and worker: requests fail at most while the server is down, then both recover on
their own. The web server's persistent connections (CONN_MAX_AGE) are checked before reuse
(CONN_HEALTH_CHECKS); the worker drops its connections around every task (Celery's Django fixup)."""

import threading
import time

import pytest

pytestmark = pytest.mark.faults

GRACE_SECONDS = 1.0  # after pg_ctl returns, requests may still fail this long


class Poller(threading.Thread):
    """GET an API list in a loop, recording (time, status) of every answer."""

    def __init__(self, app, token: str):
        super().__init__(daemon=True)
        self.app, self.token = app, token
        self.results: list[tuple[float, int]] = []
        self.running = True

    def run(self):
        while self.running:
            reply = self.app.get("/api/v1/articles/", token=self.token, timeout=5)
            self.results.append((time.monotonic(), reply.status))
            time.sleep(0.05)

    def stop(self):
        self.running = False
        self.join(timeout=10)


def test_web_and_worker_recover_from_a_database_restart(make_app, pg_cluster, seeded, seed_text):
    started = time.monotonic()
    # Persistent connections, checked before reuse: what lets the web server survive a restart.
    assert seeded["database"]["CONN_MAX_AGE"] > 0
    assert seeded["database"]["CONN_HEALTH_CHECKS"] is True
    app = make_app()
    app.start_web()
    worker = app.start_worker("worker")
    token = app.tokens["erin"]
    before = app.post("/api/v1/articles/", {"title": "Before the restart", "body": seed_text}, token=token)
    assert before.status == 201, before.body
    app.wait_for_extraction(before.body["id"])  # the worker has used the database too

    poller = Poller(app, token)
    poller.start()
    time.sleep(1)  # both gunicorn workers now hold a connection to the old server
    restart_began = time.monotonic()
    pg_cluster.restart()
    restart_done = time.monotonic()
    time.sleep(3)
    poller.stop()

    results = poller.results
    before_restart = [status for at, status in results if at < restart_began]
    during = [status for at, status in results if restart_began <= at < restart_done + GRACE_SECONDS]
    after = [status for at, status in results if at >= restart_done + GRACE_SECONDS]
    assert before_restart and set(before_restart) == {200}
    assert len(after) >= 10 and set(after) == {200}, f"the web server recovered by itself: {after}"
    assert 0 not in during, "gunicorn kept answering (an error page at worst) while the database was down"

    # No manual restart of anything: the same web server takes an article, the same worker extracts it.
    reply = app.post("/api/v1/articles/", {"title": "After the restart", "body": seed_text}, token=token)
    assert reply.status == 201, reply.body
    app.wait_for_extraction(reply.body["id"], timeout=30)
    assert worker.alive()
    claims = app.query(
        'SELECT article_id, count(*), count(DISTINCT (start, "end")) FROM articles_claim GROUP BY article_id'
    )
    assert len(claims) == 2 and claims[0][1:] == claims[1][1:] and claims[0][1] == claims[0][2]
    failed = [status for status in during if status != 200]
    print(
        f"faults: database restart test took {time.monotonic() - started:.1f} s; pg_ctl restart "
        f"{restart_done - restart_began:.2f} s; {len(failed)} of {len(during)} requests during it failed "
        f"({sorted(set(failed))}); {len(after)} after it, all 200"
    )
