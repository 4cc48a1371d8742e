"""Fixtures for the end-to-end tests: a real Celery worker process on the real broker.

The worker is a separate process, so it sees only committed data: the tests that use it run
with ``transactional_db``, and the worker is pointed at the test database pytest-django made.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 60


def _database_url(settings_dict: dict) -> str:
    """The URL of the database this test process is using (the test database, not the
    configured one), in the form settings.py reads from DATABASE_URL."""
    engine = settings_dict["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        name = str(settings_dict["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            pytest.fail("The end-to-end test needs a file-based SQLite test database (see settings.py).")
        return f"sqlite:///{name}"
    if engine == "django.db.backends.postgresql":
        user = quote(settings_dict.get("USER") or "", safe="")
        password = quote(settings_dict.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or "localhost"
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"
    pytest.fail(f"No DATABASE_URL form known for {engine}.")


class WorkerProcess:
    def __init__(self, process: subprocess.Popen, log_path: Path):
        self.process = process
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def wait_for(self, predicate: Callable[[], object], *, timeout: float, what: str, interval: float = 0.2):
        """Poll ``predicate`` until it returns something truthy; fail with the worker's log."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if self.process.poll() is not None:
                pytest.fail(f"The worker exited ({self.process.returncode}) while waiting for {what}.\n{self.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}. Worker log:\n{self.log()}")
            time.sleep(interval)

    def wait_for_task(self, task_id: str, *, timeout: float = 30) -> None:
        """Wait until the worker logs that it finished the task with this id."""
        self.wait_for(
            lambda: f"[{task_id}] succeeded" in self.log() or f"[{task_id}] raised" in self.log(),
            timeout=timeout,
            what=f"task {task_id}",
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


@pytest.fixture
def celery_worker_process(transactional_db, django_db_serialized_rollback, tmp_path):
    """Start ``celery -A factcheck worker`` against this test's database and broker, wait
    until it is ready, and stop it afterwards. Its log is printed at teardown (pytest shows
    it when the test failed).

    ``django_db_serialized_rollback`` puts the migrations' data (role groups, the rating
    scale) back for every such test, since a transactional test empties the tables after it.
    """
    from celery import current_app

    assert not current_app.conf.task_always_eager, "the end-to-end test needs a real broker"

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "FACTCHECK_VAR_DIR": str(settings.VAR_DIR),
        "CELERY_TASK_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "PYTHONUNBUFFERED": "1",
    }
    log_path = tmp_path / "worker.log"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "factcheck",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--loglevel=INFO",
        "-Q",
        settings.CELERY_TASK_DEFAULT_QUEUE,
        "-n",
        f"e2e-{os.getpid()}@%h",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "--purge",  # messages left in the queue by an earlier, interrupted run
    ]
    with log_path.open("w", encoding="utf-8") as log_file:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    worker = WorkerProcess(process, log_path)
    try:
        worker.wait_for(lambda: " ready." in worker.log(), timeout=READY_TIMEOUT, what="the worker to start")
        yield worker
    finally:
        worker.stop()
        print(f"--- celery worker log ({log_path}) ---\n{worker.log()}")
