"""Official exchange rates: instance data, loaded by instance staff with a verified second factor.

The ECB and NBU reference rates convert every organisation's entries and size every claim
against its two-approval threshold, so no organisation's treasurer or administrator loads
them; the ``import_rates`` command does, or staff here.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from spilka.funds.forms import RatesUploadForm
from spilka.funds.models import ExchangeRate
from spilka.funds.services.rate_imports import rates_import
from spilka.funds.views.uploads import upload_too_large
from spilka.lib.paging import page_of
from spilka.lib.views import verified_staff_required

RATES_MAX_BYTES = 5 * 1024 * 1024


@verified_staff_required
def reference_rates(request: HttpRequest) -> HttpResponse:
    """Instance staff (second factor verified) load the official ECB and NBU rates."""
    upload = RatesUploadForm(prefix="file")
    if request.method == "POST" and upload_too_large(request, RATES_MAX_BYTES):
        upload.cleaned_data = {}  # unbound: the body was never read
        upload.add_error(None, _("A rates file may be at most 5 MB."))
    elif request.method == "POST":
        upload = RatesUploadForm(request.POST, request.FILES, prefix="file")
        if upload.is_valid():
            handle = upload.cleaned_data["file"]
            if handle.size > RATES_MAX_BYTES:
                upload.add_error("file", _("A rates file may be at most 5 MB."))
            else:
                try:
                    text = handle.read().decode("utf-8-sig")
                    result = rates_import(
                        text=text, fmt=upload.cleaned_data["format"], by=request.user
                    )
                except UnicodeDecodeError:
                    upload.add_error("file", _("The file is not UTF-8 text."))
                except ValidationError as error:
                    upload.add_error("file", error)
                else:
                    messages.success(
                        request,
                        _("%(created)s rates added, %(skipped)s already known.")
                        % {"created": result.created, "skipped": result.skipped},
                    )
                    return redirect("funds:reference_rates")
    recent = page_of(
        request,
        ExchangeRate.objects.filter(organisation__isnull=True).order_by(
            "-date", "base", "quote", "pk"
        ),
        per_page=30,
    )
    return render(
        request,
        "funds/reference_rates.html",
        {"upload": upload, "recent": recent},
        status=400 if upload.errors else 200,
    )
