"""Campaigns, resolutions, adoptions, statements, co-signatures and bills in the API.

Personas: an anonymous client; a key of the Ukraine Solidarity Campaign (USC) with
``campaigns:read`` (or ``write``), whose drafts it sees; a key of Razem, another
organisation, which sees none of USC's drafts or private resolutions.
"""

from __future__ import annotations

import pytest
from django.core import mail

from spilka.api.testing import api_client, api_key
from spilka.campaigns.models import Adoption
from spilka.campaigns.services.campaigns import campaign_create
from spilka.campaigns.services.legislation import bill_create
from spilka.campaigns.services.resolutions import resolution_create
from spilka.campaigns.services.statements import statement_create, statement_update
from spilka.lib.models import AuditEntry
from spilka.network.tests.api_own import BASE, anonymous, get_all, key_client, queries_for

pytestmark = pytest.mark.django_db

BY = "test setup"


@pytest.fixture
def drafts(usc):
    """A draft campaign of USC, with a draft statement, a private resolution and a bill."""
    campaign = campaign_create(
        by=BY, slug="secret-plan", title={"en": "Secret plan"}, lead_organisation=usc
    )
    public = campaign_create(
        by=BY,
        slug="open-plan",
        title={"en": "Open plan"},
        lead_organisation=usc,
        status="active",
    )
    statement = statement_create(
        by=BY, campaign=public, slug="draft-words", title={"en": "Draft"}, text={"en": "Words"}
    )
    resolution = resolution_create(
        by=BY,
        campaign=public,
        slug="quiet-motion",
        title={"en": "Quiet motion"},
        text={"en": "Conference notes."},
        is_public=False,
    )
    bill = bill_create(
        by=BY,
        campaign=campaign,
        parliament="uk_parliament",
        number="HC 99",
        title={"en": "Hidden bill"},
    )
    return {
        "campaign": campaign,
        "public": public,
        "statement": statement,
        "resolution": resolution,
        "bill": bill,
    }


def _slugs(client, collection, field="slug"):
    return {row[field] for row in get_all(client, collection)}


def test_drafts_are_seen_by_their_organisations_key_only(drafts, usc, demo):
    own = key_client(usc, ["campaigns:read"])
    other = key_client(demo["razem"], ["campaigns:read"])
    for client, sees in ((own, True), (other, False), (anonymous(), False)):
        assert ("secret-plan" in _slugs(client, "campaigns")) is sees
        assert ("draft-words" in _slugs(client, "statements")) is sees
        assert ("quiet-motion" in _slugs(client, "resolutions")) is sees
        assert ("HC 99" in _slugs(client, "bills", "number")) is sees
    assert "open-plan" in _slugs(anonymous(), "campaigns")


def test_a_key_without_the_campaigns_scope_reads_public_rows_only(drafts, usc):
    client = key_client(usc, ["aid:read"])
    assert "secret-plan" not in _slugs(client, "campaigns")
    assert "open-plan" in _slugs(client, "campaigns")


def test_another_organisations_key_gets_404_for_a_draft(drafts, demo):
    other = key_client(demo["razem"], ["campaigns:read"])
    assert other.get(f"{BASE}campaigns/{drafts['campaign'].pk}/").status_code == 404
    assert other.get(f"{BASE}statements/{drafts['statement'].pk}/").status_code == 404
    assert other.get(f"{BASE}bills/{drafts['bill'].pk}/").status_code == 404


def test_adoption_report_by_a_key_writes_one_audit_row(drafts, usc):
    key, secret = api_key(usc, ["campaigns:write"])
    client = api_client(secret)
    before = AuditEntry.objects.filter(action="campaigns.adoption.reported").count()
    response = client.post(
        f"{BASE}adoptions/",
        {"resolution": "quiet-motion", "status": "tabled", "meeting_date": "2026-01-10"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "tabled" and body["body"]["slug"] == usc.slug
    assert body["verified"] is False
    assert Adoption.objects.get(resolution=drafts["resolution"], body=usc).status == "tabled"
    rows = AuditEntry.objects.filter(action="campaigns.adoption.reported")
    assert rows.count() == before + 1
    assert key.prefix in rows.order_by("-pk").first().actor_label


def test_adoption_report_for_someone_elses_body_is_refused(drafts, demo):
    # Razem runs nothing here: it may report only for itself, and not on USC's private motion.
    client = key_client(demo["razem"], ["campaigns:write"])
    response = client.post(
        f"{BASE}adoptions/",
        {"resolution": "quiet-motion", "status": "adopted", "body": "pcs"},
        format="json",
    )
    assert response.status_code == 404
    assert not Adoption.objects.filter(resolution=drafts["resolution"]).exists()


def test_a_read_key_cannot_report(drafts, usc):
    response = key_client(usc, ["campaigns:read"]).post(
        f"{BASE}adoptions/", {"resolution": "quiet-motion", "status": "tabled"}, format="json"
    )
    assert response.status_code == 403


def test_bad_adoption_input_is_a_400_naming_the_field(drafts, usc):
    client = key_client(usc, ["campaigns:write"])
    response = client.post(
        f"{BASE}adoptions/",
        {"resolution": "quiet-motion", "status": "won", "meeting_date": "tomorrow"},
        format="json",
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "status" in text and "meeting_date" in text


def test_bad_input_is_answered_in_ukrainian(drafts, usc):
    client = key_client(usc, ["campaigns:write"])
    response = client.post(
        f"{BASE}adoptions/",
        {"resolution": "quiet-motion", "status": "tabled", "meeting_date": "tomorrow"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    assert response.status_code == 400
    # DRF's own Ukrainian catalogue: "Неправильний формат дати…"
    assert "формат" in response.content.decode()


def test_cosignature_request_answers_the_same_for_any_address(
    drafts, usc, django_capture_on_commit_callbacks
):
    statement_update(statement=drafts["statement"], by=BY, status="open")
    client = key_client(usc, ["campaigns:write"])
    answers = []
    for email in ("someone@example.org", "nobody@elsewhere.test"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"{BASE}cosignatures/",
                {"statement": "draft-words", "officer_name": "A. Officer", "officer_email": email},
                format="json",
            )
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1]
    assert answers[0][0] == 202
    # Each address is told by mail, and only that address; nothing is confirmed yet.
    assert {m.to[0] for m in mail.outbox} == {"someone@example.org", "nobody@elsewhere.test"}
    confirmed = get_all(anonymous(), "cosignatures", statement="draft-words")
    assert confirmed == []


def test_campaign_list_costs_the_same_queries_for_any_page_size(usc, drafts):
    for n in range(12):
        campaign_create(
            by=BY,
            slug=f"bulk-{n}",
            title={"en": f"Bulk {n}"},
            lead_organisation=usc,
            status="active",
            co_organisers=[],
        )
    client = key_client(usc, ["campaigns:read"])
    for collection in ("campaigns", "resolutions", "statements", "bills", "adoptions"):
        small = queries_for(client, f"{BASE}{collection}/", per_page=2)
        large = queries_for(client, f"{BASE}{collection}/", per_page=50)
        assert small == large, collection


def test_a_campaign_links_to_its_resolutions_statements_and_bills(drafts, usc):
    client = key_client(usc, ["campaigns:read"])
    body = client.get(f"{BASE}campaigns/{drafts['public'].pk}/").json()
    href = body["_links"]["spilka:resolutions"]["href"]
    assert "campaign=open-plan" in href
    found = client.get(href).json()["_embedded"]["spilka:resolutions"]
    assert [row["slug"] for row in found] == ["quiet-motion"]
