"""API throttling: per token, per session user, per address on the password endpoint; the 429
answer; rates from the environment; the shared cache; and how the schema documents it all."""

import json
import os

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import SimpleRateThrottle

from articles.models import Article
from conftest import PASSWORD
from factcheck import tokens
from factcheck.settings import _rate
from factcheck.testing import assert_error

pytestmark = pytest.mark.django_db

OBTAIN = "/api/v1/auth/token/"
RATINGS = "/api/v1/ratings/"  # a cheap newsroom endpoint


@pytest.fixture
def rates(monkeypatch):
    """Set throttle rates for one test. DRF's throttles copy the rates when they are imported,
    so the class attribute is replaced rather than the setting."""

    def set_rates(**overrides):
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **overrides}
        )

    return set_rates


def _throttled(response) -> None:
    error = assert_error(response, 429, "throttled")
    assert "throttled" in error["message"]
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_password_endpoint_allows_ten_tries_a_minute_per_address(api, editor, settings):
    settings.AXES_FAILURE_LIMIT = 100  # the login lock-out (tests/security) would stop erin first
    for _ in range(10):
        assert api.post(OBTAIN, {"username": "erin", "password": "guess"}).status_code == 400
    _throttled(api.post(OBTAIN, {"username": "erin", "password": PASSWORD}))
    # Even the right password waits: nothing was created.
    assert not editor.api_tokens.exists()
    # A forged X-Forwarded-For does not buy more tries (API_NUM_PROXIES=0 ignores it)...
    _throttled(api.post(OBTAIN, {"username": "erin", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.9"))
    # ...while another address has its own budget.
    response = api.post(OBTAIN, {"username": "erin", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200


def test_each_token_has_its_own_budget(api, editor, rates):
    rates(user="3/min")
    _, first = tokens.token_create(user=editor, name="one", actor=editor)
    _, second = tokens.token_create(user=editor, name="two", actor=editor)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {first}")
    for _ in range(3):
        assert api.get(RATINGS).status_code == 200
    _throttled(api.get(RATINGS))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {second}")
    assert api.get(RATINGS).status_code == 200
    # The browser session is the user's own budget, apart from the tokens'.
    api.credentials()
    api.force_login(editor)
    assert api.get(RATINGS).status_code == 200


def test_session_users_are_throttled_per_user(api, editor, editor2, rates):
    rates(user="2/min")
    api.force_login(editor)
    api.get(RATINGS)
    api.get(RATINGS)
    _throttled(api.get(RATINGS))
    _throttled(api.post("/api/v1/articles/", {"body": "Throttled writes change nothing.", "extract": False}))
    assert not Article.objects.exists()
    api.force_login(editor2)
    assert api.get(RATINGS).status_code == 200


def test_anonymous_requests_are_throttled_per_address(api, rates):
    rates(anon="2/min")
    json_schema = {"HTTP_ACCEPT": "application/vnd.oai.openapi+json"}
    for _ in range(2):
        assert api.get("/api/v1/schema/", **json_schema).status_code == 200
    _throttled(api.get("/api/v1/schema/", **json_schema))


def test_an_off_rate_disables_a_throttle(api, editor, rates):
    rates(user=None)
    api.force_login(editor)
    assert all(api.get(RATINGS).status_code == 200 for _ in range(5))


def test_throttle_counts_live_in_the_shared_cache(api, editor, rates):
    rates(user="1/min")
    _, secret = tokens.token_create(user=editor, name="one", actor=editor)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    api.get(RATINGS)
    token_id = editor.api_tokens.get().pk
    assert len(caches["default"].get(f"throttle_user_token-{token_id}")) == 1
    backend = settings.CACHES["default"]["BACKEND"]
    expected = "RedisCache" if os.environ.get("REDIS_URL") else "FileBasedCache"
    assert backend.endswith(expected)  # shared by every process: never a per-process locmem


@pytest.mark.parametrize("count", [1, 2])
def test_counts_do_not_leak_between_tests(api, editor, rates, count):
    # Run twice: the second run starts from an empty cache (the autouse fixture in conftest.py).
    rates(user="1/min")
    api.force_login(editor)
    assert api.get(RATINGS).status_code == 200


# --- Settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "parsed"), [("5/min", "5/min"), ("100/Hour", "100/hour"), ("off", None)])
def test_rates_are_read_from_the_environment(monkeypatch, value, parsed):
    monkeypatch.setenv("API_THROTTLE_USER", value)
    assert _rate("API_THROTTLE_USER", "1000/min") == parsed


@pytest.mark.parametrize("value", ["", "fast", "10", "0/min", "-1/min", "10/fortnight", "ten/min"])
def test_a_malformed_rate_stops_start_up_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("API_THROTTLE_ANON", value)
    with pytest.raises(ImproperlyConfigured, match="API_THROTTLE_ANON"):
        _rate("API_THROTTLE_ANON", "100/min")


def test_the_defaults():
    if any(name in os.environ for name in ("API_THROTTLE_USER", "API_THROTTLE_ANON", "API_THROTTLE_TOKEN_OBTAIN")):
        pytest.skip("rates set in this environment")
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
        "user": "1000/min",
        "anon": "100/min",
        "token_obtain": "10/min",
    }
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == int(os.environ.get("API_NUM_PROXIES", "0"))


# --- The schema -----------------------------------------------------------------------------


@pytest.fixture
def schema(api) -> dict:
    return json.loads(api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content)


def test_the_schema_describes_bearer_tokens(schema):
    assert schema["components"]["securitySchemes"]["tokenAuth"]["type"] == "http"
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    assert {"tokenAuth": []} in schema["paths"]["/api/v1/claims/"]["get"]["security"]
    assert "security" not in schema["paths"][OBTAIN]["post"]


def test_every_operation_documents_429_with_retry_after_and_401_with_www_authenticate(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "Retry-After" in responses["429"]["headers"], (method, path)
            assert responses["429"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
            if "401" in responses:
                assert "WWW-Authenticate" in responses["401"]["headers"], (method, path)


@pytest.mark.django_db
def test_throttles_let_requests_through_when_their_cache_is_down(api, editor, monkeypatch, caplog):
    """A Redis outage must not turn every API call into a 500: rate limits fail open."""
    import redis

    from factcheck import auth

    def down(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Connection refused")

    monkeypatch.setattr(auth.UserOrTokenRateThrottle, "cache", type("Down", (), {"get": down, "set": down})())
    monkeypatch.setattr(auth.AnonRateThrottle, "cache", type("Down", (), {"get": down, "set": down})())
    api.force_authenticate(editor)
    assert api.get("/api/v1/ratings/").status_code == 200
    api.force_authenticate(None)
    assert api.get("/api/v1/claimreview/feed/").status_code == 200
    assert "lets the request through" in caplog.text
