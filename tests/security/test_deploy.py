"""Production settings: `manage.py check --deploy` is clean with DEBUG off, and the hardening
it asks for really shows in responses (redirect to https, HSTS, cookie flags, headers)."""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]
# Variables the machine running the tests may have set; production is described from scratch.
CLEARED = {
    "DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "ALLOWED_HOSTS", "SITE_URL",
    "DJANGO_SETTINGS_MODULE", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
}  # fmt: skip
SHOW = """
import json, django
from django.conf import settings
django.setup()
names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
         "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
         "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS"]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def production_env(tmp_path, **extra) -> dict:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        FACTCHECK_VAR_DIR=str(tmp_path),
        DEBUG="false",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="factcheck.example.org",
    )
    env.update(extra)
    return env


def run(args, env) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    proc = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"], production_env(tmp_path))
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output


def test_check_deploy_would_catch_a_regression(tmp_path):
    # The test above is not vacuous: switching one protection off is reported.
    env = production_env(tmp_path, SESSION_COOKIE_SECURE="false", SECURE_HSTS_SECONDS="0")
    proc = run([sys.executable, "manage.py", "check", "--deploy"], env)
    assert "security.W012" in proc.stderr  # SESSION_COOKIE_SECURE
    assert "security.W004" in proc.stderr  # SECURE_HSTS_SECONDS


def test_production_values(tmp_path):
    proc = run([sys.executable, "-c", SHOW], production_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["SESSION_COOKIE_HTTPONLY"] is True
    assert s["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] is None  # opt-in: only behind a proxy that sets it
    assert s["SECURE_HSTS_SECONDS"] == 31_536_000
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert s["SECURE_REFERRER_POLICY"] == "same-origin"
    assert s["X_FRAME_OPTIONS"] == "DENY"


def test_behind_a_proxy_the_forwarded_proto_header_is_trusted_only_when_configured(tmp_path):
    proc = run([sys.executable, "-c", SHOW], production_env(tmp_path, SECURE_PROXY_SSL_HEADER="true"))
    assert json.loads(proc.stdout)["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    proc = run([sys.executable, "-c", SHOW], production_env(tmp_path, SECURE_HSTS_SECONDS="-1"))
    assert proc.returncode != 0 and "SECURE_HSTS_SECONDS" in proc.stderr


def test_the_demo_defaults_stay_on_plain_http(tmp_path):
    env = {k: v for k, v in production_env(tmp_path).items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    s = json.loads(run([sys.executable, "-c", SHOW], env).stdout)
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SESSION_COOKIE_SECURE"] is False
    assert s["SECURE_HSTS_SECONDS"] == 0


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    return settings


def test_plain_http_is_redirected_to_https(production, db):
    response = Client().get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login/"


def test_a_forged_forwarded_proto_does_not_count_without_the_opt_in(production, db):
    production.SECURE_PROXY_SSL_HEADER = None
    response = Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301


def test_https_through_the_proxy_gets_hsts_secure_cookies_and_headers(production, db):
    production.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


def test_the_session_cookie_is_secure_httponly_and_samesite(production, editor, db):
    production.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    page = client.get(reverse("login"))
    token = page.cookies["csrftoken"].value
    response = client.post(
        reverse("login"),
        {"username": "erin", "password": "correct-horse-battery", "csrfmiddlewaretoken": token},
        HTTP_REFERER="https://testserver/login/",
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
