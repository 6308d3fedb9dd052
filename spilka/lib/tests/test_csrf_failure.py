"""A form refused by the CSRF check gets Spilka's own page, in the visitor's language."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    # The test client skips the CSRF check unless asked: this one is a browser without
    # the token (a page left open too long, cookies blocked).
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("language", ["en", "uk", "pl", "ru"])
def test_a_post_without_a_token_gets_the_translated_page(strict_client, language):
    response = strict_client.post(f"/{language}/accounts/login/", {"email": "a@b.example"})
    assert response.status_code == 403
    assert [t.name for t in response.templates][0] == "csrf_failure.html"
    body = response.content.decode()
    assert f'<html lang="{language}"' in body
    assert "data-csrf-failure" in body
    assert response["Cache-Control"] == "no-store"
    # Not Django's stock page, which names the reason in English.
    assert "CSRF verification failed" not in body


def test_the_ukrainian_page_speaks_ukrainian_once_translated(strict_client):
    from django.utils import translation

    response = strict_client.post("/uk/accounts/login/", {})
    assert response.status_code == 403
    # The page was rendered with Ukrainian active (its strings follow once translated).
    assert response.context["LANGUAGE_CODE"] == "uk"
    with translation.override("uk"):
        assert translation.gettext("Sign in") in response.content.decode()


def test_the_page_links_back_only_to_this_site(strict_client):
    response = strict_client.post(
        "/en/accounts/login/", {}, HTTP_REFERER="http://testserver/en/events/"
    )
    assert 'href="http://testserver/en/events/" data-csrf-back' in response.content.decode()
    response = strict_client.post(
        "/en/accounts/login/", {}, HTTP_REFERER="https://evil.example/phish"
    )
    body = response.content.decode()
    assert "evil.example" not in body
    assert "data-csrf-back" in body
