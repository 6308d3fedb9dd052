"""A Cyrillic short address works in a real browser: the directory's link to it is
percent-encoded, chromium follows it, and the page opens (no 404, no mangled address)."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlparse

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from spilka.network import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SLUG = "солідарність"


def test_chromium_opens_an_organisation_with_a_cyrillic_address(page, live_server):
    services.organisation_create(
        by="test setup",
        slug=SLUG,
        name={"uk": "Солідарність Тест", "en": "Solidarity Test"},
        original_language="uk",
        kind="campaign",
        country="UA",
        is_public=True,
    )
    with translation.override("uk"):
        href = reverse("network:organisation", kwargs={"slug": SLUG})
    assert href == f"/uk/org/{quote(SLUG)}/"
    page.goto(f"{live_server.url}/uk/organisations/?q=Солідарність")
    link = page.locator(f'a[href="{href}"]').first
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()
    assert unquote(urlparse(page.url).path) == f"/uk/org/{SLUG}/"
    expect(page.locator("h1")).to_contain_text("Солідарність Тест")
