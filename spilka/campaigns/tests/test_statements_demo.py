"""The demo statement and bills: loaded once, and loading again adds nothing."""

from __future__ import annotations

import pytest

from spilka.campaigns.demo.statements import load_statements_demo
from spilka.campaigns.models import Bill, BillOutcome, CoSignature, Statement
from spilka.lib.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_loading_the_demo_again_changes_nothing(demo):
    counts = (Statement.objects.count(), CoSignature.objects.count(), Bill.objects.count())
    assert load_statements_demo() == {"statements": 0, "cosignatures": 0, "bills": 0}
    assert counts == (
        Statement.objects.count(),
        CoSignature.objects.count(),
        Bill.objects.count(),
    )


def test_the_warsaw_statement_is_cosigned_from_evidence_with_notes(demo):
    statement = Statement.objects.get(slug="warsaw-statement-2022")
    assert statement.campaign.slug == "warsaw-left-unity"
    assert set(statement.text) == {"en", "pl", "uk"}
    cosignatures = statement.cosignatures.select_related("organisation")
    assert {c.organisation.slug for c in cosignatures} == {
        "razem",
        "left-alliance-finland",
        "left-alliance-lithuania",
        "alliance-for-the-future",
        "demos-romania",
        "sotsialnyi-rukh",
    }
    assert {(c.method, c.status) for c in cosignatures} == {("evidence", "confirmed")}
    demos = cosignatures.get(organisation__slug="demos-romania")
    entry = AuditEntry.objects.get(action="campaigns.cosignature.recorded", object_id=str(demos.pk))
    assert "Warsaw meeting" in entry.after["note"]
    assert demos.evidence_url.startswith("https://")


def test_the_demo_sejm_motion_was_rejected_and_the_us_house_bill_passed(demo):
    sejm = Bill.objects.get(campaign__slug="abortion-access-for-refugees", parliament="sejm")
    assert sejm.outcome == BillOutcome.REJECTED
    assert [s.stage for s in sejm.stages.all()] == ["introduced", "rejected"]
    house = Bill.objects.get(campaign__slug="cancel-ukraines-debt", parliament="us_house")
    assert house.outcome == BillOutcome.PASSED
    assert Bill.objects.filter(campaign__slug="cancel-ukraines-debt").count() == 3
