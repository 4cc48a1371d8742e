"""Settings are parsed strictly from the environment: safe defaults, clear failures.

Each case starts a fresh interpreter, because settings are read once per process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
# Variables the machine running the tests may have set (CI sets DATABASE_URL and REDIS_URL).
CLEARED = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "DJANGO_SETTINGS_MODULE",
}
SHOW = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(settings.DATABASES["default"]["NAME"]),
    "BROKER": settings.CELERY_BROKER_URL,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
}))
"""


def start(tmp_path, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in CLEARED}
    base.update(DJANGO_SETTINGS_MODULE="factcheck.settings", FACTCHECK_VAR_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_of(tmp_path, **env) -> dict:
    proc = start(tmp_path, **env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_defaults_are_the_embedded_demo(tmp_path):
    s = settings_of(tmp_path)
    assert s["DEBUG"] is True
    assert s["ENGINE"] == "django.db.backends.sqlite3"
    assert s["DB_NAME"] == str(tmp_path / "factcheck.sqlite3")
    assert s["BROKER"] == "filesystem://"
    assert (tmp_path / "broker").is_dir()


def test_refuses_to_start_without_secret_key_when_debug_is_off(tmp_path):
    proc = start(tmp_path, DEBUG="false")
    assert proc.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in proc.stderr


def test_starts_with_debug_off_and_a_secret_key(tmp_path):
    s = settings_of(tmp_path, DEBUG="false", SECRET_KEY="a-real-secret-for-this-test")
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "nonsense"),
        ("ARTICLE_MAX_CHARS", "lots"),
        ("SITE_URL", "not a url"),
        # Out of range: environs ignores a validator that returns False, so these use Range.
        ("ARTICLE_MAX_CHARS", "-5"),
        ("REVIEWER_MAX_OPEN", "0"),
        ("WEBHOOK_TIMEOUT_SECONDS", "0"),
        ("WEBHOOK_MAX_ATTEMPTS", "21"),
        ("CHECKWORTHINESS_SCORER", "bert"),
    ],
)
def test_a_malformed_value_stops_start_up_and_names_the_variable(tmp_path, name, value):
    proc = start(tmp_path, **{name: value})
    assert proc.returncode != 0
    assert name in proc.stderr


def test_database_url_selects_postgres(tmp_path):
    s = settings_of(tmp_path, DATABASE_URL="postgres://fc:pw@db.example:5432/newsroom")
    assert s["ENGINE"] == "django.db.backends.postgresql"
    assert s["DB_NAME"] == "newsroom"


def test_redis_url_selects_the_broker(tmp_path):
    s = settings_of(tmp_path, REDIS_URL="redis://cache.example:6379/2")
    assert s["BROKER"] == "redis://cache.example:6379/2"
    assert not (tmp_path / "broker").exists()


def test_celery_broker_url_wins_over_redis_url(tmp_path):
    s = settings_of(
        tmp_path, REDIS_URL="redis://cache.example:6379/2", CELERY_BROKER_URL="redis://queue.example:6379/0"
    )
    assert s["BROKER"] == "redis://queue.example:6379/0"
