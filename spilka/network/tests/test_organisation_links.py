"""An organisation's page leads to its pages in every app, and each of them answers."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_every_public_link_on_an_organisation_page_answers(client, demo):
    page = client.get("/en/org/ukraine-solidarity-campaign/").content.decode()
    section = page.split('id="across-spilka"', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'href="([^"]+)"', section)
    assert len(links) == 6
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_main_menu_reaches_every_app(client, demo):
    page = client.get("/en/").content.decode()
    nav = page.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    for path in ("/en/events/", "/en/aid/", "/en/money/", "/en/publications/"):
        assert f'href="{path}"' in nav
        assert client.get(path).status_code == 200, path


def test_private_shortcuts_are_shown_only_to_people_with_a_role(client, login, usc_admin, demo):
    anonymous = client.get("/en/org/ukraine-solidarity-campaign/").content.decode()
    assert "/outreach/ukraine-solidarity-campaign/" not in anonymous
    signed_in = login(usc_admin).get("/en/org/ukraine-solidarity-campaign/").content.decode()
    assert "/outreach/ukraine-solidarity-campaign/" in signed_in


def test_a_campaign_page_leads_to_its_aid_and_money_reports(client, demo):
    from spilka.campaigns.models import Campaign

    campaign = Campaign.objects.filter(is_public=True).exclude(status="draft").first()
    page = client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    section = page.split('id="campaign-reports"', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'href="([^"]+)"', section)
    assert len(links) == 2
    for link in links:
        assert client.get(link).status_code == 200, link
