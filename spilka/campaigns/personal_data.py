"""Personal data the campaigns app holds, for data-subject export and erasure.

Registered in the app's ready() through spilka.lib.personal_data.
"""

from __future__ import annotations

from typing import Any

from spilka.campaigns.models import CoSignature, IndividualSignatory, Signature
from spilka.lib.personal_data import personal_data_register


def export_signatures(email: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for s in Signature.objects.filter(email=email).select_related("petition"):
        records.append(
            {
                "petition": str(s.petition),
                "full_name": s.full_name,
                "email": s.email,
                "country": str(s.country or ""),
                "postcode": s.postcode,
                "organisation_name": s.organisation_name,
                "show_name": s.show_name,
                "language": s.language,
                "status": s.status,
                "signed_at": s.created_at.isoformat(),
                "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                "consents": [c.wording for c in s.consents.all()],
            }
        )
    for i in IndividualSignatory.objects.filter(email=email).select_related("statement"):
        records.append(
            {
                "statement": str(i.statement),
                "full_name": i.full_name,
                "email": i.email,
                "affiliation": i.affiliation,
                "country": str(i.country or ""),
                "confirmed_at": i.confirmed_at.isoformat() if i.confirmed_at else None,
            }
        )
    for c in CoSignature.objects.filter(officer_email=email).select_related(
        "statement", "organisation"
    ):
        records.append(
            {
                "statement": str(c.statement),
                "organisation": str(c.organisation),
                "officer_name": c.officer_name,
                "email": c.officer_email,
            }
        )
    return records


def erase_signatures(email: str) -> int:
    """Signatures stay counted (status and counters untouched); the signer's details go."""
    count = 0
    for signature in Signature.objects.filter(email=email):
        signature.full_name = ""
        signature.email = f"erased-{signature.pk}@invalid.invalid"
        signature.postcode = ""
        signature.organisation_name = ""
        signature.show_name = False
        signature.save(
            update_fields=[
                "full_name",
                "email",
                "postcode",
                "organisation_name",
                "show_name",
            ]
        )
        count += 1
    for signatory in IndividualSignatory.objects.filter(email=email):
        signatory.full_name = "[erased]"
        signatory.email = f"erased-{signatory.pk}@invalid.invalid"
        signatory.affiliation = ""
        signatory.country = ""
        signatory.save(update_fields=["full_name", "email", "affiliation", "country"])
        count += 1
    count += CoSignature.objects.filter(officer_email=email).update(
        officer_name="", officer_email=""
    )
    return count


def register() -> None:
    """Register this app's handlers."""
    personal_data_register("campaigns.signatures", export=export_signatures, erase=erase_signatures)
