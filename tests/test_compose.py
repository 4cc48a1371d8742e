"""The production stack in docker-compose.yml: one image, web/worker/beat on PostgreSQL and Redis."""

from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command(service: dict) -> str:
    cmd = service["command"]
    return cmd if isinstance(cmd, str) else " ".join(cmd)


def test_the_stack_has_its_services(services):
    assert set(services) == {"migrate", "web", "worker", "beat", "db", "redis"}


def test_app_roles_share_one_image_built_from_the_dockerfile(services):
    for name in ("migrate", "web", "worker", "beat"):
        assert services[name]["build"] == "."
        assert services[name]["image"] == "factcheck:latest"
    dockerfile = (BASE_DIR / "Dockerfile").read_text(encoding="utf-8")
    assert dockerfile.startswith("# ") and "FROM python:3.11-slim" in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "\nUSER " in dockerfile and "USER root" not in dockerfile


def test_commands(services):
    assert command(services["migrate"]) == "python manage.py migrate --noinput"
    assert command(services["web"]).startswith("gunicorn factcheck.wsgi -b 0.0.0.0:8000 --workers 3")
    assert command(services["worker"]).startswith("celery -A factcheck worker")
    assert command(services["beat"]).startswith("celery -A factcheck beat")
    assert services["migrate"]["restart"] == "no"


def test_app_roles_run_in_production_mode_with_a_required_secret(services):
    for name in ("migrate", "web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DEBUG"] == "false"
        assert env["SECRET_KEY"] == "${SECRET_KEY:?set SECRET_KEY}"
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert {"ALLOWED_HOSTS", "SITE_URL", "CSRF_TRUSTED_ORIGINS"} <= set(env)


def test_app_roles_wait_for_healthy_backing_services_and_migrations(services):
    for name in ("migrate", "web", "worker", "beat"):
        deps = services[name]["depends_on"]
        assert deps["db"] == {"condition": "service_healthy"}
        assert deps["redis"] == {"condition": "service_healthy"}
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_healthchecks(services):
    assert services["db"]["image"] == "postgres:16"
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["redis"]["image"] == "redis:7"
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    web_check = services["web"]["healthcheck"]["test"]
    assert web_check[:2] == ["CMD", "python"]
    compile(web_check[-1], "web-healthcheck", "exec")  # the inline script is valid Python
    assert "127.0.0.1:8000" in web_check[-1]


def test_database_lives_in_a_named_volume(compose, services):
    assert "pgdata" in compose["volumes"]
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]


def test_web_publishes_port_8000(services):
    assert services["web"]["ports"] == ["${WEB_PORT:-8000}:8000"]
