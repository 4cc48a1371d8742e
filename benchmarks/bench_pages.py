"""Server time of the web pages with 10,000 claims in the database.

Seeds a throwaway database (Django's test database: ``test_<name>`` on PostgreSQL, a file in a
temporary folder on SQLite; dropped at the end) with 50 articles of 200 claims each, spread over
the workflow states, with assignments, rulings, sources, comments and events, all written with
bulk_create. Then requests every page through django.test.Client, logged in as an editor (who is
also a reviewer, so that "My claims" has rows), and prints the median and p95 of the time spent
in Django per page, with its query count:

    .venv/bin/python benchmarks/bench_pages.py [--claims 10000] [--requests 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck .venv/bin/python benchmarks/bench_pages.py

The target is under 100 ms per page; a page over it is marked SLOW. The last line is key=value.
"""

import argparse
import datetime
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="factcheck-bench-pages-")
os.environ["FACTCHECK_VAR_DIR"] = TMP
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = f"factcheck-bench-pages-{os.getpid()}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# As in production: DEBUG off (no SQL log, no template debug data).
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

TARGET_MS = 100
PASSWORD = "bench-only"  # noqa: S105 (throwaway users in a throwaway database)
CLAIMS_PER_ARTICLE = 200
SPEAKERS = ["Mark Rutte", "Jane Minister", "the prime minister", "a NATO official", "", "", "Pete Hegseth"]
TYPES = ["quantity", "prediction", "causation", "law_or_rule", "personal_experience", "other", "not_a_claim"]
# Rough shares of a desk's claims by state, out of 100.
STATE_MIX = {
    "candidate": 55,
    "rejected": 12,
    "merged": 1,
    "accepted": 8,
    "assigned": 6,
    "in_review": 4,
    "submitted": 3,
    "returned": 1,
    "approved": 2,
    "published": 7,
    "corrected": 1,
}
WITH_REVIEWER = {"assigned", "in_review", "submitted", "returned", "approved", "published", "corrected"}


def seed(n_claims: int):
    """The desk: users, articles, claims, assignments, rulings, sources, comments, events."""
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from articles.models import Article, Claim
    from reviews.models import Assignment, Comment, Event, Rating, Ruling, Source

    rng = random.Random(13)
    now = timezone.now()
    today = timezone.localdate()
    editors, reviewers = Group.objects.get(name="editors"), Group.objects.get(name="reviewers")
    editor = User.objects.create_user("bench-editor", password=PASSWORD)
    editor.groups.add(editors, reviewers)
    approver = User.objects.create_user("bench-editor2", password=PASSWORD)
    approver.groups.add(editors)
    staff = [User.objects.create_user(f"bench-reviewer{i}", password=PASSWORD) for i in range(12)]
    for user in staff:
        user.groups.add(reviewers)
    staff.append(editor)

    sentence = "In {year}, {who} said spending on defence rose by {pct} per cent to {amount} billion euros, claim {i}."
    n_articles = max(1, n_claims // CLAIMS_PER_ARTICLE)
    articles, claims = [], []
    states = [s for s, share in STATE_MIX.items() for _ in range(share)]
    for a in range(n_articles):
        units, offsets, pos = [], [], 0
        for i in range(CLAIMS_PER_ARTICLE):
            unit = sentence.format(
                year=2000 + i % 25, who=SPEAKERS[i % len(SPEAKERS)] or "it", pct=i % 40, amount=i, i=i
            )
            offsets.append((pos, pos + len(unit)))
            units.append(unit)
            pos += len(unit) + (2 if i % 8 == 7 else 1)
        body = "".join(u + ("\n\n" if i % 8 == 7 else " ") for i, u in enumerate(units))
        article = Article(
            title=f"Bench article {a}: defence spending across the alliance",
            body=body,
            outlet="Bench Wire",
            source_url=f"https://example.org/bench/{a}",
            extraction_status="done",
            extracted_at=now,
            submitted_by=editor,
        )
        articles.append((article, units, offsets))
    Article.objects.bulk_create([a for a, _, _ in articles])
    for article, units, offsets in articles:
        for i, (unit, (start, end)) in enumerate(zip(units, offsets, strict=True)):
            state = rng.choice(states)
            score = round(rng.random(), 3)
            claims.append(
                Claim(
                    article=article,
                    start=start,
                    end=end,
                    text=unit,
                    checkworthiness=score,
                    checkworthy=score >= 0.38,
                    claim_type=TYPES[i % len(TYPES)],
                    speaker=SPEAKERS[i % len(SPEAKERS)],
                    status=state,
                    priority=rng.randint(1, 4),
                    assignee=rng.choice(staff) if state in WITH_REVIEWER else None,
                    due_date=today + datetime.timedelta(days=rng.randint(-10, 20)) if state in WITH_REVIEWER else None,
                )
            )
    Claim.objects.bulk_create(claims, batch_size=2000)

    ratings = list(Rating.objects.filter(active=True))
    assignments, rulings, sources, comments, events = [], [], [], [], []
    for claim in claims:
        if claim.assignee_id is None:
            continue
        assignments.append(Assignment(claim=claim, reviewer_id=claim.assignee_id, assigned_by=editor))
        events.append(Event(article_id=claim.article_id, claim=claim, actor=editor, action="claim.assign"))
        sources.append(
            Source(claim=claim, title="SIPRI military expenditure", url="https://sipri.org", added_by=editor)
        )
        comments.append(Comment(claim=claim, author=editor, body="Please check the 2024 figure @bench-editor2"))
        if claim.status in ("submitted", "approved", "published", "corrected"):
            published = claim.status in ("published", "corrected")
            rulings.append(
                Ruling(
                    claim=claim,
                    rating=rng.choice(ratings),
                    summary="The figure is close to SIPRI's estimate",
                    explanation="SIPRI's database gives a similar figure for the year. " * 5,
                    reviewer_id=claim.assignee_id if claim.assignee_id != approver.pk else editor.pk,
                    status={"submitted": "submitted", "approved": "approved"}.get(claim.status, "published"),
                    approved_by=approver if claim.status != "submitted" else None,
                    approved_at=now if claim.status != "submitted" else None,
                    published_at=now - datetime.timedelta(hours=rng.randint(1, 2000)) if published else None,
                )
            )
            if published:
                events.append(Event(article_id=claim.article_id, claim=claim, actor=editor, action="claim.publish"))
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    Ruling.objects.bulk_create(rulings, batch_size=2000)
    Source.objects.bulk_create(sources, batch_size=2000)
    Comment.objects.bulk_create(comments, batch_size=2000)
    Event.objects.bulk_create(events, batch_size=2000)
    return editor, [a for a, _, _ in articles], claims, rulings


def pages(articles, claims, rulings) -> dict[str, str]:
    from django.urls import reverse

    published = [r for r in rulings if r.status == "published"]
    claim = max(claims, key=lambda c: (c.status == "published", c.checkworthiness))
    return {
        "queue": reverse("claim-queue"),
        "queue filtered": reverse("claim-queue") + "?status=candidate&sort=score&min_score=0.5&speaker=minister",
        "queue overdue": reverse("claim-queue") + "?overdue=on&sort=due",
        "board": reverse("claim-board"),
        "board filtered": reverse("claim-board") + "?speaker=rutte&sort=score",
        "my claims": reverse("my-claims"),
        "article list": reverse("article-list"),
        "article page (200 claims)": reverse("article-detail", args=[articles[0].pk]),
        "claim page": reverse("claim-detail", args=[claim.pk]),
        "dashboard": reverse("dashboard"),
        "fact-check index": reverse("factcheck-index"),
        "fact-check page": reverse("factcheck-public", args=[published[0].pk]),
        "published article": reverse("factcheck-article", args=[published[0].claim.article_id]),
    }


def measure(client, url: str, requests: int, warmup: int) -> tuple[list[float], list[float], int, int]:
    """Wall-clock and CPU milliseconds of each request, its status and its query count. The CPU
    time of this process leaves out waiting for a busy machine's cores; on SQLite it includes
    the database's work, on PostgreSQL it does not."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        client.get(url, secure=True)
    wall, cpu = [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            # secure: HTTPS, as behind the production proxy (DEBUG off redirects plain HTTP).
            response = client.get(url, secure=True)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu, response.status_code, len(queries)


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    from django.db import connection
    from django.test import Client

    # No setup_test_environment(): its template instrumentation would be timed too.
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # A file, as in production, not the in-memory database tests use.
        db["TEST"]["NAME"] = str(Path(TMP) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        editor, articles, claims, rulings = seed(args.claims)
        seeded = time.perf_counter() - started
        if connection.vendor == "postgresql":
            # As autovacuum would have done on a live database: the planner needs statistics.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client()
        client.force_login(editor)
        print(
            f"database: {connection.vendor}; {len(claims)} claims in {len(articles)} articles, "
            f"{len(rulings)} rulings (seeded in {seeded:.1f} s); {args.requests} requests per page"
        )
        print(f"{'page':28} {'median':>8} {'p95':>8} {'cpu med':>8} {'queries':>8}")
        figures, slow = [], []
        for name, url in pages(articles, claims, rulings).items():
            wall, cpu, status, queries = measure(client, url, args.requests, args.warmup)
            if status != 200:
                sys.exit(f"{name}: {url} answered {status}")
            median = statistics.median(wall)
            flag = "  SLOW" if median > TARGET_MS else ""
            if flag:
                slow.append(name)
            print(f"{name:28} {median:6.1f}ms {p95(wall):6.1f}ms {statistics.median(cpu):6.1f}ms {queries:8d}{flag}")
            key = name.split(" (")[0].replace(" ", "_").replace("-", "_")
            figures.append(f"{key}_median_ms={median:.1f}")
        print(f"slow pages (median over {TARGET_MS} ms): {', '.join(slow) or 'none'}")
        print(f"vendor={connection.vendor} claims={len(claims)} " + " ".join(figures))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
