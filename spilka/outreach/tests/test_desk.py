"""Outreach on the organiser's desk: a scheduled mailing reaches the organisation's
organisers and administrators (who may open it), not its treasurer."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from spilka.accounts.desk import desk_for
from spilka.outreach.selectors import mailing_recipient_count
from spilka.outreach.services import mailings

pytestmark = pytest.mark.django_db


def _items(user, slug):
    rows = {row.organisation.slug: row for row in desk_for(user)}
    return {item.kind: item for item in rows[slug].items} if slug in rows else {}


def test_a_scheduled_mailing_is_on_the_organisers_desk_only(
    login, usc, usc_admin, usc_treasurer, announce, django_capture_on_commit_callbacks
):
    announce(usc, "later@example.org")
    mailing = mailings.mailing_create(
        organisation=usc,
        by=usc_admin,
        subject={"en": "News"},
        body={"en": "Thank you."},
        original_language="en",
    )
    with django_capture_on_commit_callbacks(execute=False):
        mailings.mailing_queue(
            mailing=mailing,
            by=usc_admin,
            base_url="http://testserver",
            confirmed_count=mailing_recipient_count(mailing),
            run_after=timezone.now() + datetime.timedelta(hours=2),
        )
    item = _items(usc_admin, "ukraine-solidarity-campaign")["outreach.mailings"]
    assert item.count == 1
    assert item.url == f"/en/outreach/ukraine-solidarity-campaign/mailings/{mailing.pk}/"
    assert login(usc_admin).get(item.url).status_code == 200
    assert "outreach.mailings" not in _items(usc_treasurer, "ukraine-solidarity-campaign")
    starts = {s.kind for row in desk_for(usc_treasurer) for s in row.starts}
    assert "outreach.mailing" not in starts
