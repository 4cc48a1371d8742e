"""Latency of extraction: from an API POST of a 1,000-word article to its claims in the database.

Runs against PostgreSQL and Redis with a warm Celery worker process, as in production:

    .venv/bin/python benchmarks/bench_latency.py [--articles 50] [--words 1000]

Environment (defaults shown): DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench,
REDIS_URL=redis://127.0.0.1:6379/5. The database is created if missing and migrated; the
benchmark's rows are deleted at the end. Prints p50/p95/max and a last key=value line.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = f"factcheck-bench-{os.getpid()}"
os.environ.setdefault("FACTCHECK_VAR_DIR", tempfile.mkdtemp(prefix="factcheck-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def ensure_database() -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"], "dbname": "postgres"}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(**params, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def articles(count: int, words: int) -> list[str]:
    """Distinct news-like articles of about ``words`` words, built from the seed article."""
    seed = (ROOT / "seeds" / "000_dcf8f189fc6cc466.txt").read_text(encoding="utf-8").split("\n")
    seed = [line for line in seed if line.strip()]
    out = []
    for n in range(count):
        lines, total, i = [], 0, n
        while total < words:
            line = seed[i % len(seed)]
            lines.append(line)
            total += len(line.split())
            i += 1
        lines.insert(0, f"Report {n}: officials said {n + 3} countries raised spending by {n % 9 + 1}% this year.")
        out.append("\n".join(lines))
    return out


def start_worker(log: Path) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "factcheck",
        "worker",
        "--loglevel=INFO",
        "--concurrency=2",
        "-Q",
        os.environ["CELERY_TASK_DEFAULT_QUEUE"],
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    worker = subprocess.Popen(cmd, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "ready." in log.read_text(errors="replace"):
            return worker
        if worker.poll() is not None:
            break
        time.sleep(0.1)
    worker.kill()
    sys.exit(f"the worker did not start:\n{log.read_text(errors='replace')[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    ensure_database()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from articles.models import Article
    from factcheck.tokens import token_create

    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench-editor")
    user.groups.add(Group.objects.get(name="editors"))
    client = APIClient()
    secret = token_create(user=user, name="bench_latency", actor=user)[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    log = Path(os.environ["FACTCHECK_VAR_DIR"]) / "worker.log"
    worker = start_worker(log)
    created = []
    try:
        texts = articles(args.warmup + args.articles, args.words)
        latencies = []
        for i, body in enumerate(texts):
            started = time.perf_counter()
            response = client.post("/api/v1/articles/", {"title": f"Bench {i}", "body": body}, format="json")
            assert response.status_code == 201, response.content
            article_id = response.json()["id"]
            created.append(article_id)
            while True:
                status = Article.objects.filter(pk=article_id).values_list("extraction_status", flat=True).first()
                if status in ("done", "failed"):
                    break
                if time.perf_counter() - started > 30:
                    sys.exit(f"article {article_id} not extracted within 30 s; worker log: {log}")
                time.sleep(0.002)
            elapsed = time.perf_counter() - started
            assert status == "done", status
            if i >= args.warmup:
                latencies.append(elapsed)
        claims = sum(Article.objects.get(pk=pk).claims.count() for pk in created[args.warmup :])
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        Article.objects.filter(pk__in=created).delete()

    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    words = sum(len(t.split()) for t in texts[args.warmup :]) / args.articles
    print(f"articles: {args.articles} of {words:.0f} words on average, {claims / args.articles:.0f} claims each")
    print(
        f"API POST -> claims in the database: p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(
        f"latency_p50_ms={statistics.median(latencies) * 1000:.0f} latency_p95_ms={p95 * 1000:.0f} "
        f"latency_max_ms={latencies[-1] * 1000:.0f} articles={args.articles}"
    )


if __name__ == "__main__":
    main()
