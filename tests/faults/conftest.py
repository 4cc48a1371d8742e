"""Fixtures of the fault tests: a private PostgreSQL cluster for the session (a migrated template
database with the personas, copied into a fresh database for every test), a private Redis per
test, and the app (gunicorn, Celery worker) pointed at both. See harness.py.

Without redis-server or PostgreSQL 15's binaries the tests are skipped with the reason, except
in CI (``CI`` set), where that is an error.
"""

import itertools
import json
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .harness import BASE_DIR, PG_BIN, App, FaultTestError, PostgresCluster, RedisServer

TEMPLATE_DB = "fc_faults_template"
_db_numbers = itertools.count(1)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}. CI is set, so this is an error, not a skip.")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_cluster():
    _require(shutil.which("redis-server") is not None, "redis-server is not installed")
    _require((PG_BIN / "initdb").exists(), f"PostgreSQL 15 is not installed ({PG_BIN}/initdb is missing)")
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: the cluster runs as the postgres user
        _require(shutil.which("runuser") is not None, "running as root without runuser to become postgres")
        _require(_has_user("postgres"), "running as root and there is no postgres OS user to run PostgreSQL as")
    cluster = PostgresCluster()
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def seeded(pg_cluster, tmp_path_factory):
    """Migrate the template database once and create erin, ed (editors) and rita (reviewer),
    each with an API token. Returns the seed script's JSON (tokens, database settings)."""
    pg_cluster.create_database(TEMPLATE_DB)
    redis = RedisServer(tmp_path_factory.mktemp("seed-redis"))
    redis.start()
    try:
        app = App(
            database_url=pg_cluster.url(TEMPLATE_DB),
            redis_url=redis.url,
            var_dir=tmp_path_factory.mktemp("seed-var"),
        )
        result = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("seed_app.py"))],
            cwd=BASE_DIR,
            env=app.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    finally:
        redis.stop()
    if result.returncode != 0:
        raise FaultTestError(f"Seeding the template database failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def redis_server(tmp_path):
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def make_app(pg_cluster, seeded, redis_server, tmp_path):
    """``make_app(**env)``: the app on a fresh copy of the template database and this test's
    Redis; extra keyword arguments are environment variables of its processes. Every process
    it starts is stopped at the end, and the logs are printed (pytest shows them on failure)."""
    apps = []

    def make(**env) -> App:
        name = f"fc_faults_{os.getpid()}_{next(_db_numbers)}"
        pg_cluster.create_database(name, template=TEMPLATE_DB)
        var_dir = tmp_path / f"var-{name}"
        var_dir.mkdir()
        app = App(database_url=pg_cluster.url(name), redis_url=redis_server.url, var_dir=var_dir, **env)
        app.tokens = seeded["tokens"]
        app.password = seeded["password"]
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.stop_all()
        print(app.logs())
