"""CSRF: every POST route of the web UI, every admin form and every API write used with the
browser session refuses a request without the CSRF token (403) and writes nothing.

The routes come from the same classified walk of the resolver as the permission sweep
(test_access.ROUTES), so a new form is covered as soon as it is classified there.
"""

import json
from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from reviews.models import Comment

from .conftest import COMMENT_BODY, attempt, changed, row_counts
from .test_access import (
    ADMIN,
    ADMIN_MODELS,
    AUTH,
    CATCH_ALL,
    HIDDEN,
    PUBLIC,
    classify,
    is_api,
    methods_of,
    payload,
    url_for,
    url_patterns,
    watched,
)

pytestmark = pytest.mark.django_db

WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _browser(world, persona: str) -> Client:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if persona != "anon":
        client.force_login(world.users[persona])
    return client


def _write_routes():
    for p in url_patterns():
        route = classify(p)
        if route.kind in (ADMIN, PUBLIC, HIDDEN, CATCH_ALL):
            continue
        for method in methods_of(p, route):
            if method in WRITES:
                yield p, route, method


def test_every_web_form_refuses_a_post_without_the_csrf_token(world):
    # The editor may do almost everything, so the 403 is CSRF's, not a permission refusal.
    editor = _browser(world, "erin")
    problems, tried = [], 0
    for p, route, _method in _write_routes():
        if is_api(p):
            continue
        client = _browser(world, "anon") if route.kind == AUTH else editor
        url = url_for(world, p, route)
        before, state = row_counts(), watched(world)
        response, (after, state_after) = attempt(
            partial(client.post, url, payload(world)), row_counts, lambda: watched(world)
        )
        tried += 1
        if response.status_code != 403 or b"CSRF" not in response.content:
            problems.append(f"POST {p.key}: {response.status_code}, expected a CSRF 403")
        if changed(before, after) or state_after != state:
            problems.append(f"POST {p.key}: rows or objects changed without a CSRF token")
    assert tried >= 30, tried
    assert not problems, "\n".join(problems)


def test_the_same_post_with_the_token_goes_through(world):
    # The control for the test above: the token is what was missing.
    client = _browser(world, "erin")
    page = client.get(reverse("claim-detail", args=[world.claim.pk]))
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
    url = reverse("comment-add", args=[world.claim.pk])
    assert client.post(url, {"body": "No token"}).status_code == 403
    response = client.post(url, {"body": "With the token", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Comment.objects.filter(body="With the token").exists()
    assert Comment.objects.filter(body=COMMENT_BODY).count() == 1


def test_admin_forms_refuse_a_post_without_the_csrf_token(world):
    admin = _browser(world, "ada")
    problems = []
    urls = [f"/admin/{m.replace('_', '/', 1)}/add/" for m in sorted(ADMIN_MODELS)]
    urls += [f"/admin/reviews/ruling/{world.draft.pk}/change/", f"/admin/reviews/source/{world.source.pk}/delete/"]
    urls += [reverse("admin:password_change")]
    for url in urls:
        before = row_counts()
        response, (after,) = attempt(partial(admin.post, url, {"post": "yes", "name": "x"}), row_counts)
        if response.status_code != 403:
            problems.append(f"POST {url}: {response.status_code}")
        if changed(before, after):
            problems.append(f"POST {url}: rows changed {changed(before, after)}")
    assert not problems, "\n".join(problems)


def test_every_api_write_with_the_session_needs_the_csrf_token(world):
    client = _browser(world, "erin")
    problems, tried = [], 0
    for p, route, method in _write_routes():
        if not is_api(p):
            continue
        if p.key == "api-token":
            # Exchanges a password for a token: no session is used or made, so there is
            # nothing for a forged cross-site request to ride on (authentication_classes=[]).
            continue
        url = url_for(world, p, route)
        body = "" if method == "DELETE" else json.dumps(payload(world))
        before, state = row_counts(), watched(world)
        response, (after, state_after) = attempt(
            partial(client.generic, method, url, body, content_type="application/json"),
            row_counts,
            lambda: watched(world),
        )
        tried += 1
        if response.status_code != 403:
            problems.append(f"{method} {p.key}: {response.status_code}, expected 403")
        else:
            error = response.json()["error"]
            if error["code"] != "permission_denied" or "CSRF" not in error["message"]:
                problems.append(f"{method} {p.key}: 403 but not CSRF's: {error}")
        if changed(before, after) or state_after != state:
            problems.append(f"{method} {p.key}: rows or objects changed without a CSRF token")
    assert tried >= 30, tried
    assert not problems, "\n".join(problems)


def test_api_clients_with_a_token_need_no_csrf_token(world):
    # CSRF protects cookies a browser sends by itself; a bearer token is never sent that way.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("api-claim-comments", args=[world.claim.pk]),
        json.dumps({"body": "Sent with a token"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.token_secret}",
    )
    assert response.status_code == 201, response.content
