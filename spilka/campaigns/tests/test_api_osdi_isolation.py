"""Every OSDI action route, walked with another organisation's key holding every scope.

USC's private rows (a confirmed signer, a registrant of its members-only event, a donor to
its private fund, a mailing) are aimed at through every route of the ``osdi`` block of
``spilka/api/routes.py``, lists and details and helpers: Razem's key reads none of them and
writes nothing through them. Public rows (petitions, public events, public funds'
donations) are readable by anyone and are checked for their private fields only."""

from __future__ import annotations

import pytest

from spilka.api.routes import router
from spilka.api.scopes import ALL_SCOPES
from spilka.campaigns.models import Petition, Signature, SignatureStatus
from spilka.campaigns.tests.api_helpers import key_for, person
from spilka.events.models import Registration
from spilka.events.services.registrations import event_register
from spilka.events.tests.conftest import make_event
from spilka.funds.models import Transaction
from spilka.funds.services.donations import donation_record
from spilka.funds.services.funds import fund_create
from spilka.lib.models import AuditEntry
from spilka.outreach.models import Mailing
from spilka.outreach.services.mailings import mailing_create

pytestmark = pytest.mark.django_db

OSDI_PREFIXES = (
    "petitions",
    "signatures",
    "events",
    "attendances",
    "donations",
    "fundraising_pages",
    "messages",
)


@pytest.fixture
def private_rows(demo):
    import datetime
    from decimal import Decimal

    usc = demo["ukraine-solidarity-campaign"]
    petition = Petition.objects.get(slug="iaea-zaporizhzhia")
    signature = Signature.objects.filter(
        petition=petition, status=SignatureStatus.CONFIRMED
    ).first()
    event = make_event(usc, slug="usc-members", is_public=False)
    registration = event_register(
        event=event, full_name="Secret Registrant", email="secret.registrant@example.org"
    ).registration
    fund = fund_create(
        by="test",
        organisation=usc,
        slug="quiet-fund",
        name={"en": "Quiet"},
        currency="GBP",
        is_public=False,
    )
    gift = donation_record(
        fund=fund,
        amount=Decimal("12.00"),
        currency="GBP",
        occurred_on=datetime.date(2024, 1, 5),
        by="test",
        donor_name="Secret Donor",
        donor_email="secret.donor@example.org",
    )
    mailing = mailing_create(
        organisation=usc, by="test", subject={"en": "Secret plans"}, body={"en": "Hush"}
    )
    return {
        "ids": {
            "petition_pk": petition.pk,
            "event_pk": event.pk,
            "fund_pk": fund.pk,
            "signatures": signature.pk,
            "attendances": registration.pk,
            "donations": gift.pk,
            "messages": mailing.pk,
            "events": event.pk,
        },
        "secrets": [
            signature.email,
            "secret.registrant@example.org",
            "Secret Registrant",
            "secret.donor@example.org",
            "Secret Donor",
            "Secret plans",
            "usc-members",
        ],
    }


def _paths(ids):
    """Each OSDI route's list and detail, aimed at USC's private rows."""
    for prefix, _viewset, _basename in router.registry:
        if not prefix.startswith(OSDI_PREFIXES):
            continue
        base = "/api/v1/" + prefix.replace("(?P<petition_pk>[0-9]+)", str(ids["petition_pk"]))
        base = base.replace("(?P<event_pk>[0-9]+)", str(ids["event_pk"]))
        base = base.replace("(?P<fund_pk>[0-9]+)", str(ids["fund_pk"]))
        assert "(" not in base, f"a route this sweep cannot aim: {prefix}"
        leaf = prefix.rsplit("/", 1)[-1]
        yield base + "/"
        if leaf in ids:
            yield f"{base}/{ids[leaf]}/"


def test_the_sweep_covers_every_osdi_route():
    prefixes = {p for p, _v, _b in router.registry if p.startswith(OSDI_PREFIXES)}
    assert len(prefixes) == 9


def test_another_organisations_key_reads_nothing_private_of_ours(private_rows, demo):
    razem = key_for(demo["razem"], list(ALL_SCOPES))
    seen = []
    for path in _paths(private_rows["ids"]):
        response = razem.get(path, per_page=100)
        assert response.status_code in (200, 404), (path, response.status_code)
        body = response.content.decode()
        for secret in private_rows["secrets"]:
            assert secret not in body, (path, secret)
        seen.append(path)
    assert len(seen) >= 15


def test_another_organisations_key_writes_nothing_through_our_helpers(private_rows, demo):
    razem = key_for(demo["razem"], list(ALL_SCOPES))
    ids = private_rows["ids"]
    counts = (
        Signature.objects.count(),
        Registration.objects.count(),
        Transaction.objects.count(),
        Mailing.objects.count(),
        AuditEntry.objects.count(),
    )
    posts = {
        f"/api/v1/petitions/{ids['petition_pk']}/signatures/": {"person": person("x@example.org")},
        f"/api/v1/events/{ids['event_pk']}/attendances/": {"person": person("x@example.org")},
        f"/api/v1/fundraising_pages/{ids['fund_pk']}/donations/": {
            "amount": "1.00",
            "currency": "GBP",
            "action_date": "2024-01-05",
        },
        "/api/v1/messages/": {"subject": "x"},
        "/api/v1/signatures/": {"person": person("x@example.org")},
    }
    for path, body in posts.items():
        assert razem.post(path, body).status_code in (403, 404, 405), path
    assert counts == (
        Signature.objects.count(),
        Registration.objects.count(),
        Transaction.objects.count(),
        Mailing.objects.count(),
        AuditEntry.objects.count(),
    )
