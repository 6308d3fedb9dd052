"""Consent decisions: each recorded with the wording shown, never edited afterwards."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from spilka.lib.audit import audit_record, snapshot
from spilka.network.models import Consent, Organisation, Person

__all__ = ["consent_record"]


@transaction.atomic
def consent_record(
    *,
    person: Person,
    organisation: Organisation,
    purpose: str,
    granted: bool,
    wording: str,
    source: str,
    wording_language: str = "en",
    by: Any = None,
) -> Consent:
    """Record a consent decision with the wording shown. Never edits earlier decisions."""
    consent = Consent(
        person=person,
        organisation=organisation,
        purpose=purpose,
        granted=granted,
        wording=wording,
        wording_language=wording_language,
        source=source,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        actor=by or "self",
        action="network.consent.granted" if granted else "network.consent.withdrawn",
        obj=consent,
        organisation=organisation,
        after=snapshot(consent, ["person_id", "purpose", "granted", "source"]),
    )
    return consent
