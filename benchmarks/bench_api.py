"""Throughput of the API's claim list against a bare Django view returning the same rows.

    .venv/bin/python benchmarks/bench_api.py [--claims 10000] [--seconds 10] [--concurrency 4]

1. Creates a PostgreSQL database of its own (``fc_bench_api`` on 127.0.0.1:5432 as postgres,
   or BENCH_DATABASE_URL), migrates it and seeds --claims claims (50 per article) and an
   editor with an API token.
2. Starts gunicorn with 2 workers on a free port, serving benchmarks/bench_api_urls.py: the
   product plus the bare view /bench/claims/ (``values()`` + ``JsonResponse``). Throttles are
   off (API_THROTTLE_USER=off) so that the limit measured is the server's.
3. Loads (a) GET /api/v1/claims/?page_size=50 with the token and (b) GET /bench/claims/, each
   with --concurrency client threads (http.client) for --seconds, alternating (a, b, a, b)
   so that both see the same machine; prints requests/second, p50 and p95 latency of each,
   and the ratio (target: the API at least 0.5 times the bare view).
4. Stops gunicorn and drops the database.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from report import loadavg  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fc_bench_api")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.pop("REDIS_URL", None)  # no broker or cache server needed: nothing is enqueued
os.environ.setdefault("FACTCHECK_VAR_DIR", tempfile.mkdtemp(prefix="factcheck-bench-api-"))
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = f"factcheck-bench-api-{os.getpid()}"
os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
os.environ["DEBUG"] = "false"  # production settings: no debug query log
os.environ["SECURE_SSL_REDIRECT"] = "false"  # plain http on loopback, as behind the TLS proxy
os.environ.setdefault("SECRET_KEY", "bench-api-" + "x" * 50)
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["API_THROTTLE_USER"] = "off"
os.environ["API_THROTTLE_ANON"] = "off"

API_PATH = "/api/v1/claims/?page_size=50"
BARE_PATH = "/bench/claims/"


def _admin_connection():
    import psycopg

    url = urlsplit(DATABASE_URL)
    params = {"host": url.hostname, "port": url.port or 5432, "user": url.username or "postgres", "dbname": "postgres"}
    if url.password:
        params["password"] = url.password
    return psycopg.connect(**params, autocommit=True), url.path.lstrip("/")


def create_database() -> None:
    conn, name = _admin_connection()
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database() -> None:
    from django.db import connections

    connections.close_all()
    conn, name = _admin_connection()
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(claims: int) -> str:
    """``claims`` claims in articles of 50, in the queue's mix of states; returns an editor's token."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article, Claim
    from factcheck.tokens import token_create

    call_command("migrate", verbosity=0)
    editor = User.objects.create_user("bench-editor", password="unused-" + "x" * 20)
    editor.groups.add(Group.objects.get(name="editors"))
    reviewer = User.objects.create_user("bench-reviewer", password="unused-" + "x" * 20)
    reviewer.groups.add(Group.objects.get(name="reviewers"))
    sentence = "The minister said unemployment fell to {n}.1% last year, the lowest level since 2008."
    per_article = 50
    statuses = [Claim.Status.CANDIDATE] * 6 + [Claim.Status.ACCEPTED, Claim.Status.ASSIGNED, Claim.Status.IN_REVIEW]
    for first in range(0, claims, per_article):
        count = min(per_article, claims - first)
        units = [sentence.format(n=first + i) for i in range(count)]
        body = " ".join(units)
        article = Article.objects.create(
            title=f"Bench article {first // per_article}",
            body=body,
            submitted_by=editor,
            extraction_status=Article.ExtractionStatus.DONE,
        )
        rows, offset = [], 0
        for i, unit in enumerate(units):
            n = first + i
            status = statuses[n % len(statuses)]
            rows.append(
                Claim(
                    article=article,
                    start=offset,
                    end=offset + len(unit),
                    text=unit,
                    checkworthiness=(n * 7919 % 1000) / 1000,
                    checkworthy=(n * 7919 % 1000) >= 380,
                    claim_type=Claim.ClaimType.QUANTITY,
                    speaker="The minister",
                    status=status,
                    priority=1 + n % 4,
                    assignee=reviewer if status in (Claim.Status.ASSIGNED, Claim.Status.IN_REVIEW) else None,
                )
            )
            offset += len(unit) + 1
        Claim.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        # Planner statistics and the visibility map, as autovacuum leaves a table after a bulk
        # insert (PostgreSQL 13+ vacuums insert-only tables too): the list's COUNT(*) is then an
        # index-only scan, as on a production database, not a scan of a never-vacuumed heap.
        cursor.execute("VACUUM ANALYZE")
    return token_create(user=editor, name="bench_api", actor=editor)[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, log: Path) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "--pythonpath",
        str(ROOT / "benchmarks"),
        "bench_api_urls:application",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--keep-alive",
        "30",
        "--no-control-socket",
    ]
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:  # a worker answers (the master alone would accept the connection)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            get(conn, BARE_PATH, {})
            conn.close()
            return server
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
    server.kill()
    sys.exit(f"gunicorn did not start:\n{log.read_text(errors='replace')[-3000:]}")


def get(conn: http.client.HTTPConnection, path: str, headers: dict) -> bytes:
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status} {body[:300]!r}")
    return body


def load(port: int, path: str, headers: dict, seconds: float, concurrency: int) -> tuple[float, list[float]]:
    """Requests per second and every request's latency (s), ``concurrency`` keep-alive clients."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            get(conn, path, headers)
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="per target and round")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per target")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    load_start = loadavg()
    create_database()
    import django

    django.setup()
    server = None
    try:
        started = time.perf_counter()
        token = seed(args.claims)
        print(f"seeded {args.claims} claims in {time.perf_counter() - started:.1f} s ({DATABASE_URL})")
        port = free_port()
        log = Path(os.environ["FACTCHECK_VAR_DIR"]) / "gunicorn.log"
        server = start_gunicorn(port, log)
        api_headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        targets = {"api": (API_PATH, api_headers), "bare": (BARE_PATH, {})}

        # Same rows, same order: otherwise the comparison says nothing.
        import json

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        api_ids = [row["id"] for row in json.loads(get(conn, API_PATH, api_headers))["results"]]
        bare_ids = [row["id"] for row in json.loads(get(conn, BARE_PATH, {}))["results"]]
        conn.close()
        assert api_ids == bare_ids and len(api_ids) == 50, (api_ids[:5], bare_ids[:5])

        for path, headers in targets.values():  # warm both workers' connections and caches
            load(port, path, headers, 1.0, args.concurrency)
        results: dict[str, tuple[int, float, list[float]]] = {name: (0, 0.0, []) for name in targets}
        for _ in range(args.rounds):
            for name, (path, headers) in targets.items():
                rps, latencies = load(port, path, headers, args.seconds, args.concurrency)
                count, elapsed, all_latencies = results[name]
                results[name] = (count + len(latencies), elapsed + len(latencies) / rps, all_latencies + latencies)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        drop_database()

    figures = {}
    print(
        f"gunicorn, 2 sync workers; {args.concurrency} client threads; {args.rounds} x {args.seconds:.0f} s per target"
    )
    for name, (count, elapsed, latencies) in results.items():
        rps = count / elapsed
        figures[name] = (rps, statistics.median(latencies) * 1000, p95(latencies) * 1000)
        label = f"(a) GET {API_PATH} (token)" if name == "api" else f"(b) GET {BARE_PATH} (bare view)"
        print(f"{label:48} {rps:7.1f} req/s  p50 {figures[name][1]:6.1f} ms  p95 {figures[name][2]:6.1f} ms")
    ratio = figures["api"][0] / figures["bare"][0]
    print(f"ratio API / bare: {ratio:.2f} (target >= 0.5); load average {load_start} -> {loadavg()}")
    print(
        f"api_rps={figures['api'][0]:.1f} api_p50_ms={figures['api'][1]:.1f} api_p95_ms={figures['api'][2]:.1f} "
        f"bare_rps={figures['bare'][0]:.1f} bare_p50_ms={figures['bare'][1]:.1f} bare_p95_ms={figures['bare'][2]:.1f} "
        f"ratio={ratio:.2f} claims={args.claims}"
    )


if __name__ == "__main__":
    main()
