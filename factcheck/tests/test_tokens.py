"""Per-user API tokens: stored hashed, shown once, Bearer (or Token) authentication, revocation
and expiry, who may see and revoke which token (API, web page, admin)."""

import datetime
import hashlib

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from conftest import PASSWORD, login
from factcheck import tokens
from factcheck.models import ApiToken
from factcheck.roles import EDITORS
from factcheck.testing import assert_error, fresh

pytestmark = pytest.mark.django_db

OBTAIN = "/api/v1/auth/token/"
TOKENS = "/api/v1/tokens/"
ARTICLES = "/api/v1/articles/"


def _detail(token) -> str:
    return f"{TOKENS}{token.pk}/"


def _make(user, name="script", **kwargs) -> tuple[ApiToken, str]:
    return tokens.token_create(user=user, name=name, actor=user, **kwargs)


def _bearer(api, secret, scheme="Bearer"):
    api.credentials(HTTP_AUTHORIZATION=f"{scheme} {secret}")
    return api


# --- Created, hashed, shown once ------------------------------------------------------------


def test_the_password_endpoint_makes_a_new_named_token_each_time(api, editor):
    response = api.post(OBTAIN, {"username": "erin", "password": PASSWORD, "name": "CMS import"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token"].startswith(f"fc_{body['prefix']}_")
    assert body["name"] == "CMS import" and body["user"] == "erin" and body["status"] == "active"
    assert body["display"] == f"fc_{body['prefix']}_…"
    second = api.post(OBTAIN, {"username": "erin", "password": PASSWORD}).json()
    assert second["token"] != body["token"] and second["name"] == "Obtained with password"
    assert ApiToken.objects.filter(user=editor).count() == 2
    assert tokens.tokens_of(editor).get(pk=second["id"]).created_by == editor


def test_a_token_is_stored_only_as_its_sha256(api, editor):
    secret = api.post(OBTAIN, {"username": "erin", "password": PASSWORD}).json()["token"]
    row = ApiToken.objects.values().get()
    assert row["key_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    secret_part = secret.rsplit("_", 1)[-1]
    assert not [value for value in row.values() if isinstance(value, str) and secret_part in value]


def test_the_secret_is_never_shown_again(api, editor):
    created = api.post(OBTAIN, {"username": "erin", "password": PASSWORD}).json()
    api.force_authenticate(editor)
    listed = api.get(TOKENS).json()["results"]
    one = api.get(f"{TOKENS}{created['id']}/").json()
    for shown in (listed[0], one):
        assert "token" not in shown and "key_hash" not in shown
        assert created["token"] not in str(shown)
        assert shown["prefix"] == created["prefix"]


def test_wrong_or_missing_credentials_make_no_token(api, editor, django_user_model):
    assert_error(api.post(OBTAIN, {"username": "erin", "password": "wrong"}), 400, "invalid", "non_field_errors")
    assert_error(api.post(OBTAIN, {"username": "nobody", "password": PASSWORD}), 400, "invalid", "non_field_errors")
    assert_error(api.post(OBTAIN, {"username": "erin"}), 400, "invalid", "password")
    assert_error(api.post(OBTAIN, {"username": 7, "password": PASSWORD}), 400, "invalid", "username")
    past = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    error = assert_error(
        api.post(OBTAIN, {"username": "erin", "password": PASSWORD, "expires_at": past}), 400, "invalid"
    )
    assert "expires_at" in error["fields"]
    editor.is_active = False
    editor.save()
    assert_error(api.post(OBTAIN, {"username": "erin", "password": PASSWORD}), 400, "invalid", "non_field_errors")
    assert not ApiToken.objects.exists()


def test_a_stale_token_in_the_header_does_not_block_getting_a_new_one(api, editor):
    token, secret = _make(editor)
    tokens.token_revoke(token=token, actor=editor)
    _bearer(api, secret)
    assert api.post(OBTAIN, {"username": "erin", "password": PASSWORD}).status_code == 200


# --- Authentication -------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "Token"])
def test_bearer_and_token_schemes_authenticate(api, editor, scheme):
    _, secret = _make(editor)
    _bearer(api, secret, scheme)
    assert api.get(ARTICLES).status_code == 200
    assert api.post(ARTICLES, {"body": "Sent with a token.", "extract": False}).status_code == 201


def _refused(response, message: str, *, invalid_token: bool = True) -> None:
    error = assert_error(response, 401, "not_authenticated")
    assert message in error["message"]
    expected = 'Bearer realm="api", error="invalid_token"' if invalid_token else 'Bearer realm="api"'
    assert response["WWW-Authenticate"] == expected


def test_no_credentials_ask_for_a_bearer_token(api):
    _refused(api.get(ARTICLES), "credentials were not provided", invalid_token=False)


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer two parts", "Bearer not-a-token", "Bearer fc_0000000000_nope", "Token fc_short_x"],
)
def test_malformed_and_unknown_tokens_are_refused(api, editor, header):
    _make(editor)
    api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get(ARTICLES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api", error="invalid_token"'


def test_the_right_prefix_with_a_wrong_secret_is_refused(api, editor):
    _, secret = _make(editor)
    _bearer(api, secret[:-1] + ("A" if secret[-1] != "A" else "B"))
    _refused(api.get(ARTICLES), "Invalid token.")


def test_a_revoked_token_is_refused(api, editor):
    token, secret = _make(editor)
    tokens.token_revoke(token=token, actor=editor)
    _bearer(api, secret)
    _refused(api.get(ARTICLES), "revoked")
    assert_error(api.post(ARTICLES, {"body": "Too late.", "extract": False}), 401, "not_authenticated")
    assert not Article.objects.exists()


def test_an_expired_token_is_refused(api, editor):
    token, secret = _make(editor, expires_at=timezone.now() + datetime.timedelta(hours=1))
    _bearer(api, secret)
    assert api.get(ARTICLES).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2), expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    _refused(api.get(ARTICLES), "expired")
    token.refresh_from_db()
    assert token.status == "expired"


def test_an_inactive_users_token_is_refused(api, editor):
    _, secret = _make(editor)
    editor.is_active = False
    editor.save()
    _refused(_bearer(api, secret).get(ARTICLES), "inactive")


def test_a_token_opens_only_what_its_users_role_opens(api, outsider, reviewer):
    _, secret = _make(outsider)
    assert_error(_bearer(api, secret).get(ARTICLES), 403, "permission_denied")
    _, secret = _make(reviewer)
    assert_error(_bearer(api, secret).post(ARTICLES, {"body": "No.", "extract": False}), 403, "permission_denied")


def test_last_used_at_is_written_at_most_once_a_minute(api, editor):
    token, secret = _make(editor)
    assert token.last_used_at is None
    _bearer(api, secret)
    assert api.get(TOKENS).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and timezone.now() - first < datetime.timedelta(seconds=30)
    # Within the minute: the token is read, not written.
    with CaptureQueriesContext(connection) as captured:
        api.get(TOKENS)
    assert not [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    api.get(TOKENS)
    token.refresh_from_db()
    assert token.last_used_at > first


# --- Managing tokens over the API -----------------------------------------------------------


def test_anonymous_clients_cannot_manage_tokens(api, editor):
    token, _ = _make(editor)
    assert_error(api.get(TOKENS), 401, "not_authenticated")
    assert_error(api.post(TOKENS, {"name": "x"}), 401, "not_authenticated")
    assert_error(api.delete(_detail(token)), 401, "not_authenticated")
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("persona", ["editor", "reviewer", "outsider", "admin_user"])
def test_every_user_creates_lists_and_revokes_their_own_tokens(api, request, persona, other_reviewer):
    user = request.getfixturevalue(persona)
    someone_elses, _ = _make(other_reviewer, name="otto's")
    api.force_authenticate(user)
    response = api.post(TOKENS, {"name": "  nightly export  "})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["name"] == "nightly export" and created["token"].startswith("fc_")
    listed = [item["id"] for item in api.get(TOKENS).json()["results"]]
    if persona == "admin_user":
        assert set(listed) == {created["id"], someone_elses.pk}
    else:
        assert listed == [created["id"]]
    assert api.delete(f"{TOKENS}{created['id']}/").status_code == 204
    mine = ApiToken.objects.get(pk=created["id"])
    assert mine.status == "revoked" and mine.revoked_by == user
    assert api.get(f"{TOKENS}{created['id']}/").json()["status"] == "revoked"


def test_another_users_token_is_not_found_and_stays_active(api, reviewer, other_reviewer, editor):
    token, secret = _make(other_reviewer)
    for persona in (reviewer, editor):
        api.force_authenticate(persona)
        assert_error(api.delete(_detail(token)), 404, "not_found")
        assert_error(api.get(_detail(token)), 404, "not_found")
        assert api.get(TOKENS, {"user": other_reviewer.pk}).json()["results"] == []
    token.refresh_from_db()
    assert token.revoked_at is None
    api.force_authenticate(None)
    assert _bearer(api, secret).get(ARTICLES).status_code == 200


def test_an_admin_lists_and_revokes_anyones_token(api, admin_user, reviewer, editor):
    token, secret = _make(reviewer)
    _make(editor)
    api.force_authenticate(admin_user)
    results = api.get(TOKENS, {"user": reviewer.pk}).json()["results"]
    assert [(item["id"], item["user"]) for item in results] == [(token.pk, "rita")]
    assert api.delete(_detail(token)).status_code == 204
    token.refresh_from_db()
    assert token.revoked_by == admin_user and token.revoked_at is not None
    api.force_authenticate(None)
    _refused(_bearer(api, secret).get(ARTICLES), "revoked")


def test_revoking_twice_keeps_the_first_revocation(api, editor, admin_user):
    token, _ = _make(editor)
    api.force_authenticate(editor)
    assert api.delete(_detail(token)).status_code == 204
    token.refresh_from_db()
    first = token.revoked_at
    api.force_authenticate(admin_user)
    assert api.delete(_detail(token)).status_code == 204
    token.refresh_from_db()
    assert (token.revoked_at, token.revoked_by) == (first, editor)


def test_a_token_can_revoke_itself(api, editor):
    token, secret = _make(editor)
    _bearer(api, secret)
    assert api.delete(_detail(token)).status_code == 204
    _refused(api.get(TOKENS), "revoked")


def test_a_token_cannot_create_tokens(api, editor):
    _, secret = _make(editor)
    error = assert_error(_bearer(api, secret).post(TOKENS, {"name": "child"}), 403, "permission_denied")
    assert "password" in error["message"]
    assert ApiToken.objects.count() == 1


def test_bad_input_creates_nothing(api, editor):
    api.force_authenticate(editor)
    assert_error(api.post(TOKENS, {}), 400, "invalid", "name")
    assert_error(api.post(TOKENS, {"name": "   "}), 400, "invalid", "name")
    assert_error(api.post(TOKENS, {"name": 12}), 400, "invalid", "name")
    assert_error(api.post(TOKENS, {"name": "x" * 101}), 400, "invalid", "name")
    assert_error(api.post(TOKENS, {"name": "x", "expires_at": "soon"}), 400, "invalid", "expires_at")
    past = (timezone.now() - datetime.timedelta(minutes=1)).isoformat()
    assert_error(api.post(TOKENS, {"name": "x", "expires_at": past}), 400, "invalid", "expires_at")
    assert_error(api.post(TOKENS, "not json", content_type="application/json"), 400, "parse_error")
    assert_error(api.get(TOKENS, {"user": "nobody"}), 400, "invalid", "user")
    assert_error(api.put(f"{TOKENS}1/", {"name": "x"}), 405, "method_not_allowed")
    assert not ApiToken.objects.exists()


def test_an_expiry_is_kept_and_shown(api, editor):
    api.force_authenticate(editor)
    when = timezone.now() + datetime.timedelta(days=30)
    created = api.post(TOKENS, {"name": "month", "expires_at": when.isoformat()}).json()
    assert datetime.datetime.fromisoformat(created["expires_at"]) == when


def test_live_tokens_per_user_are_capped(api, editor, monkeypatch):
    monkeypatch.setattr(tokens, "MAX_ACTIVE_TOKENS", 2)
    api.force_authenticate(editor)
    first = api.post(TOKENS, {"name": "one"}).json()
    api.post(TOKENS, {"name": "two"})
    error = assert_error(api.post(TOKENS, {"name": "three"}), 400, "invalid")
    assert "revoke some" in error["message"]
    api.delete(f"{TOKENS}{first['id']}/")
    assert api.post(TOKENS, {"name": "three"}).status_code == 201


@pytest.mark.parametrize("persona", ["editor", "admin_user"])
def test_the_token_list_query_count_does_not_grow_with_rows(api, request, persona, editor, reviewer):
    user = request.getfixturevalue(persona)
    api.force_authenticate(fresh(user))

    def count_queries() -> int:
        api.force_authenticate(fresh(user))
        with CaptureQueriesContext(connection) as captured:
            assert api.get(TOKENS).status_code == 200
        return len(captured.captured_queries)

    for owner in (user, reviewer):
        _make(owner)
    few = count_queries()
    for i in range(20):
        _make(user, name=f"t{i}")
        _make(reviewer, name=f"r{i}")
    assert count_queries() == few
    # The page's count and the page itself, users joined.
    assert few == 2


# --- The web page ---------------------------------------------------------------------------

PAGE = "/account/tokens/"


def test_the_tokens_page_needs_a_login(client, editor):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    token, _ = _make(editor)
    response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_lists_only_your_own_tokens(client, editor, reviewer):
    _make(editor, name="erin-cms")
    _make(reviewer, name="rita-script")
    response = login(client, editor).get(PAGE)
    assert response.status_code == 200
    assert b"erin-cms" in response.content and b"rita-script" not in response.content
    assert b'href="/account/tokens/"' in response.content  # the account area's link (base.html)


@pytest.mark.parametrize("persona", ["editor", "outsider"])
def test_creating_on_the_page_shows_the_secret_once(client, request, persona):
    user = request.getfixturevalue(persona)
    login(client, user)
    response = client.post(PAGE, {"name": "From the page", "expires_in": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    secret = response.context["secret"]
    assert token.matches(secret) and secret.encode() in response.content
    assert response["Cache-Control"] == "no-store"
    assert token.expires_at - timezone.now() > datetime.timedelta(days=29)
    again = client.get(PAGE)
    assert secret.encode() not in again.content and b"From the page" in again.content


def test_a_bad_form_creates_nothing(client, editor):
    login(client, editor)
    response = client.post(PAGE, {"name": "", "expires_in": "30"})
    assert response.status_code == 400 and response.context["form"].errors["name"]
    response = client.post(PAGE, {"name": "x", "expires_in": "7"})
    assert response.status_code == 400 and response.context["form"].errors["expires_in"]
    assert not ApiToken.objects.exists()


def test_revoking_on_the_page(client, editor, reviewer):
    mine, _ = _make(editor)
    theirs, _ = _make(reviewer)
    login(client, editor)
    assert client.get(f"/account/tokens/{mine.pk}/revoke/").status_code == 405
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    response = client.post(f"/account/tokens/{mine.pk}/revoke/", follow=True)
    assert response.redirect_chain[-1][0] == PAGE
    assert "is revoked" in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_by == editor and theirs.revoked_at is None


# --- The admin console ----------------------------------------------------------------------

ADMIN = "/admin/factcheck/apitoken/"


def test_an_admin_creates_a_token_for_a_user_and_sees_it_once(client, admin_user, reviewer):
    login(client, admin_user)
    response = client.post(
        f"{ADMIN}add/", {"user": reviewer.pk, "name": "Rita's CMS", "expires_at_0": "", "expires_at_1": ""}
    )
    assert response.status_code == 200, response.content[:500]
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert token.user == reviewer and token.created_by == admin_user and token.matches(secret)
    assert secret.encode() in response.content
    listing = client.get(ADMIN)
    assert listing.status_code == 200 and b"Rita&#x27;s CMS" in listing.content
    assert secret.encode() not in listing.content
    view = client.get(f"{ADMIN}{token.pk}/change/")
    assert (
        view.status_code == 200 and secret.encode() not in view.content and token.key_hash.encode() not in view.content
    )


def test_the_admin_form_refuses_a_past_expiry(client, admin_user, reviewer):
    login(client, admin_user)
    response = client.post(
        f"{ADMIN}add/", {"user": reviewer.pk, "name": "late", "expires_at_0": "2001-01-01", "expires_at_1": "10:00"}
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors["expires_at"]
    assert not ApiToken.objects.exists()


def test_the_admin_revoke_action(client, admin_user, editor, reviewer):
    first, _ = _make(editor)
    second, _ = _make(reviewer)
    login(client, admin_user)
    response = client.post(ADMIN, {"action": "revoke", "_selected_action": [first.pk, second.pk]}, follow=True)
    assert "2 API tokens revoked." in response.content.decode()
    assert set(ApiToken.objects.values_list("revoked_by", flat=True)) == {admin_user.pk}
    assert client.post(f"{ADMIN}{first.pk}/delete/").status_code == 403


def test_the_token_admin_is_for_admins_only(client, editor):
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name=EDITORS))
    response = login(client, editor).get(ADMIN)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_auth_lookup_reads_what_the_orm_reads(editor, reviewer):
    """token_for_auth runs SQL compiled once; its token and user are the ORM's, field by field
    (dates as aware datetimes, flags as booleans, on every database)."""
    token, _ = tokens.token_create(
        user=editor, name="cms", actor=editor, expires_at=timezone.now() + datetime.timedelta(days=3)
    )
    tokens.token_mark_used(token)
    for _ in range(2):  # compiles, then reuses
        found = tokens.token_for_auth(token.prefix)
        expected = ApiToken.objects.select_related("user").get(pk=token.pk)
        for field in ApiToken._meta.concrete_fields:
            assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
        for field in type(editor)._meta.concrete_fields:
            assert getattr(found.user, field.attname) == getattr(expected.user, field.attname), field.name
        assert isinstance(found.expires_at, datetime.datetime) and found.expires_at.tzinfo is not None
        assert found.user.is_active is True and found.user._factcheck_groups == {"editors"}
    assert tokens.token_for_auth("0" * len(token.prefix)) is None
    assert (
        tokens.token_for_auth(tokens.token_create(user=reviewer, name="r", actor=reviewer)[0].prefix).user == reviewer
    )


def test_each_thread_compiles_its_own_token_lookup():
    """The compiled lookup holds its thread's connection (gunicorn's gthread workers serve
    requests from several threads): each thread makes its own, once."""
    import threading

    mine = tokens._token_lookup("default")
    assert tokens._token_lookup("default") is mine
    theirs = []
    worker = threading.Thread(target=lambda: theirs.append(tokens._token_lookup("default")))
    worker.start()
    worker.join()
    assert theirs[0] is not mine and theirs[0].sql == mine.sql
    assert theirs[0].compiler.connection is not mine.compiler.connection
