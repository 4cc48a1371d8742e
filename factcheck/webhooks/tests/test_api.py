"""/api/v1/webhooks/ and /api/v1/webhook-deliveries/: who may do what, input errors that
change nothing, the secret, the test ping, the delivery log and redelivery."""

import pytest

from factcheck.testing import assert_error, fresh
from factcheck.webhooks import services
from factcheck.webhooks.models import WebhookDelivery, WebhookEndpoint
from factcheck.webhooks.tasks import deliver_webhook

pytestmark = pytest.mark.django_db
URL = "/api/v1/webhooks/"


def _as(api, user):
    api.force_authenticate(user)
    return api


@pytest.fixture
def other_endpoint(editor2, receiver) -> WebhookEndpoint:
    return services.endpoint_create(actor=editor2, url=receiver.url, events=["ruling.published"])


# --- Permissions ----------------------------------------------------------------------------


def test_anonymous_clients_are_asked_to_authenticate(api, endpoint):
    assert_error(api.get(URL), 401, "not_authenticated")
    assert_error(api.post(URL, {"url": "https://example.org/h", "events": ["*"]}), 401, "not_authenticated")


@pytest.mark.parametrize("persona", ["reviewer", "other_reviewer", "outsider"])
def test_reviewers_and_outsiders_may_not_use_webhooks(api, request, persona, endpoint):
    _as(api, request.getfixturevalue(persona))
    assert_error(api.get(URL), 403, "permission_denied")
    assert_error(api.get(f"{URL}{endpoint.pk}/"), 403, "permission_denied")
    assert_error(api.post(URL, {"url": "https://example.org/h", "events": ["*"]}), 403, "permission_denied")
    assert_error(api.post(f"{URL}{endpoint.pk}/ping/"), 403, "permission_denied")
    assert_error(api.delete(f"{URL}{endpoint.pk}/"), 403, "permission_denied")
    assert WebhookEndpoint.objects.count() == 1 and not WebhookDelivery.objects.filter(event_type="ping").exists()


def test_editors_see_and_change_only_their_own_endpoints(api, editor, endpoint, other_endpoint):
    _as(api, editor)
    assert [e["id"] for e in api.get(URL).json()["results"]] == [endpoint.pk]
    for method, path in [
        ("get", f"{URL}{other_endpoint.pk}/"),
        ("patch", f"{URL}{other_endpoint.pk}/"),
        ("delete", f"{URL}{other_endpoint.pk}/"),
        ("post", f"{URL}{other_endpoint.pk}/ping/"),
        ("post", f"{URL}{other_endpoint.pk}/rotate-secret/"),
        ("get", f"{URL}{other_endpoint.pk}/deliveries/"),
    ]:
        assert_error(getattr(api, method)(path, {"active": False}), 404, "not_found")
    other_endpoint.refresh_from_db()
    assert other_endpoint.active and other_endpoint.deliveries.count() == 0


def test_admins_see_and_manage_every_endpoint(api, admin_user, endpoint, other_endpoint):
    _as(api, admin_user)
    assert {e["id"] for e in api.get(URL).json()["results"]} == {endpoint.pk, other_endpoint.pk}
    response = api.patch(f"{URL}{other_endpoint.pk}/", {"active": False})
    assert response.status_code == 200 and response.json()["active"] is False
    assert api.post(f"{URL}{endpoint.pk}/ping/").status_code == 202


# --- Registering ----------------------------------------------------------------------------


def test_an_editor_registers_an_endpoint_and_gets_its_secret(api, editor):
    response = _as(api, editor).post(
        URL,
        {"url": "https://cms.example.org/h", "events": ["ruling.published", "claim.accepted"], "description": "CMS"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    endpoint = WebhookEndpoint.objects.get()
    assert body["secret"] == endpoint.secret and body["secret"].startswith("whsec_") and len(body["secret"]) > 40
    assert body["owner"] == "erin" and body["active"] is True
    assert body["events"] == ["claim.accepted", "ruling.published"]  # canonical order
    # Retrievable by its owner; never in a list.
    assert api.get(f"{URL}{endpoint.pk}/").json()["secret"] == endpoint.secret
    assert "secret" not in api.get(URL).json()["results"][0]


def test_star_subscribes_to_everything(api, editor):
    response = _as(api, editor).post(URL, {"url": "http://127.0.0.1:8001/h", "events": ["claim.accepted", "*"]})
    assert response.status_code == 201 and response.json()["events"] == ["*"]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"url": "ftp://example.org/h", "events": ["*"]}, "url"),
        ({"url": "https://user:pw@example.org/h", "events": ["*"]}, "url"),
        ({"url": "https://token@example.org/h", "events": ["*"]}, "url"),
        ({"url": "not a url", "events": ["*"]}, "url"),
        ({"url": "", "events": ["*"]}, "url"),
        ({"url": 42, "events": ["*"]}, "url"),
        ({"events": ["*"]}, "url"),
        ({"url": "https://example.org/h", "events": []}, "events"),
        ({"url": "https://example.org/h", "events": ["claim.deleted"]}, "events.0"),
        ({"url": "https://example.org/h", "events": "claim.accepted"}, "events"),
        ({"url": "https://example.org/h"}, "events"),
        ({"url": "https://example.org/h", "events": ["*"], "description": "x" * 201}, "description"),
        ({"url": "https://example.org/h", "events": ["*"], "active": "perhaps"}, "active"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(api, editor, data, field):
    assert_error(_as(api, editor).post(URL, data, format="json"), 400, "invalid", field)
    assert not WebhookEndpoint.objects.exists()


def test_private_addresses_are_refused_when_the_site_forbids_them(api, editor, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    _as(api, editor)
    for url in ["http://127.0.0.1:8000/h", "http://10.1.2.3/h", "http://localhost/h", "http://[::1]/h"]:
        assert_error(api.post(URL, {"url": url, "events": ["*"]}), 400, "invalid", "url")
    assert api.post(URL, {"url": "https://hooks.example.org/h", "events": ["*"]}).status_code == 201


def test_an_endpoint_can_be_changed_and_a_bad_change_saves_nothing(api, editor, endpoint):
    _as(api, editor)
    path = f"{URL}{endpoint.pk}/"
    response = api.patch(path, {"events": ["ruling.published"], "description": "Live site"})
    assert response.status_code == 200 and response.json()["events"] == ["ruling.published"]
    assert_error(api.patch(path, {"url": "javascript:alert(1)", "active": False}), 400, "invalid", "url")
    endpoint.refresh_from_db()
    assert endpoint.url.startswith("http://127.0.0.1") and endpoint.active
    assert endpoint.description == "Live site"


def test_rotating_the_secret_signs_with_the_new_one(api, editor, endpoint):
    old = endpoint.secret
    response = _as(api, editor).post(f"{URL}{endpoint.pk}/rotate-secret/")
    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert response.json()["secret"] == endpoint.secret != old


def test_deleting_an_endpoint_removes_its_log(api, editor, endpoint):
    services.endpoint_ping(endpoint=endpoint, actor=editor)
    assert _as(api, editor).delete(f"{URL}{endpoint.pk}/").status_code == 204
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()


# --- Ping, the log, redelivery --------------------------------------------------------------


def test_a_test_ping_is_queued_and_then_shows_in_the_log(api, editor, endpoint, receiver):
    response = _as(api, editor).post(f"{URL}{endpoint.pk}/ping/")
    assert response.status_code == 202
    assert response.json()["status"] == "pending" and response.json()["event_type"] == "ping"
    assert receiver.requests == []  # sent by the worker, not the request
    deliver_webhook(response.json()["id"])
    log = api.get(f"{URL}{endpoint.pk}/deliveries/").json()["results"]
    assert log[0]["id"] == response.json()["id"]
    assert log[0]["status"] == "succeeded" and log[0]["response_code"] == 200 and log[0]["attempts"] == 1


def test_the_log_filters_by_status_and_event(api, editor, endpoint, receiver):
    receiver.reply((410, 0))
    failed = services.endpoint_ping(endpoint=endpoint, actor=editor)
    deliver_webhook(failed.pk)
    services.endpoint_ping(endpoint=endpoint, actor=editor)
    _as(api, editor)
    log = f"{URL}{endpoint.pk}/deliveries/"
    assert [d["id"] for d in api.get(log, {"status": "failed"}).json()["results"]] == [failed.pk]
    assert len(api.get(log, {"event_type": "ping"}).json()["results"]) == 2
    assert_error(api.get(log, {"status": "lost"}), 400, "invalid", "status")
    assert_error(api.get(log, {"event_type": "claim.deleted"}), 400, "invalid", "event_type")


def test_the_log_query_count_does_not_grow_with_deliveries(api, editor, endpoint, django_assert_num_queries):
    _as(api, fresh(editor))
    for _ in range(3):
        services.endpoint_ping(endpoint=endpoint, actor=editor)
    # The role lookup, the endpoint, the count and the page.
    with django_assert_num_queries(4):
        assert len(api.get(f"{URL}{endpoint.pk}/deliveries/").json()["results"]) == 3
    for _ in range(20):
        services.endpoint_ping(endpoint=endpoint, actor=editor)
    _as(api, fresh(editor))
    with django_assert_num_queries(4):
        assert len(api.get(f"{URL}{endpoint.pk}/deliveries/").json()["results"]) == 23


def test_the_endpoint_list_query_count_does_not_grow(api, editor, admin_user, receiver, django_assert_num_queries):
    for _ in range(3):
        services.endpoint_create(actor=editor, url=receiver.url, events=["*"])
    _as(api, fresh(admin_user))
    with django_assert_num_queries(2):  # the count, the page with owners (a superuser needs no role lookup)
        assert len(api.get(URL).json()["results"]) == 3
    for _ in range(10):
        services.endpoint_create(actor=admin_user, url=receiver.url, events=["*"])
    _as(api, fresh(admin_user))
    with django_assert_num_queries(2):
        assert len(api.get(URL).json()["results"]) == 13


def test_redeliver_through_the_api(api, editor, editor2, endpoint, receiver):
    receiver.reply((500, 0))
    delivery = services.endpoint_ping(endpoint=endpoint, actor=editor)
    path = f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/"
    _as(api, editor)
    assert_error(api.post(path), 409, "invalid_transition")  # still pending
    deliver_webhook(delivery.pk)  # 500: pending again, for a retry
    assert_error(api.post(path), 409, "invalid_transition")
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed")

    _as(api, editor2)
    assert_error(api.post(path), 404, "not_found")  # someone else's
    assert_error(api.get(f"/api/v1/webhook-deliveries/{delivery.pk}/"), 404, "not_found")

    _as(api, editor)
    response = api.post(path)
    assert response.status_code == 202 and response.json()["status"] == "pending"
    assert response.json()["attempts"] == 0
    deliver_webhook(delivery.pk)
    assert api.get(f"/api/v1/webhook-deliveries/{delivery.pk}/").json()["status"] == "succeeded"
    assert len(receiver.requests) == 2


@pytest.mark.parametrize("persona", ["reviewer", "outsider"])
def test_reviewers_and_outsiders_may_not_see_or_redeliver_deliveries(api, request, persona, endpoint, editor):
    delivery = services.endpoint_ping(endpoint=endpoint, actor=editor)
    _as(api, request.getfixturevalue(persona))
    assert_error(api.get(f"/api/v1/webhook-deliveries/{delivery.pk}/"), 403, "permission_denied")
    assert_error(api.post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/"), 403, "permission_denied")
