"""A webhook receiver that hangs, and one that answers 500: every delivery times out or fails, is
retried with backoff up to WEBHOOK_MAX_ATTEMPTS and then marked failed, while the workflow API
keeps answering fast (the worker sends webhooks; a request only writes the delivery row)."""

import collections
import itertools
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .harness import wait_until

pytestmark = pytest.mark.faults

TIMEOUT = 1  # WEBHOOK_TIMEOUT_SECONDS
ATTEMPTS = 3  # WEBHOOK_MAX_ATTEMPTS
HANG_SECONDS = 4  # longer than the timeout: the receiver never answers in time
ACCEPT_BUDGET_SECONDS = 1.0
CLAIMS = 3


class Receiver(ThreadingHTTPServer):
    """/hang holds every request HANG_SECONDS before answering; /fail answers 500 at once.
    Records (path, delivery id, arrival time) of each request and how many hang right now."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str, float]] = []
        self.hanging = 0
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def by_delivery(self, path: str) -> dict[str, list[float]]:
        with self.lock:
            times = collections.defaultdict(list)
            for p, delivery, at in self.requests:
                if p == path:
                    times[delivery].append(at)
            return times


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        server: Receiver = self.server
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with server.lock:
            server.requests.append((self.path, self.headers["X-Factcheck-Delivery"], time.monotonic()))
        if self.path == "/hang":
            with server.lock:
                server.hanging += 1
            time.sleep(HANG_SECONDS)
            with server.lock:
                server.hanging -= 1
        try:
            self.send_response(200 if self.path == "/hang" else 500)
            self.end_headers()
        except OSError:
            pass  # the sender gave up (timed out) long ago

    def log_message(self, format, *args):
        pass


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.shutdown()
    server.server_close()


def test_hanging_and_failing_receivers_are_retried_and_never_block_the_workflow(make_app, receiver, seed_text):
    started = time.monotonic()
    app = make_app(
        WEBHOOK_TIMEOUT_SECONDS=str(TIMEOUT), WEBHOOK_MAX_ATTEMPTS=str(ATTEMPTS), WEBHOOK_RETRY_BASE_SECONDS="1"
    )
    app.start_web()
    worker = app.start_worker("worker")
    token = app.tokens["erin"]
    for path in ("/hang", "/fail"):
        reply = app.post("/api/v1/webhooks/", {"url": receiver.url(path), "events": ["claim.accepted"]}, token=token)
        assert reply.status == 201, reply.body
    article = app.post("/api/v1/articles/", {"title": "Webhooks", "body": seed_text}, token=token)
    assert article.status == 201, article.body
    app.wait_for_extraction(article.body["id"])
    claim_ids = [
        row[0]
        for row in app.query(
            "SELECT id FROM articles_claim WHERE article_id = %s ORDER BY start LIMIT %s", (article.body["id"], CLAIMS)
        )
    ]

    for _ in range(4):  # warm both gunicorn workers up: the budget is for the accept, not a cold start
        assert app.get("/api/v1/claims/", token=token).status == 200

    # The first accept makes the worker send to the hanging receiver; the others go in meanwhile.
    first = app.post(f"/api/v1/claims/{claim_ids[0]}/accept/", {}, token=token)
    assert first.status == 200, first.body
    wait_until(lambda: receiver.hanging, timeout=15, what="the receiver to hang a delivery", log=worker.log)
    latencies = [first.seconds]
    for claim_id in claim_ids[1:]:
        assert receiver.hanging, "the receiver is holding a delivery while the workflow goes on"
        reply = app.post(f"/api/v1/claims/{claim_id}/accept/", {}, token=token)
        assert reply.status == 200, reply.body
        assert reply.body["status"] == "accepted"
        latencies.append(reply.seconds)
    assert max(latencies) < ACCEPT_BUDGET_SECONDS, latencies
    assert app.get("/api/v1/claims/", token=token).status == 200

    # Each delivery: ATTEMPTS tries with growing gaps (1 s, then 2 s, +-20 %), then failed.
    def all_finished():
        rows = app.query("SELECT status FROM webhooks_webhookdelivery")
        return len(rows) == 2 * CLAIMS and all(status == "failed" for (status,) in rows)

    wait_until(all_finished, timeout=90, what="every delivery to give up", log=worker.log, interval=0.5)
    rows = app.query(
        "SELECT e.url, d.attempts, d.last_error, d.response_code FROM webhooks_webhookdelivery d "
        "JOIN webhooks_webhookendpoint e ON e.id = d.endpoint_id"
    )
    for url, attempts, last_error, response_code in rows:
        assert attempts == ATTEMPTS
        if url.endswith("/hang"):
            assert last_error.startswith(f"Timed out after {TIMEOUT} s"), last_error
            assert response_code is None
        else:
            assert last_error.startswith("HTTP 500"), last_error
            assert response_code == 500
        assert f"gave up after {ATTEMPTS} attempts" in last_error
    for path in ("/hang", "/fail"):
        arrivals = receiver.by_delivery(path)
        assert len(arrivals) == CLAIMS, f"one delivery per accepted claim to {path}"
        for times in arrivals.values():
            assert len(times) == ATTEMPTS, f"{path}: every attempt reached the receiver, none more"
            gaps = [b - a for a, b in itertools.pairwise(times)]
            assert all(gap >= 0.8 for gap in gaps), f"{path}: retries back off ({gaps})"
    # The workflow itself was never held up: every claim is accepted, each with its event.
    accepted = app.query(
        "SELECT c.status, count(e.id) FROM articles_claim c JOIN reviews_event e ON e.claim_id = c.id "
        "AND e.action = 'claim.accept' WHERE c.id = ANY(%s) GROUP BY c.id, c.status",
        (claim_ids,),
    )
    assert accepted == [("accepted", 1)] * CLAIMS
    print(
        f"faults: webhook receiver test took {time.monotonic() - started:.1f} s; accepts answered in "
        f"{', '.join(f'{s * 1000:.0f}' for s in latencies)} ms while the receiver hung"
    )
