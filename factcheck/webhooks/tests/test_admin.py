"""Webhooks in the admin console: endpoints registered through the services, the read-only
delivery log with its filters, and the redeliver and ping actions."""

import pytest
from django.urls import reverse

from factcheck.webhooks import services
from factcheck.webhooks.models import WebhookDelivery, WebhookEndpoint
from factcheck.webhooks.tasks import deliver_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def test_an_admin_registers_an_endpoint_for_an_editor(admin_client_, editor):
    response = admin_client_.post(
        reverse("admin:webhooks_webhookendpoint_add"),
        {"owner": editor.pk, "url": "https://cms.example.org/h", "events": ["ruling.published"], "active": "on"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.owner == editor and endpoint.events == ["ruling.published"] and endpoint.secret
    page = admin_client_.get(reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]))
    assert endpoint.secret in page.content.decode()


def test_the_admin_form_refuses_bad_urls_and_saves_nothing(admin_client_, editor):
    response = admin_client_.post(
        reverse("admin:webhooks_webhookendpoint_add"),
        {"owner": editor.pk, "url": "https://u:p@cms.example.org/h", "events": ["*"], "active": "on"},
    )
    assert response.status_code == 200
    assert "user name or password" in str(response.context["adminform"].form.errors["url"])
    assert not WebhookEndpoint.objects.exists()


def test_the_delivery_log_is_read_only_and_filterable(admin_client_, endpoint, editor, receiver):
    receiver.reply((404, 0))
    failed = services.endpoint_ping(endpoint=endpoint, actor=editor)
    deliver_webhook(failed.pk)
    services.endpoint_ping(endpoint=endpoint, actor=editor)
    changelist = reverse("admin:webhooks_webhookdelivery_changelist")
    assert admin_client_.get(changelist).context["cl"].result_count == 2
    assert admin_client_.get(changelist, {"status__exact": "failed"}).context["cl"].result_count == 1
    assert admin_client_.get(changelist, {"event_type__exact": "ping"}).context["cl"].result_count == 2
    assert admin_client_.get(changelist, {"endpoint__id__exact": endpoint.pk}).context["cl"].result_count == 2
    page = admin_client_.get(reverse("admin:webhooks_webhookdelivery_change", args=[failed.pk]))
    assert page.status_code == 200 and b"HTTP 404" in page.content
    assert admin_client_.get(reverse("admin:webhooks_webhookdelivery_add")).status_code == 403


def test_the_redeliver_action_requeues_finished_deliveries(admin_client_, endpoint, editor, receiver):
    receiver.reply((404, 0))
    failed = services.endpoint_ping(endpoint=endpoint, actor=editor)
    deliver_webhook(failed.pk)
    pending = services.endpoint_ping(endpoint=endpoint, actor=editor)
    response = admin_client_.post(
        reverse("admin:webhooks_webhookdelivery_changelist"),
        {"action": "redeliver", "_selected_action": [failed.pk, pending.pk]},
        follow=True,
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "1 webhook delivery queued again" in text and "still pending" in text
    failed.refresh_from_db()
    assert failed.status == WebhookDelivery.Status.PENDING and failed.attempts == 0
    assert deliver_webhook(failed.pk) == WebhookDelivery.Status.SUCCEEDED


def test_the_ping_action(admin_client_, endpoint):
    admin_client_.post(
        reverse("admin:webhooks_webhookendpoint_changelist"), {"action": "send_ping", "_selected_action": [endpoint.pk]}
    )
    assert endpoint.deliveries.get().event_type == "ping"


@pytest.mark.parametrize("persona", ["editor", "reviewer", "outsider"])
def test_only_admins_reach_the_webhook_admin(client, request, persona, endpoint):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("admin:webhooks_webhookendpoint_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]
