"""Load benchmark: 50 editors and reviewers on gunicorn + PostgreSQL + Redis + a Celery worker.

    .venv/bin/python benchmarks/load/run_load.py                    # the full 5-minute run
    .venv/bin/python benchmarks/load/run_load.py --duration 1m      # a quick try
    .venv/bin/python benchmarks/load/run_load.py --gunicorn "--workers 5"   # other gunicorn settings

1. (Re)creates the PostgreSQL database fc_load (DATABASE_URL) and migrates it.
2. Seeds 50 users (23 editors, 27 reviewers) with API tokens and passwords, 300 synthetic
   articles extracted into claims, and work in progress (claims assigned to every reviewer,
   rulings waiting for approval) so that every role has something to do from the first second.
3. Starts gunicorn on a spare port and a Celery worker (with beat) on REDIS_URL, production
   settings (DEBUG off), throttles at their defaults (API_THROTTLE_* unless set).
4. Runs locust headless (benchmarks/load/locustfile.py: the mix is described there) and polls
   the extraction backlog (articles pending or running) every 10 seconds.
5. Prints a summary table; ``--write-docs`` also puts it into docs/benchmarks.md and
   docs/reliability.md (between the "load-results" markers of their "Load" sections).

Everything else (logs, locust CSV files, the credentials file) goes under FACTCHECK_VAR_DIR
(default /tmp/fc-load). Needs PostgreSQL and Redis running.
"""

import argparse
import csv
import datetime
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from report import log, write_between_markers  # noqa: E402

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fc_load")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", "fc-load")
os.environ.setdefault("FACTCHECK_VAR_DIR", str(Path(tempfile.gettempdir()) / "fc-load"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Production settings on plain http: DEBUG off (no query log, no debug pages), cookies not
# HTTPS-only and no redirect to https, so that the browser users work on http://127.0.0.1 (in
# production a TLS proxy sits in front; it is not what is measured here).
os.environ["DEBUG"] = "false"
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ["SESSION_COOKIE_SECURE"] = "false"
os.environ["CSRF_COOKIE_SECURE"] = "false"
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
# Mails (assignment notifications) leave the building; the benchmark stops at the mail backend.
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

VAR = Path(os.environ["FACTCHECK_VAR_DIR"])
PASSWORD = "load-test-password-7"  # noqa: S105 (throwaway users of a throwaway database)
ROLES = {  # locust role -> (how many, group)
    "editors": (12, "editors"),
    "approvers": (5, "editors"),
    "ingest": (1, "editors"),
    "web_editors": (5, "editors"),
    "reviewers": (22, "reviewers"),
    "web_reviewers": (5, "reviewers"),
}
SEED_ARTICLES = 300
# Threads, so that a slow request (a password check at login) does not hold a whole process;
# keep-alive longer than a simulated person's pause, so that the server never closes a
# connection the client is about to reuse (those races were "connection reset" errors).
GUNICORN = "--workers 3 --worker-class gthread --threads 4 --keep-alive 75"
BACKLOG_EVERY = 10.0
MARK_BEGIN = "<!-- load-results:begin -->"
MARK_END = "<!-- load-results:end -->"


def loadavg() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def spare_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def recreate_database() -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"], "dbname": "postgres"}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def seed() -> dict:
    """Users, tokens, extracted articles and work in progress. Returns the credentials."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from synthetic import article

    from articles import services as article_services
    from articles.importing import articles_import
    from articles.models import Claim
    from factcheck.tokens import token_create
    from reviews import services
    from reviews.models import Rating

    call_command("migrate", verbosity=0)
    credentials: dict[str, list[dict]] = {}
    people = {"editors": [], "reviewers": []}
    for role, (count, group) in ROLES.items():
        credentials[role] = []
        for n in range(1, count + 1):
            username = f"{role.rstrip('s')}-{n:02d}".replace("_", "-")
            # Only the browser users log in with a password; hashing one costs a second of CPU here.
            password = PASSWORD if role.startswith("web_") else None
            user = User.objects.create_user(username, password=password, first_name=role, last_name=str(n))
            user.groups.add(Group.objects.get(name=group))
            _, token = token_create(user=user, name="load benchmark", actor=user)
            credentials[role].append({"username": username, "password": PASSWORD, "token": token, "id": user.pk})
            people[group].append(user)
    log(f"seeded {sum(len(v) for v in credentials.values())} users with tokens")

    rows = ((f"item {n}", article(n, seed=11)) for n in range(SEED_ARTICLES))
    report = articles_import(rows, submitted_by=people["editors"][0], extract=False)
    for article_id in report.article_ids:
        article_services.article_extract(article_id=article_id)
    log(f"seeded {report.created} articles, {Claim.objects.count()} claims (extracted in-process)")

    # Work in progress: 4 open claims and 2 rulings awaiting approval per reviewer.
    editor = people["editors"][0]
    rating = Rating.objects.order_by("order").first()
    wanted = 6 * len(people["reviewers"])
    checkworthy = iter(list(Claim.objects.filter(checkworthy=True).order_by("-checkworthiness", "pk")[:wanted]))
    for reviewer in people["reviewers"]:
        for n in range(6):
            claim = services.claim_accept(claim=next(checkworthy), actor=editor)
            claim = services.claim_assign(claim=claim, actor=editor, reviewer=reviewer, priority=3)
            if n >= 4:
                services.source_add(
                    claim=claim, actor=reviewer, title="Official release", url="https://stats.example.org/"
                )
                services.ruling_submit(
                    claim=claim, actor=reviewer, rating=rating, summary=claim.text[:200], explanation="Checked."
                )
    log(f"seeded work in progress: {Claim.objects.exclude(status='candidate').count()} claims in the workflow")
    # Fresh statistics, as autovacuum would have them on a live database a minute later: planned
    # on the empty tables' estimates, the queue's queries would scan instead of using the indexes.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return credentials


def start(cmd: list[str], logfile: Path, ready: str, timeout: float = 60) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=logfile.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready in logfile.read_text(errors="replace"):
            return proc
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    stop(proc)
    sys.exit(f"{cmd[2:5]} did not start:\n{logfile.read_text(errors='replace')[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) of the live processes of one process group, from /proc."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == pgid:  # pgrp; utime and stime are fields 14 and 15 of stat
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


class BacklogPoller(threading.Thread):
    """Every BACKLOG_EVERY seconds: articles pending or running (the backlog), and totals."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[tuple[float, int, int, int]] = []  # (seconds, backlog, articles, claims)
        self.halt = threading.Event()
        self.started_at = time.monotonic()

    def sample(self) -> tuple[float, int, int, int]:
        import psycopg
        from django.conf import settings

        db = settings.DATABASES["default"]
        with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]) as conn:
            backlog, articles = conn.execute(
                "SELECT count(*) FILTER (WHERE extraction_status IN ('pending', 'running')), count(*) "
                "FROM articles_article"
            ).fetchone()
            claims = conn.execute("SELECT count(*) FROM articles_claim").fetchone()[0]
        return (time.monotonic() - self.started_at, backlog, articles, claims)

    def run(self):
        while not self.halt.is_set():
            self.samples.append(self.sample())
            self.halt.wait(BACKLOG_EVERY)


def percentile_cell(row: dict, key: str) -> str:
    value = row.get(key, "")
    return "-" if value in ("", "N/A") else f"{float(value):.0f}"


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def table(stats: list[dict]) -> list[str]:
    lines = [
        "| request | count | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = sorted((r for r in stats if r["Name"] != "Aggregated"), key=lambda r: -int(r["Request Count"]))
    rows += [r for r in stats if r["Name"] == "Aggregated"]
    for r in rows:
        name = "**all requests**" if r["Name"] == "Aggregated" else f"{r['Type']} {r['Name']}"
        lines.append(
            f"| {name} | {r['Request Count']} | {r['Failure Count']} | {float(r['Requests/s']):.1f} | "
            f"{percentile_cell(r, '50%')} | {percentile_cell(r, '95%')} | {percentile_cell(r, '99%')} | "
            f"{float(r['Max Response Time']):.0f} |"
        )
    return lines


def workflow_counts(since: datetime.datetime) -> dict[str, int]:
    from django.db.models import Count

    from reviews.models import Event

    rows = Event.objects.filter(created_at__gte=since).values("action").annotate(n=Count("id")).order_by("action")
    return {row["action"]: row["n"] for row in rows}


def write_docs(block: str) -> None:
    for name in ("benchmarks.md", "reliability.md"):
        if write_between_markers(ROOT / "docs" / name, MARK_BEGIN, MARK_END, block):
            log(f"docs/{name}: load results written")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", default="5m", help="locust run time, e.g. 5m, 90s (default 5m)")
    parser.add_argument("--users", type=int, default=50, help="simulated people (the mix is sized for 50)")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument(
        "--gunicorn",
        default=GUNICORN,
        help=f"gunicorn worker options (default {GUNICORN!r}: the best of the settings tried, docs/benchmarks.md)",
    )
    parser.add_argument("--worker-concurrency", type=int, default=1, help="Celery worker processes (default 1)")
    parser.add_argument("--write-docs", action="store_true", help="put the results into docs/ (Load sections)")
    args = parser.parse_args()

    import django

    VAR.mkdir(parents=True, exist_ok=True)
    django.setup()
    log(f"{loadavg()}; recreating database and seeding")
    recreate_database()
    credentials = seed()
    creds_file = VAR / "load-credentials.json"
    creds_file.write_text(json.dumps(credentials))
    counters_file = VAR / "load-counters.json"
    counters_file.unlink(missing_ok=True)

    port = spare_port()
    py = sys.executable
    worker = start(
        [
            *(py, "-m", "celery", "-A", "factcheck", "worker", "--loglevel=INFO"),
            *(f"--concurrency={args.worker_concurrency}", "-Q", os.environ["CELERY_TASK_DEFAULT_QUEUE"]),
            *("--without-gossip", "--without-mingle", "--beat", "--schedule", str(VAR / "celerybeat-schedule")),
        ],
        VAR / "worker.log",
        "ready.",
    )
    web = start(
        [py, "-m", "gunicorn", "factcheck.wsgi", "-b", f"127.0.0.1:{port}", *args.gunicorn.split()],
        VAR / "gunicorn.log",
        "Booting worker",
    )
    time.sleep(3)  # let every gunicorn worker import Django before the first users arrive
    poller = BacklogPoller()
    prefix = VAR / "locust"
    env = {**os.environ, "LOAD_CREDENTIALS": str(creds_file), "LOAD_COUNTERS": str(counters_file)}
    started = datetime.datetime.now(datetime.UTC)
    load_before = loadavg()
    log(f"{load_before}; locust: {args.users} users for {args.duration} against gunicorn {args.gunicorn!r}")
    poller.start()
    web_cpu = group_cpu_seconds(web.pid)
    try:
        subprocess.run(
            [
                *(py, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary"),
                *("-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.duration),
                *("--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--stop-timeout", "10"),
                *("--loglevel", "WARNING", "--exit-code-on-error", "0"),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        load_after = loadavg()
        web_cpu = group_cpu_seconds(web.pid) - web_cpu
        ended = time.monotonic()
        # Drain: how long the worker needs to finish the backlog left at the end.
        while poller.sample()[1] > 0 and time.monotonic() - ended < 300:
            time.sleep(1)
        drained = time.monotonic() - ended
    finally:
        poller.halt.set()
        stop(web)
        stop(worker)
    poller.samples.append(poller.sample())

    stats = read_stats(prefix)
    counters = json.loads(counters_file.read_text()) if counters_file.exists() else {}
    flow = workflow_counts(started)
    total = next(r for r in stats if r["Name"] == "Aggregated")
    backlog = " ".join(f"{t:.0f}s:{b}" for t, b, _, _ in poller.samples)
    lines = [
        f"Run of {started:%Y-%m-%d %H:%M} UTC, {args.users} users, {args.duration}, gunicorn `{args.gunicorn}`, "
        f"Celery worker concurrency {args.worker_concurrency} (with beat), PostgreSQL + Redis on 127.0.0.1, "
        f"throttles: user {os.environ.get('API_THROTTLE_USER', '1000/min (default)')}, "
        f"anon {os.environ.get('API_THROTTLE_ANON', '100/min (default)')}. Machine: {os.cpu_count()} vCPU, "
        f"{load_before} at the start, {load_after} at the end (shared with other jobs).",
        "",
        *table(stats),
        "",
        f"Throughput {float(total['Requests/s']):.1f} requests/s, {total['Failure Count']} errors; "
        f"p50 {percentile_cell(total, '50%')} ms, p95 {percentile_cell(total, '95%')} ms, "
        f"p99 {percentile_cell(total, '99%')} ms. Gunicorn used {web_cpu:.0f} CPU seconds, "
        f"{1000 * web_cpu / max(1, int(total['Request Count'])):.0f} ms per request on average.",
        "",
        "Expected conflicts (409: someone else acted first; not errors): "
        + (
            ", ".join(f"{k.removeprefix('conflict: ')} {v}" for k, v in counters.items() if k.startswith("conflict"))
            or "none"
        )
        + ". Empty queues met: "
        + (
            ", ".join(f"{k.removeprefix('empty: ')} {v}" for k, v in counters.items() if k.startswith("empty"))
            or "none"
        )
        + ".",
        "",
        "Workflow events written during the run: " + ", ".join(f"{k} {v}" for k, v in flow.items()) + ".",
        "",
        f"Extraction backlog (articles pending or running, every {BACKLOG_EVERY:.0f} s, seconds:count): {backlog}. "
        f"Left at the end drained in {drained:.1f} s.",
    ]
    block = "\n".join(lines)
    print()
    print(block)
    (VAR / "load-results.md").write_text(block + "\n")
    if args.write_docs:
        write_docs(block)


if __name__ == "__main__":
    main()
