"""The newsroom's real mix for locust: 50 simulated people on one desk.

Started by ``benchmarks/load/run_load.py``, which seeds the users, writes their credentials to
the JSON file named by LOAD_CREDENTIALS and reads back the counters written to LOAD_COUNTERS.
Each simulated person is one real user of the product (its own API token or browser session):

- 12 editors (API): browse the triage queue and filtered views, open claims, accept or
  reject candidates, assign accepted claims to the least-loaded reviewers.
- 5 second editors (API): open submitted rulings, approve (or return) and publish them.
- 22 reviewers (API): open their claims, add sources, submit rulings, comment.
- 1 ingest feed (API): posts a new article every 3 seconds (the worker extracts it).
- 5 editors and 5 reviewers in the browser (session login): the queue, claim and article
  pages, a comment through the page's form.

Two people acting on one claim at once is normal on a desk: the loser gets 409 (conflict or
invalid transition) and moves on. Those answers are counted apart ("conflicts") and are not
errors; any other non-2xx answer is an error.
"""

import datetime
import itertools
import json
import os
import random
import re
import sys
import uuid
from collections import Counter
from pathlib import Path

from locust import HttpUser, between, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic

CREDENTIALS = json.loads(Path(os.environ["LOAD_CREDENTIALS"]).read_text())
COUNTERS: Counter = Counter()  # "conflict: <request name>", "empty: <what>"
_pools = {role: itertools.cycle(people) for role, people in CREDENTIALS.items()}
_articles = itertools.count()
CLAIM_LINK = re.compile(r'href="/claims/(\d+)/"')
QUEUE_FILTERS = [
    "status=assigned&status=in_review",
    "claim_type=quantity&min_score=0.5",
    "speaker=Lopez",
    "overdue=true",
    "priority=3&priority=4&ordering=due",
    "checkworthy=true&ordering=-created",
]


@events.quitting.add_listener
def _write_counters(environment, **kwargs):
    path = os.environ.get("LOAD_COUNTERS")
    if path:
        Path(path).write_text(json.dumps(dict(COUNTERS), indent=1, sort_keys=True))


class NewsroomUser(HttpUser):
    abstract = True
    role = ""

    def on_start(self):
        self.person = next(_pools[self.role])

    def call(self, method: str, path: str, name: str, *, ok=(200,), conflict_ok=False, **kwargs):
        """One request; a 409 counts as a conflict (someone was first) when ``conflict_ok``."""
        with self.client.request(method, path, name=name, catch_response=True, **kwargs) as response:
            if response.status_code in ok:
                response.success()
                return response
            if conflict_ok and response.status_code == 409:
                COUNTERS[f"conflict: {name}"] += 1
                response.success()
                return None
            response.failure(f"{response.status_code}: {response.error or response.text[:200]}")
            return None


class ApiUser(NewsroomUser):
    abstract = True

    def on_start(self):
        super().on_start()
        self.client.headers["Authorization"] = f"Bearer {self.person['token']}"

    def results(self, path: str, name: str) -> list[dict]:
        response = self.call("GET", path, name)
        return response.json()["results"] if response is not None else []

    def detail(self, claim_id: int) -> dict | None:
        response = self.call("GET", f"/api/v1/claims/{claim_id}/", "API claim detail")
        return response.json() if response is not None else None


class Editor(ApiUser):
    fixed_count = 12
    role = "editors"
    wait_time = between(1, 4)

    @task(4)
    def triage_queue(self):
        self.candidates = self.results(
            "/api/v1/claims/?status=candidate&checkworthy=true&ordering=-score&page_size=25", "API claims: triage"
        )

    @task(2)
    def filtered_queue(self):
        self.results(f"/api/v1/claims/?{random.choice(QUEUE_FILTERS)}&page_size=25", "API claims: filtered")

    @task(3)
    def triage_one(self):
        candidates = getattr(self, "candidates", None) or self.results(
            "/api/v1/claims/?status=candidate&checkworthy=true&ordering=-score&page_size=25", "API claims: triage"
        )
        if not candidates:
            COUNTERS["empty: triage queue"] += 1
            return
        claim = self.detail(random.choice(candidates)["id"])
        if claim is None:
            return
        action = "reject" if random.random() < 0.2 else "accept"
        self.call(
            "POST",
            f"/api/v1/claims/{claim['id']}/{action}/",
            f"API claim {action}",
            json={"version": claim["version"]},
            conflict_ok=True,
        )

    @task(3)
    def assign_one(self):
        accepted = self.results("/api/v1/claims/?status=accepted&page_size=25", "API claims: accepted")
        if not accepted:
            COUNTERS["empty: accepted queue"] += 1
            return
        reviewers = self.call("GET", "/api/v1/reviewers/", "API reviewers")
        if reviewers is None:
            return
        # Least loaded first; one of the first five, so that twelve editors do not all pick one.
        reviewer = random.choice([r for r in reviewers.json() if r["available"]][:5])
        claim = random.choice(accepted)
        due = datetime.date.today() + datetime.timedelta(days=random.randint(1, 10))
        self.call(
            "POST",
            f"/api/v1/claims/{claim['id']}/assign/",
            "API claim assign",
            json={
                "reviewer": reviewer["id"],
                "priority": random.choice([2, 3, 4]),
                "due_date": due.isoformat(),
                "version": claim["version"],
            },
            conflict_ok=True,
        )

    @task(1)
    def articles(self):
        articles = self.results("/api/v1/articles/?page_size=20", "API articles")
        if articles:
            self.call("GET", f"/api/v1/articles/{random.choice(articles)['id']}/", "API article detail")


class SecondEditor(ApiUser):
    fixed_count = 5
    role = "approvers"
    wait_time = between(2, 5)

    @task(4)
    def decide(self):
        submitted = self.results("/api/v1/claims/?status=submitted&page_size=25", "API claims: submitted")
        if not submitted:
            COUNTERS["empty: submitted queue"] += 1
            return
        claim = self.detail(random.choice(submitted)["id"])
        if claim is None:
            return
        ruling = next((r for r in claim["rulings"] if r["status"] == "submitted"), None)
        if ruling is None:  # decided by someone else between the list and the detail
            COUNTERS["conflict: ruling already decided"] += 1
            return
        if random.random() < 0.1:
            self.call(
                "POST",
                f"/api/v1/rulings/{ruling['id']}/return/",
                "API ruling return",
                json={"note": "Please add the primary source.", "version": ruling["version"]},
                conflict_ok=True,
            )
            return
        approved = self.call(
            "POST",
            f"/api/v1/rulings/{ruling['id']}/approve/",
            "API ruling approve",
            json={"version": ruling["version"]},
            conflict_ok=True,
        )
        if approved is not None and random.random() < 0.8:
            self.call("POST", f"/api/v1/rulings/{ruling['id']}/publish/", "API ruling publish", conflict_ok=True)

    @task(1)
    def audit_trail(self):
        self.results("/api/v1/events/?action_prefix=ruling.&ordering=-created&page_size=20", "API events")


class Reviewer(ApiUser):
    fixed_count = 22
    role = "reviewers"
    wait_time = between(2, 6)

    def on_start(self):
        super().on_start()
        response = self.call("GET", "/api/v1/ratings/", "API ratings")
        self.ratings = [r["slug"] for r in response.json()] if response is not None else ["false"]

    def my_claims(self) -> list[dict]:
        return self.results(
            "/api/v1/claims/?status=assigned&status=in_review&status=returned&ordering=due&page_size=25",
            "API claims: mine",
        )

    @task(2)
    def browse(self):
        self.my_claims()

    @task(5)
    def work_on_a_claim(self):
        mine = self.my_claims()
        if not mine:
            COUNTERS["empty: reviewer queue"] += 1
            return
        claim = self.detail(random.choice(mine)["id"])
        if claim is None:
            return
        if not claim["sources"] or random.random() < 0.3:
            n = random.randint(1, 10_000)
            self.call(
                "POST",
                f"/api/v1/claims/{claim['id']}/sources/",
                "API source add",
                ok=(201,),
                json={
                    "title": f"Statistical release {n}",
                    "url": f"https://stats.example.org/releases/{n}",
                    "kind": "official_statistics",
                    "publisher": "Statistics office",
                    "excerpt": f"The figure for the year was {n / 100:.1f} per cent.",
                },
            )
            return
        self.call(
            "POST",
            f"/api/v1/claims/{claim['id']}/ruling/",
            "API ruling submit",
            ok=(201,),
            json={
                "rating": random.choice(self.ratings),
                "summary": claim["text"][:200],
                "explanation": "The official release gives a different figure for the same period.",
            },
            conflict_ok=True,
        )

    @task(1)
    def comment(self):
        mine = self.my_claims()
        if mine:
            self.call(
                "POST",
                f"/api/v1/claims/{random.choice(mine)['id']}/comments/",
                "API comment add",
                ok=(201,),
                json={"body": "Checking the release from last month; back soon."},
            )


class IngestFeed(ApiUser):
    fixed_count = 1
    role = "ingest"
    wait_time = constant(3)

    @task
    def submit_article(self):
        row = synthetic.article(next(_articles), seed=int(os.environ.get("LOAD_ARTICLE_SEED", "101")))
        self.call(
            "POST",
            "/api/v1/articles/",
            "API article submit",
            ok=(201,),
            json=row,
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )


class BrowserUser(NewsroomUser):
    """A person in the web UI: logs in with the form, then reads pages and comments."""

    abstract = True
    wait_time = between(2, 6)
    home = "/claims/"

    def on_start(self):
        super().on_start()
        self.call("GET", "/login/", "web login page")
        self.call(
            "POST",
            "/login/",
            "web login",
            data={
                "username": self.person["username"],
                "password": self.person["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
        )
        self.claim_ids: list[str] = []

    def page(self, path: str, name: str):
        response = self.call("GET", path, name)
        if response is not None and response.url and "/login/" in response.url:
            response.failure("logged out")
        return response

    def list_page(self, path: str, name: str):
        response = self.page(path, name)
        if response is not None:
            self.claim_ids = CLAIM_LINK.findall(response.text) or self.claim_ids

    @task(3)
    def open_claim(self):
        if not self.claim_ids:
            self.list_page(self.home, f"web {self.home}")
        if self.claim_ids:
            self.page(f"/claims/{random.choice(self.claim_ids)}/", "web claim page")

    @task(1)
    def comment(self):
        if not self.claim_ids:
            return
        self.call(
            "POST",
            f"/claims/{random.choice(self.claim_ids)}/comments/",
            "web comment",
            ok=(200, 302),
            data={
                "body": "Seen: the figure matches the release.",
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            allow_redirects=False,
        )


class BrowserEditor(BrowserUser):
    fixed_count = 5
    role = "web_editors"

    @task(3)
    def queue(self):
        self.list_page("/claims/", "web /claims/")

    @task(2)
    def triage_view(self):
        self.list_page("/claims/?status=candidate&sort=score", "web /claims/?status=candidate")

    @task(1)
    def articles(self):
        self.page("/articles/", "web /articles/")

    @task(1)
    def dashboard(self):
        self.page("/dashboard/", "web /dashboard/")


class BrowserReviewer(BrowserUser):
    fixed_count = 5
    role = "web_reviewers"
    home = "/claims/mine/"

    @task(3)
    def mine(self):
        self.list_page("/claims/mine/", "web /claims/mine/")
