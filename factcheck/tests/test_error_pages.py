"""Error pages are the product's own, with a title and a way back, not Django's bare text."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_forbidden_page_explains_and_links_home(client, outsider):
    client.force_login(outsider)
    response = client.get("/dashboard/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "<title>Not allowed · factcheck</title>" in text
    assert "signed in as <strong>" in text and 'href="/"' in text


@override_settings(DEBUG=False)
def test_not_found_page_has_a_title_and_links(client):
    response = client.get("/no/such/page/<script>/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "<title>Page not found · factcheck</title>" in text
    assert "<script>" not in text
    assert 'href="/fact-checks/"' in text
