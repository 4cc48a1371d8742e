"""Private servers for the fault tests: a redis-server, a PostgreSQL cluster, and the app's own
processes (gunicorn, a Celery worker) pointed at them, each on a spare port.

Nothing here touches the machine's shared PostgreSQL (5432) or Redis (6379): a fault test stops
and restarts its own servers, so it can never disturb another test or another engineer's run.
The test process reads the database with psycopg and talks to the web server over HTTP, like
any client; it never imports the app's settings for these servers.
"""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg

BASE_DIR = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
QUEUE = "fc-faults"


class FaultTestError(AssertionError):
    """A server did not start or a condition was not met in time (the message carries its log)."""


def spare_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate: Callable[[], object], *, timeout: float, what: str, interval: float = 0.2, log=None):
    """Poll ``predicate`` until it returns something truthy; raise with ``log()`` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise FaultTestError(f"Timed out after {timeout:.0f} s waiting for {what}." + (f"\n{log()}" if log else ""))
        time.sleep(interval)


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


# --- Processes ------------------------------------------------------------------------------


class Process:
    """A child process in its own process group (so a SIGKILL reaches all of it), logging to a file."""

    def __init__(self, name: str, command: list[str], *, env: dict, log_path: Path, cwd: Path = BASE_DIR):
        self.name = name
        self.command = command
        self.log_path = log_path
        with log_path.open("a", encoding="utf-8") as log_file:
            self.popen = subprocess.Popen(
                command, cwd=cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
            )

    def log(self, tail: int = 6000) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""
        return f"--- {self.name} log ({self.log_path}) ---\n{text[-tail:]}"

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole process group: no warm shutdown, no message acknowledged."""
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self, timeout: float = 10) -> None:
        if not self.alive():
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


# --- Redis ----------------------------------------------------------------------------------


class RedisServer:
    """``redis-server`` on a spare port, without persistence: stopping it loses every message,
    as a crashed broker without a disk would. ``start()`` again comes back on the same port."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = spare_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: Process | None = None

    def start(self) -> None:
        command = [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--dir",
            str(self.directory),
        ]
        self.process = Process("redis-server", command, env=dict(os.environ), log_path=self.directory / "redis.log")
        wait_until(lambda: _port_open(self.port), timeout=10, what="redis-server", log=self.process.log)

    def stop(self) -> None:
        if self.process:
            self.process.stop()
        wait_until(lambda: not _port_open(self.port), timeout=10, what="redis-server to stop")


# --- PostgreSQL -----------------------------------------------------------------------------


class PostgresCluster:
    """A throw-away cluster made with initdb in a temporary folder, on a spare port.

    PostgreSQL refuses to run as root: as root, the cluster belongs to the ``postgres`` OS user
    and its commands run through ``runuser``. Durability settings are off (fsync): the tests
    restart the server cleanly and never need the data after the run."""

    def __init__(self):
        self.port = spare_port()
        self.directory = Path(tempfile.mkdtemp(prefix="fc-faults-pg-"))
        self.data = self.directory / "data"
        self.logfile = self.directory / "postgres.log"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.directory, "postgres", "postgres")

    def _run(self, *command: str, timeout: float = 60) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        result = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=timeout, cwd=self.directory, check=False
        )
        if result.returncode != 0:
            raise FaultTestError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}\n{self.log()}")
        return result

    def log(self) -> str:
        text = self.logfile.read_text(errors="replace") if self.logfile.exists() else ""
        return f"--- postgres log ---\n{text[-4000:]}"

    def init(self) -> None:
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        self._run(str(PG_BIN / "pg_ctl"), "start", "-w", "-D", str(self.data), "-l", str(self.logfile), "-o", options)

    def restart(self) -> None:
        """pg_ctl restart -m fast: every open connection is cut, as in a failover or an upgrade."""
        self._run(str(PG_BIN / "pg_ctl"), "restart", "-w", "-m", "fast", "-D", str(self.data), "-l", str(self.logfile))

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(PG_BIN / "pg_ctl"), "stop", "-w", "-m", "immediate", "-D", str(self.data))

    def destroy(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str, template: str | None = None) -> None:
        with psycopg.connect(self.url("postgres").replace("postgres://", "postgresql://"), autocommit=True) as conn:
            sql = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
            conn.execute(sql)


# --- The app --------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int  # 0: no HTTP answer at all (connection refused or reset)
    body: object
    seconds: float


class App:
    """The Django app on a private database and Redis: its environment, its processes, a
    psycopg view of its database and an HTTP client for its web server."""

    def __init__(self, *, database_url: str, redis_url: str, var_dir: Path, **extra_env: str):
        self.database_url = database_url
        self.var_dir = var_dir
        env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "SITE_URL")}
        env |= {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,  # broker and cache
            "FACTCHECK_VAR_DIR": str(var_dir),
            "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
            "CACHE_KEY_PREFIX": QUEUE,
            "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            "PYTHONUNBUFFERED": "1",
            "DEBUG": "true",
            "LOG_LEVEL": "INFO",
        }
        self.env = env | extra_env
        self.processes: list[Process] = []
        self.web_port: int | None = None

    # Processes

    def start_web(self) -> Process:
        """gunicorn with two sync workers, as in production (docker-compose runs three)."""
        self.web_port = spare_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "factcheck.wsgi",
            "-b",
            f"127.0.0.1:{self.web_port}",
            "--workers",
            "2",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--no-control-socket",  # its default path is one per user: shared with every other gunicorn
        ]
        web = self._start("web", command)
        wait_until(lambda: self.get("/login/").status == 200, timeout=30, what="the web server", log=web.log)
        return web

    def start_worker(self, name: str = "worker", *, beat: bool = False, slow_extraction: float = 0, **env) -> Process:
        """A Celery worker (solo pool: one task at a time, killed with its process), optionally with
        beat embedded (the periodic sweeps). ``slow_extraction`` starts it through slow_worker.py,
        which adds that many seconds to every extraction in this process only."""
        args = [
            "-A",
            "factcheck",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-Q",
            QUEUE,
            "-n",
            f"{name}-{os.getpid()}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ]
        if beat:
            args += ["--beat", "--schedule", str(self.var_dir / f"{name}-beat-schedule")]
        if slow_extraction:
            command = [sys.executable, str(Path(__file__).with_name("slow_worker.py")), *args]
            env["FAULTS_EXTRACTION_DELAY_SECONDS"] = str(slow_extraction)
        else:
            command = [sys.executable, "-m", "celery", *args]
        worker = self._start(name, command, **env)
        wait_until(lambda: " ready." in worker.log(), timeout=60, what=f"{name} to start", log=worker.log)
        return worker

    def _start(self, name: str, command: list[str], **env) -> Process:
        process = Process(name, command, env=self.env | env, log_path=self.var_dir / f"{name}.log")
        self.processes.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(p.log() for p in self.processes)

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop()

    # The database, read (and seeded) directly

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://"), connect_timeout=5) as conn:
            return conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: tuple = ()):
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def article_status(self, article_id: int) -> str | None:
        return self.scalar("SELECT extraction_status FROM articles_article WHERE id = %s", (article_id,))

    def wait_for_extraction(self, article_id: int, *, timeout: float = 60) -> None:
        def done():
            status = self.article_status(article_id)
            if status == "failed":
                raise FaultTestError(f"Extraction of article {article_id} failed.\n{self.logs()}")
            return status == "done"

        wait_until(done, timeout=timeout, what=f"extraction of article {article_id}", log=self.logs, interval=0.25)

    # HTTP

    def request(self, method: str, path: str, *, token: str | None = None, data=None, timeout: float = 10) -> Reply:
        headers = {"Accept": "application/json"}
        body = None
        if data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        url = f"http://127.0.0.1:{self.web_port}{path}"
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        except (OSError, urllib.error.URLError) as exc:
            return Reply(0, f"{type(exc).__name__}: {exc}", time.monotonic() - started)
        seconds = time.monotonic() - started
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", errors="replace")[:2000]
        return Reply(status, parsed, seconds)

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data=None, **kwargs) -> Reply:
        return self.request("POST", path, data=data, **kwargs)


class Browser:
    """A session client for the HTML pages: cookies, the CSRF token, redirects followed."""

    CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, app: App):
        self.app = app
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open(self, path: str, form: dict | None = None, timeout: float = 10) -> tuple[int, str, str, float]:
        """GET (or POST ``form``) and follow redirects: (status, final path, HTML, seconds)."""
        url = f"http://127.0.0.1:{self.app.web_port}{path}"
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, headers={"Referer": url})
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=timeout) as response:
                status, final, html = response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as exc:
            status, final, html = exc.code, exc.url, exc.read().decode(errors="replace")
        return status, urllib.parse.urlsplit(final).path, html, time.monotonic() - started

    def submit(self, path: str, fields: dict) -> tuple[int, str, str, float]:
        """Fill in the form on ``path`` (its CSRF token) and post it."""
        _status, _path, html, _seconds = self.open(path)
        token = self.CSRF.search(html)
        assert token, f"no CSRF token on {path}"
        return self.open(path, {"csrfmiddlewaretoken": token.group(1), **fields})

    def login(self, username: str, password: str) -> None:
        status, final, _html, _seconds = self.submit("/login/", {"username": username, "password": password})
        assert status == 200 and final != "/login/", f"login as {username} failed ({status} {final})"
