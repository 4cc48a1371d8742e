"""A real HTTP receiver on 127.0.0.1 (http.server in a thread, a random port), and the
workflow fixtures the webhook tests drive: the seed article's Rutte claim, accepted, assigned,
ruled, approved and published through the real services."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from factcheck.webhooks import services as webhook_services
from factcheck.webhooks.models import WebhookEndpoint
from reviews import services
from reviews.models import Rating


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Records every request; answers with the scripted (status, delay seconds) replies in
    order, then with ``default``."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    script: list[tuple[int, float]] = field(default_factory=list)
    default: tuple[int, float] = (200, 0.0)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reply(self, *replies: tuple[int, float]) -> None:
        with self.lock:
            self.script.extend(replies)

    def next_reply(self) -> tuple[int, float]:
        with self.lock:
            return self.script.pop(0) if self.script else self.default


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            status, delay = receiver.next_reply()
            if delay:
                time.sleep(delay)
            payload = b'{"ok": true}' if status < 300 else b"x" * 5000  # a long error page
            try:
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:
                pass  # the client gave up (the timeout test)

        def log_message(self, format, *args):
            pass

    return Handler


@pytest.fixture
def receiver():
    rec = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(rec))
    server.daemon_threads = True
    rec.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield rec
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    # Retries fall due at once, so a test runs the next attempt by calling the task again.
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5


@pytest.fixture
def endpoint(editor, receiver) -> WebhookEndpoint:
    return webhook_services.endpoint_create(actor=editor, url=receiver.url, events=["*"], description="CMS")


@pytest.fixture
def rating():
    return Rating.objects.filter(active=True).order_by("order").first()


@pytest.fixture
def submitted(assigned, reviewer, rating):
    services.source_add(claim=assigned, actor=reviewer, title="NATO transcript", url="https://example.org/t")
    return services.ruling_submit(
        claim=assigned, actor=reviewer, rating=rating, summary="Rutte said so", explanation="The transcript shows it."
    )


@pytest.fixture
def published(submitted, editor2):
    ruling = services.ruling_approve(ruling=submitted, actor=editor2)
    return services.ruling_publish(ruling=ruling, actor=editor2)
