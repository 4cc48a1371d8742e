"""Login rate limiting (django-axes): after AXES_FAILURE_LIMIT failures for one username from
one address, that pair is refused for the cool-off, on the web login, the admin login and the
API's password endpoint alike; a success resets the count."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from conftest import PASSWORD
from factcheck.models import ApiToken
from factcheck.testing import assert_error

pytestmark = pytest.mark.django_db

LIMIT = 5
WRONG = "not-the-password"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


def web_login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def api_login(api, username, password, ip="10.0.0.1"):
    return api.post(reverse("api-token"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_settings_come_from_the_environment_with_the_documented_defaults():
    # The values this test run started with (no AXES_* variables set in CI).
    from factcheck import settings as project_settings

    assert project_settings.AXES_FAILURE_LIMIT == 5
    cool_off = project_settings.AXES_COOLOFF_TIME
    assert cool_off == datetime.timedelta(minutes=15)
    assert project_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert project_settings.AXES_RESET_ON_SUCCESS is True
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_web_login_is_locked_after_the_limit_with_a_readable_429_page(client, editor):
    for _ in range(LIMIT - 1):
        response = web_login(client, "erin", WRONG)
        assert response.status_code == 200  # the form again, with its error
        assert b"Please enter a correct username and password" in response.content
    response = web_login(client, "erin", WRONG)
    assert response.status_code == 429
    assert b"Too many failed login attempts" in response.content
    assert b"15 minutes" in response.content
    assert b'<form method="post"' in response.content  # still the login page, readable
    assert int(response["Retry-After"]) == 15 * 60
    # Locked: even the right password is refused, and no session is made.
    response = web_login(client, "erin", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_address_pair(client, editor, editor2):
    for _ in range(LIMIT):
        web_login(client, "erin", WRONG, ip="10.0.0.1")
    assert web_login(client, "erin", PASSWORD, ip="10.0.0.1").status_code == 429
    # Another user from the same address (a newsroom behind one NAT) still gets in ...
    assert web_login(client, "ed", PASSWORD, ip="10.0.0.1").status_code == 302
    client.logout()
    # ... and the same user from another address too.
    assert web_login(client, "erin", PASSWORD, ip="10.0.0.2").status_code == 302


def test_a_success_resets_the_count(client, editor):
    for _ in range(LIMIT - 1):
        web_login(client, "erin", WRONG)
    assert web_login(client, "erin", PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        assert web_login(client, "erin", WRONG).status_code == 200
    assert web_login(client, "erin", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, editor):
    for _ in range(LIMIT):
        web_login(client, "erin", WRONG)
    assert web_login(client, "erin", PASSWORD).status_code == 429
    # As if the cool-off had passed: axes compares the last attempt's time with the cool-off.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=16))
    assert web_login(client, "erin", PASSWORD).status_code == 302


def test_api_token_endpoint_is_locked_with_the_json_error_shape(api, editor):
    for _ in range(LIMIT - 1):
        assert_error(api_login(api, "erin", WRONG), 400, "invalid")
    response = api_login(api, "erin", WRONG)
    error = assert_error(response, 429, "locked_out")
    assert "Too many failed login attempts" in error["message"]
    assert int(response["Retry-After"]) == 15 * 60
    # The right password is refused too, and no token is made.
    assert_error(api_login(api, "erin", PASSWORD), 429, "locked_out")
    assert not ApiToken.objects.exists()


def test_failures_on_the_web_and_the_api_count_together(client, api, editor):
    for _ in range(LIMIT - 1):
        web_login(client, "erin", WRONG)
    assert_error(api_login(api, "erin", WRONG), 429, "locked_out")
    assert web_login(client, "erin", PASSWORD).status_code == 429


def test_admin_login_is_covered(client, admin_user):
    url = reverse("admin:login")
    for _ in range(LIMIT):
        client.post(url, {"username": "ada", "password": WRONG}, REMOTE_ADDR="10.0.0.9")
    response = client.post(url, {"username": "ada", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert b"Too many failed login attempts" in response.content


def test_a_forged_forwarded_for_header_does_not_escape_the_lock(client, editor):
    # API_NUM_PROXIES is 0: the connection's address counts, not what the client claims.
    for n in range(LIMIT):
        web_login(client, "erin", WRONG) if n == 0 else client.post(
            reverse("login"),
            {"username": "erin", "password": WRONG},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = client.post(
        reverse("login"),
        {"username": "erin", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 429
