from __future__ import annotations

import pytest

from spilka.outreach.demo import SUBJECT, load_outreach_demo
from spilka.outreach.models import Mailing, MailingStatus, Segment, Supporter
from spilka.outreach.selectors import mailing_report, segment_supporters

pytestmark = pytest.mark.django_db


def test_the_demo_has_supporters_a_polish_segment_and_a_sent_mailing(usc, demo):
    ussc = demo["ussc"]
    assert Supporter.objects.filter(organisation=usc, source="petition_signed").count() > 100
    assert Supporter.objects.filter(organisation=ussc).count() >= 40
    segment = Segment.objects.get(organisation=usc, name="Polish-speaking petition signers")
    assert set(segment_supporters(segment).values_list("language", flat=True)) == {"pl"}
    mailing = Mailing.objects.get(organisation=usc, subject__en=SUBJECT["en"])
    assert mailing.status == MailingStatus.SENT
    report = mailing_report(mailing)
    assert report["sent"] > 0 and report["unsubscribed"] == 3
    assert report["by_language"] == [("pl", report["total"])]


def test_loading_the_demo_again_adds_nothing(usc):
    before = (Supporter.objects.count(), Mailing.objects.count())
    load_outreach_demo()
    assert (Supporter.objects.count(), Mailing.objects.count()) == before
