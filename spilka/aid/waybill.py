"""The waybill and packing list for one handover, in the recipient's language and English."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from spilka.aid.models import Handover
from spilka.aid.services.convoys import handover_language
from spilka.lib.numbers import format_quantity
from spilka.lib.pdf import document_new
from spilka.lib.translated import pick


def _labels(language: str) -> dict[str, str]:
    with translation.override(language):
        return {
            "waybill": _("Waybill and packing list"),
            "convoy": _("Convoy"),
            "from": _("From"),
            "to": _("To"),
            "box": _("Box"),
            "item": _("Item"),
            "qty": _("Quantity"),
            "lot": _("Lot / expiry"),
            "donor": _("Donor"),
            "vehicles": _("Vehicles"),
            "scan": _("Scan to confirm what arrived: no account needed."),
            "donated": _("donated, stays with the recipient"),
        }


def _name(organisation: Any, language: str) -> str:
    # Named for the reader of the paper, never in the language of the organiser's screen.
    return pick(organisation.name, organisation.original_language, language).text


def waybill_pdf(*, handover: Handover, confirm_url: str) -> bytes:
    convoy = handover.convoy
    language = handover_language(handover)
    languages = [language] if language != "en" else []
    languages.append("en")
    labels = [_labels(lang) for lang in languages]

    def both(key: str) -> str:
        return " / ".join(dict.fromkeys(lbl[key] for lbl in labels))

    doc = document_new(
        title=f"{convoy.reference} {handover.pk}", footer_text=f"{convoy.reference}-{handover.pk}"
    )
    doc.add_page()
    # The QR code sits in the top right corner; the title and addresses wrap left of it.
    beside = doc.qr_top_right(confirm_url, size=32)
    doc.heading(both("waybill"), 15, width=beside)
    doc.paragraph(f"{both('convoy')}: {convoy.reference} · {convoy.title}", width=beside)
    doc.paragraph(
        f"{both('from')}: {_name(convoy.organisation, language)}",
        width=beside,
    )
    doc.paragraph(f"{both('to')}: {_name(handover.recipient, language)}", width=beside)
    doc.ln(4)
    doc.below_qr()
    rows = []
    for line in handover.lines.select_related("item", "donor_organisation").order_by(
        "box_number", "pk"
    ):
        names = dict.fromkeys(pick(line.item.name, "en", lang).text for lang in languages)
        lot = " ".join(filter(None, [line.lot, line.expiry.isoformat() if line.expiry else ""]))
        donor = _name(line.donor_organisation, language) if line.donor_organisation_id else ""
        rows.append(
            [
                line.box_number,
                " / ".join(names),
                f"{format_quantity(line.quantity)} {line.item.unit}",
                lot,
                donor,
            ]
        )
    doc.table_rows(
        [both("box"), both("item"), both("qty"), both("lot"), both("donor")],
        rows,
        [14, 70, 26, 34, 46],
    )
    vehicles = list(handover.vehicles.all())
    if vehicles:
        doc.ln(3)
        doc.heading(both("vehicles"), 11)
        for vehicle in vehicles:
            extra = f" ({both('donated')})" if vehicle.donated_stays else ""
            doc.paragraph(f"{vehicle.make} · {vehicle.registration}{extra}")
    doc.ln(4)
    doc.paragraph(both("scan"), 9)
    doc.paragraph(confirm_url, 7)
    return doc.to_bytes()
