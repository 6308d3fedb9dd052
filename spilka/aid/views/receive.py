"""The recipient's confirmation page, reached from the QR code with no account.

GET shows the list and changes nothing; POST records what arrived. Tokens are checked on
both, and a spent, forged or foreign token gets a clear page, never a form.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache

from spilka.aid.forms import ConfirmForm
from spilka.aid.services.handovers import (
    ReceivedLine,
    TokenError,
    handover_confirm,
    handover_from_token,
    manifest_lines_of,
)
from spilka.lib.forms import form_add_validation_error


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    status = 410 if reason in ("used", "expired") else 404
    return render(request, "aid/receive_refused.html", {"reason": reason}, status=status)


@never_cache
def receive(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    try:
        handover = handover_from_token(pk=pk, token=token)
    except TokenError as error:
        return _refused(request, error.reason)
    lines = manifest_lines_of(handover)
    form = ConfirmForm(request.POST or None, request.FILES or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entries = [
            ReceivedLine(
                line_id=line.pk,
                received=data.get(f"received_{line.pk}"),
                discrepancy=data.get(f"discrepancy_{line.pk}") or "",
                reason=data.get(f"reason_{line.pk}") or "",
            )
            for line in lines
        ]
        try:
            handover_confirm(
                handover=handover,
                lines=entries,
                signer_name=data["signer_name"],
                note=data.get("note", ""),
                photo=data.get("photo"),
                by=f"recipient of handover {handover.pk}",
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            missing = sum(
                (e.received is not None and ln.quantity - e.received) or Decimal(0)
                for e, ln in zip(entries, lines, strict=True)
            )
            return render(
                request, "aid/receive_done.html", {"handover": handover, "missing": missing}
            )
    return render(
        request,
        "aid/receive.html",
        {
            "handover": handover,
            "form": form,
            "rows": form.rows(),
            "language": translation.get_language(),
        },
        status=400 if form.errors else 200,
    )
