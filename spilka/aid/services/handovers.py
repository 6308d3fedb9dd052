"""The recipient's side: a signed link per handover, and their confirmation of what arrived."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spilka.aid.models import (
    ConvoyStatus,
    Discrepancy,
    Handover,
    HandoverStatus,
    ManifestLine,
    Need,
    NeedLine,
)
from spilka.aid.services.convoys import convoy_confirm_if_complete
from spilka.aid.services.needs import need_refresh_status
from spilka.aid.services.publication import manifest_public_from_refresh
from spilka.lib.audit import audit_record
from spilka.lib.images import image_reencode
from spilka.lib.numbers import format_quantity
from spilka.lib.signing import is_id, token_make, token_open
from spilka.webhooks import payloads
from spilka.webhooks.services import webhook_emit

# Unique to this purpose: a token signed for anything else in Spilka never opens a handover.
TOKEN_SALT = "spilka.aid.handover-confirmation.v1"
TOKEN_MAX_AGE = 60 * 60 * 24 * 120  # long enough for a slow road and a slow inbox
PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_MAX_SIDE = 2000
CONFIRMABLE = {ConvoyStatus.DEPARTED, ConvoyStatus.ARRIVED, ConvoyStatus.HANDED_OVER}


class TokenError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired", "other", "used"


def handover_token(handover: Handover) -> str:
    return token_make(
        {"h": handover.pk, "n": handover.token_nonce}, purpose=TOKEN_SALT, compress=True
    )


def handover_from_token(*, pk: int, token: str) -> Handover:
    """The handover the token was issued for, or TokenError saying why not."""
    opened = token_open(token, purpose=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    if opened.expired:
        raise TokenError("expired")
    data = opened.value
    if data is None:
        raise TokenError("invalid")
    if not isinstance(data, dict) or not is_id(data.get("h")) or data["h"] != pk:
        raise TokenError("other")
    handover = (
        Handover.objects.select_related("convoy", "convoy__organisation", "recipient")
        .filter(pk=pk)
        .first()
    )
    if handover is None:
        raise TokenError("invalid")
    if handover.status == HandoverStatus.CONFIRMED:
        raise TokenError("used")
    if not handover.token_nonce or data.get("n") != handover.token_nonce:
        raise TokenError("invalid")
    return handover


def photo_clean(upload: Any) -> ContentFile:
    """A real image, turned upright and re-encoded as JPEG: metadata (GPS EXIF and the
    rest) does not survive (see :mod:`spilka.lib.images`)."""
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": _("The photo is larger than 8 MB.")})
    try:
        content, _width, _height = image_reencode(upload, max_side=PHOTO_MAX_SIDE, output="jpeg")
    except ValidationError:
        raise ValidationError(
            {"photo": _("The photo is not an image we can read (JPEG, PNG or WebP).")}
        ) from None
    return content


@dataclass
class ReceivedLine:
    line_id: int
    received: Decimal | None
    discrepancy: str = ""
    reason: str = ""


def received_line_apply(*, line: ManifestLine, entry: ReceivedLine) -> str:
    """Check what the recipient says arrived of one manifest line and, when it holds, set it
    on the line (not saved). The reason it does not hold, in the recipient's language, or ""."""
    received = entry.received
    label = f"{line.item} ({line.box_number})" if line.box_number else str(line.item)
    if received is None or received < 0:
        return _("%(item)s: enter the quantity received (0 or more).") % {"item": label}
    if received > line.quantity:
        return _("%(item)s: %(received)s received is more than the %(sent)s dispatched.") % {
            "item": label,
            "received": format_quantity(received),
            "sent": format_quantity(line.quantity),
        }
    if line.item.countable and received != received.to_integral_value():
        return _("%(item)s is counted in whole units.") % {"item": label}
    discrepancy = entry.discrepancy if entry.discrepancy in Discrepancy.values else None
    if discrepancy is None:
        return _("%(item)s: unknown kind of discrepancy.") % {"item": label}
    if received < line.quantity and not discrepancy:
        discrepancy = str(Discrepancy.MISSING)
    if discrepancy and not entry.reason.strip():
        return _("%(item)s: say what happened (missing or damaged, and why).") % {"item": label}
    line.received_quantity = received
    line.discrepancy = discrepancy
    line.discrepancy_reason = entry.reason.strip()[:300] if discrepancy else ""
    return ""


@transaction.atomic
def handover_confirm(
    *,
    handover: Handover,
    lines: list[ReceivedLine],
    signer_name: str,
    note: str = "",
    photo: Any = None,
    by: Any = "recipient",
) -> Handover:
    """Record what arrived, line by line; roll the received quantities up to the needs."""
    handover = (
        Handover.objects.select_for_update(of=("self",))
        .select_related("convoy")
        .get(pk=handover.pk)
    )
    if handover.status == HandoverStatus.CONFIRMED:
        raise ValidationError(_("This delivery has already been confirmed."))
    if handover.convoy.status not in CONFIRMABLE:
        raise ValidationError(_("This convoy is not on its way: there is nothing to confirm yet."))
    signer_name = signer_name.strip()
    if not signer_name:
        raise ValidationError({"signer_name": _("Sign with your name.")})
    manifest = {ml.pk: ml for ml in handover.lines.select_related("item").order_by("pk")}
    given = {entry.line_id: entry for entry in lines}
    if set(given) != set(manifest):
        raise ValidationError(_("Confirm every line of the list, and only those."))
    errors = [
        error
        for pk, line in manifest.items()
        if (error := received_line_apply(line=line, entry=given[pk]))
    ]
    if errors:
        raise ValidationError(errors)
    if photo is not None:
        handover.photo.save("photo.jpg", photo_clean(photo), save=False)
    need_line_ids = sorted({ml.need_line_id for ml in manifest.values() if ml.need_line_id})
    need_lines = {
        nl.pk: nl
        for nl in NeedLine.objects.select_for_update().filter(pk__in=need_line_ids).order_by("pk")
    }
    discrepancies = 0
    for line in manifest.values():
        line.full_clean()
        line.save(update_fields=["received_quantity", "discrepancy", "discrepancy_reason"])
        if line.discrepancy:
            discrepancies += 1
        if line.need_line_id:
            need_line = need_lines[line.need_line_id]
            assert line.received_quantity is not None  # set above on every line
            need_line.received += line.received_quantity
            need_line.save(update_fields=["received"])
    handover.status = HandoverStatus.CONFIRMED
    handover.confirmed_at = timezone.now()
    handover.signer_name = signer_name[:200]
    handover.recipient_note = note.strip()[:2000]
    handover.has_discrepancy = bool(discrepancies)
    handover.token_nonce = secrets.token_hex(8)  # every link issued before is now spent
    handover.save()
    handover.lines.update(delivered_at=handover.confirmed_at)
    manifest_public_from_refresh(handover=handover)
    audit_record(
        actor=by,
        action="aid.handover.confirmed",
        obj=handover,
        organisation=handover.recipient,
        after={
            "lines": {
                str(pk): [str(ml.received_quantity), ml.discrepancy] for pk, ml in manifest.items()
            },
            "discrepancies": discrepancies,
            "photo": bool(handover.photo),
        },
    )
    webhook_emit(
        organisation=handover.convoy.organisation_id,
        event="handover.confirmed",
        data=payloads.handover(handover),
    )
    convoy_confirm_if_complete(convoy=handover.convoy, by=by)

    for need in Need.objects.filter(lines__pk__in=need_line_ids).distinct().order_by("pk"):
        need_refresh_status(need=need, by=by)
    return handover


def manifest_lines_of(handover: Handover) -> list[ManifestLine]:
    return list(
        handover.lines.select_related("item", "donor_organisation").order_by("box_number", "pk")
    )
