"""Bulk ingest end to end: ``manage.py import_articles`` of N synthetic articles into PostgreSQL,
extracted by a Celery worker on Redis, from the start of the import until the last article
is extracted.

    .venv/bin/python benchmarks/bench_ingest.py                       # N = 1,000 and 10,000; 1 vs 2 at 10,000
    .venv/bin/python benchmarks/bench_ingest.py --max 100000          # ... and 100,000
    .venv/bin/python benchmarks/bench_ingest.py --sizes 1000 --concurrency 1,2

Each run gets a fresh database (fc_load_ingest, copied from a migrated template), a JSON Lines
file of N deterministic synthetic news articles (benchmarks/load/synthetic.py: 300 to 800
words with figures, quotes and "X said") and a fresh worker process (``--concurrency``
processes, no beat: production runs beat on its own). The import queues extraction after
each batch of 500 commits, in messages of 50 ids, so the worker starts while the import is
still reading the file. Prints a table of articles/s, claims/s and seconds per 1,000
articles (constant when the time grows linearly), with the machine's load average beside each
run; ``--write-docs`` puts it into docs/benchmarks.md ("Ingest", between the
"ingest-results" markers).

Environment: DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/), REDIS_URL
(default redis://127.0.0.1:6379/0), files and logs under FACTCHECK_VAR_DIR (default /tmp/fc-load).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE / "load"))

import synthetic  # noqa: E402
from report import loadavg, log, write_between_markers  # noqa: E402

SERVER = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/").rsplit("/", 1)[0]
DB, TEMPLATE = "fc_load_ingest", "fc_load_ingest_template"
VAR = Path(os.environ.get("FACTCHECK_VAR_DIR", Path(tempfile.gettempdir()) / "fc-load"))
QUEUE = "fc-load-ingest"
EDITOR = "ingest-editor"
SEED = 23
MARK_BEGIN = "<!-- ingest-results:begin -->"
MARK_END = "<!-- ingest-results:end -->"


def env(database: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{database}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
        "FACTCHECK_VAR_DIR": str(VAR),
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "LOG_LEVEL": "WARNING",
        # Notifications and webhooks are not part of ingest; nothing leaves the machine.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def admin_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def manage(database: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env(database), capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def make_template() -> None:
    """A migrated database with one editor, copied for every run (CREATE DATABASE ... TEMPLATE)."""
    admin_sql(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)', f'CREATE DATABASE "{TEMPLATE}"')
    manage(TEMPLATE, "migrate", "--noinput", "-v", "0")
    manage(
        TEMPLATE,
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        f"u = User.objects.create_user('{EDITOR}'); u.groups.add(Group.objects.get(name='editors'))",
    )


def corpus(count: int) -> Path:
    """A JSON Lines file of the first ``count`` synthetic articles (made once, then reused)."""
    path = VAR / f"ingest-{SEED}-{count}.jsonl"
    if not path.exists():
        partial = path.with_suffix(".part")
        with partial.open("w", encoding="utf-8") as handle:
            for n in range(count):
                handle.write(json.dumps(synthetic.article(n, seed=SEED), ensure_ascii=False) + "\n")
        partial.rename(path)
    return path


def start_worker(concurrency: int, logfile: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "celery", "-A", "factcheck", "worker", "--loglevel=INFO"]
    cmd += [f"--concurrency={concurrency}", "-Q", QUEUE, "--without-gossip", "--without-mingle", "--without-heartbeat"]
    worker = subprocess.Popen(cmd, cwd=ROOT, env=env(DB), stdout=logfile.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "ready." in logfile.read_text(errors="replace"):
            return worker
        if worker.poll() is not None:
            break
        time.sleep(0.2)
    worker.kill()
    sys.exit(f"the worker did not start:\n{logfile.read_text(errors='replace')[-3000:]}")


def counts() -> tuple[int, int, int, int]:
    """(articles, articles pending or running, articles failed, claims)."""
    import psycopg

    with psycopg.connect(f"{SERVER}/{DB}") as conn:
        articles, backlog, failed = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE extraction_status IN ('pending', 'running')), "
            "count(*) FILTER (WHERE extraction_status = 'failed') FROM articles_article"
        ).fetchone()
        claims = conn.execute("SELECT count(*) FROM articles_claim").fetchone()[0]
    return articles, backlog, failed, claims


def purge_queue() -> None:
    """Drop messages a previous, interrupted run left in this benchmark's queue."""
    import redis

    redis.Redis.from_url(env(DB)["REDIS_URL"]).delete(QUEUE)


def run(count: int, concurrency: int) -> dict:
    path = corpus(count)
    admin_sql(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)', f'CREATE DATABASE "{DB}" TEMPLATE "{TEMPLATE}"')
    purge_queue()
    worker = start_worker(concurrency, VAR / f"ingest-worker-{count}-{concurrency}.log")
    load_before = loadavg()
    try:
        started = time.monotonic()
        importer = subprocess.Popen(
            [sys.executable, "manage.py", "import_articles", str(path), "--user", EDITOR],
            cwd=ROOT,
            env=env(DB),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        imported_at = None
        last_report = started
        while True:
            time.sleep(0.5)
            if imported_at is None and importer.poll() is not None:
                imported_at = time.monotonic()
                output = importer.stdout.read()
                if importer.returncode != 0:
                    sys.exit(f"import failed:\n{output}")
            articles, backlog, failed, claims = counts()
            if imported_at is not None and backlog == 0:
                break
            if time.monotonic() - last_report > 30:
                log(f"  {time.monotonic() - started:.0f}s: {articles} stored, {backlog} waiting, {claims} claims")
                last_report = time.monotonic()
        seconds = time.monotonic() - started
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    imported = re.search(r"(\d+) article\(s\) imported", output)
    return {
        "articles": count,
        "concurrency": concurrency,
        "imported": int(imported.group(1)) if imported else articles,
        "import_s": imported_at - started,
        "total_s": seconds,
        "claims": claims,
        "failed": failed,
        "load": f"{load_before} → {loadavg()}",
    }


def table(results: list[dict]) -> list[str]:
    lines = [
        "| articles | worker processes | import done | last extracted | articles/s | claims | claims/s "
        "| s per 1,000 articles | failed | load avg 1/5/15 min (start → end) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['articles']:,} | {r['concurrency']} | {r['import_s']:.1f} s | {r['total_s']:.1f} s | "
            f"{r['articles'] / r['total_s']:.1f} | {r['claims']:,} | {r['claims'] / r['total_s']:,.0f} | "
            f"{1000 * r['total_s'] / r['articles']:.1f} | {r['failed']} | {r['load']} |"
        )
    return lines


def write_docs(block: str) -> None:
    if write_between_markers(ROOT / "docs" / "benchmarks.md", MARK_BEGIN, MARK_END, block):
        log("docs/benchmarks.md: ingest results written")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="article counts (default 1000,10000,100000)")
    parser.add_argument("--max", type=int, default=10_000, help="skip sizes above this (default 10000)")
    parser.add_argument("--concurrency", default="2", help="worker processes for the size runs (default 2)")
    parser.add_argument(
        "--compare", type=int, default=10_000, help="also run this size with 1 and 2 worker processes (0: no)"
    )
    parser.add_argument("--write-docs", action="store_true", help="put the table into docs/benchmarks.md")
    args = parser.parse_args()

    VAR.mkdir(parents=True, exist_ok=True)
    sizes = [n for n in (int(s) for s in args.sizes.split(",")) if n <= args.max]
    plan = [(n, int(c)) for n in sizes for c in args.concurrency.split(",")]
    if args.compare:
        plan += [(args.compare, c) for c in (1, 2) if (args.compare, c) not in plan]
    log(f"load average {loadavg()}; making the template database and the corpus files")
    make_template()
    results = []
    for count, concurrency in plan:
        log(f"{count:,} articles, {concurrency} worker process(es); load average {loadavg()}")
        result = run(count, concurrency)
        rate = result["articles"] / result["total_s"]
        log(f"  {result['total_s']:.1f} s end to end ({result['import_s']:.1f} s import), {rate:.1f} articles/s")
        results.append(result)
    admin_sql(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    words = sum(len(synthetic.article(n, seed=SEED)["body"].split()) for n in range(200)) / 200
    lines = [
        f"Run of {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} vCPU shared with other jobs, PostgreSQL and "
        f"Redis on 127.0.0.1, synthetic articles of {words:.0f} words on average; `import_articles --user` "
        "(batches of 500, extraction queued in messages of 50 ids), one Celery worker (prefork).",
        "",
        *table(results),
    ]
    block = "\n".join(lines)
    print()
    print(block)
    (VAR / "ingest-results.md").write_text(block + "\n")
    if args.write_docs:
        write_docs(block)


if __name__ == "__main__":
    main()
