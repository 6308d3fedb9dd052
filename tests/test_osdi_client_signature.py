"""The ``osdi`` client from PyPI, pointed at a live Spilka, records a petition signature.

The client (0.3.1) speaks to Action Network's OSDI API. ``ActionNetworkService`` is built
with a base address and a key, sends the key in ``OSDI-API-TOKEN``, reads ``/tags`` when it
starts and pages through HAL collections (``_embedded["osdi:…"]``, following
``_links.next``). It has no method of its own for signatures: its generic
``_post_request(path, body)`` is what it uses for every helper POST (people, taggings), so
the signature goes through that, the same request any OSDI client makes, to the path
written as the client writes paths (no trailing slash).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def usc_petition(demo):
    from spilka.campaigns.services.campaigns import campaign_create
    from spilka.campaigns.services.petitions import petition_create

    usc = demo["ukraine-solidarity-campaign"]
    campaign = campaign_create(
        by="test",
        slug="client-test",
        title={"en": "Client test"},
        lead_organisation=usc,
        status="active",
    )
    return petition_create(
        by="test",
        campaign=campaign,
        slug="client-test",
        title={"en": "Signed by an OSDI client"},
        target={"en": "The council"},
        text={"en": "We ask."},
        status="open",
    )


def test_the_osdi_client_records_a_signature_that_waits_for_its_signer(live_server, usc_petition):
    from django.core import mail
    from osdi.action_network.service import ActionNetworkService

    from spilka.api.testing import api_key
    from spilka.campaigns.models import Signature, SignatureStatus
    from spilka.lib.models import AuditEntry

    usc = usc_petition.campaign.lead_organisation
    key, secret = api_key(usc, ["supporters:read", "campaigns:write"])
    service = ActionNetworkService(f"{live_server.url}/api/v1", secret)

    # It pages through our petitions as through Action Network's, and finds this one.
    petitions = service.get_model_raw("petitions", "osdi:petitions")
    found = [p for p in petitions if p["title"] == "Signed by an OSDI client"]
    assert len(found) == 1
    helper = found[0]["_links"]["osdi:record_signature_helper"]["href"]
    assert helper.rstrip("/").endswith(f"/api/v1/petitions/{usc_petition.pk}/signatures")

    answer = service._post_request(
        f"petitions/{usc_petition.pk}/signatures",
        {
            "person": {
                "given_name": "Mykola",
                "family_name": "Shevchenko",
                "email_addresses": [{"address": "mykola@example.org"}],
                "postal_addresses": [{"country": "UA"}],
                "languages_spoken": ["uk"],
            }
        },
    )

    assert answer["status"] == "pending"
    signature = Signature.objects.get(petition=usc_petition, email="mykola@example.org")
    assert signature.status == SignatureStatus.PENDING
    assert signature.full_name == "Mykola Shevchenko" and signature.language == "uk"
    audit = AuditEntry.objects.get(
        action="campaigns.signature.created", object_id=str(signature.pk)
    )
    assert audit.organisation_id == usc.pk and key.prefix in audit.actor_label
    assert [m.to for m in mail.outbox] == [["mykola@example.org"]]
    # The signer confirms from the mail; only then does the petition count it.
    usc_petition.refresh_from_db()
    assert usc_petition.confirmed_count == 0
