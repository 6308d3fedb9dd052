"""OSDI messages (mailings, read only) through the API.

Personas: USC sent the demo mailing to its Polish-speaking signers; Razem sent none of it;
an anonymous caller has no key."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spilka.campaigns.tests.api_helpers import Api, key_for, rows
from spilka.outreach.models import Mailing
from spilka.outreach.services.mailings import mailing_create

pytestmark = pytest.mark.django_db

MESSAGES = "/api/v1/messages/"


def test_messages_need_a_key_with_the_supporters_scope(usc):
    assert Api().get(MESSAGES).status_code in (401, 403)
    assert key_for(usc, ["campaigns:read", "funds:books"]).get(MESSAGES).status_code == 403


def test_the_organisations_key_reads_its_mailings(usc):
    sent = Mailing.objects.filter(organisation=usc, status="sent").first()
    listed = rows(key_for(usc, ["supporters:read"]).get(MESSAGES, per_page=100), "messages")
    assert Mailing.objects.filter(organisation=usc).count() == len(listed)
    row = next(r for r in listed if r["subject"] == sent.subject["en"])
    assert row["status"] == "sent" and row["from"] == usc.display_name
    assert row["statistics"]["sent"] == sent.sent_count
    assert row["targets"] == [{"spilka:segment": sent.segment.name}]


def test_another_organisations_key_sees_none_of_them(usc, demo):
    mailing = Mailing.objects.filter(organisation=usc).first()
    razem = key_for(demo["razem"], ["supporters:read", "supporters:write"])
    assert razem.get(MESSAGES).json()["total_records"] == 0
    assert razem.get(f"{MESSAGES}{mailing.pk}/").status_code == 404


def test_messages_are_read_only(usc):
    api = key_for(usc, ["supporters:write"])
    response = api.post(MESSAGES, {"subject": "Hello"})
    assert response.status_code == 405
    assert Mailing.objects.filter(subject__en="Hello").count() == 0


def test_modified_date_filters_and_a_bad_filter_is_a_400(usc):
    fresh = mailing_create(organisation=usc, by="test", subject={"en": "Fresh"}, body={"en": "Hi"})
    api = key_for(usc, ["supporters:read"])
    moment = fresh.created_at.isoformat()
    listed = rows(api.get(MESSAGES, filter=f"modified_date ge '{moment}'"), "messages")
    assert [row["subject"] for row in listed] == ["Fresh"]
    assert api.get(MESSAGES, filter="modified_date gt 'soon'").status_code == 400
    assert api.get(MESSAGES, filter="subject eq 'Fresh'").status_code == 400


def test_queries_do_not_grow_with_the_rows_on_a_page(usc):
    for n in range(3):
        mailing_create(organisation=usc, by="test", subject={"en": f"M{n}"}, body={"en": "Hi"})
    api = key_for(usc, ["supporters:read"])
    api.get(MESSAGES)  # the key's first use records when it was used: not counted
    counts = []
    for per_page in (1, 3):
        with CaptureQueriesContext(connection) as captured:
            assert api.get(MESSAGES, per_page=per_page).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
