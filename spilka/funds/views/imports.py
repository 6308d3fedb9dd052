"""Bank statement import pages: upload, columns, preview, progress, result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from spilka.funds import access
from spilka.funds.forms import ImportUploadForm, MappingForm
from spilka.funds.models import Fund, ImportStatus
from spilka.funds.services import imports as services
from spilka.funds.services.statement_files import amount_example
from spilka.funds.views.uploads import upload_too_large
from spilka.lib.forms import form_add_validation_error

PREVIEW_ROWS = 50


@login_required
def import_new(request: HttpRequest, org: str) -> HttpResponse:
    organisation = access.treasury_get_for_user(user=request.user, slug=org)
    funds = Fund.objects.filter(organisation=organisation).order_by("slug")
    if request.method == "POST" and upload_too_large(request, services.import_max_bytes()):
        # Checked before the body is read: a 50 MB file is never parsed.
        form = ImportUploadForm(funds=funds)
        form.cleaned_data = {}  # unbound: the body was never read
        form.add_error(
            None,
            _("The file is too large: at most %(mb)s MB.")
            % {"mb": services.import_max_bytes() // (1024 * 1024)},
        )
        context = {"form": form, "organisation": organisation}
        return render(request, "funds/import_new.html", context, status=413)
    form = ImportUploadForm(request.POST or None, request.FILES or None, funds=funds)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_upload(
                by=request.user,
                upload=form.cleaned_data["file"],
                fund=form.cleaned_data["fund"],
                currency=form.cleaned_data["currency"],
                encoding=form.cleaned_data.get("encoding") or "auto",
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            return redirect("funds:import", org=org, pk=batch.pk)
    return render(
        request,
        "funds/import_new.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@login_required
def import_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    batch = access.import_get_for_user(user=request.user, org_slug=org, pk=pk)
    context = {"batch": batch, "organisation": batch.fund.organisation}
    status = 200
    if batch.status == ImportStatus.UPLOADED:
        header = services.batch_rows(batch)[0]
        form = MappingForm(request.POST or None, header=header, initial=_guess(header))
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            date_format = data.pop("date_format")
            decimal = data.pop("decimal") or "auto"
            thousands = data.pop("thousands") or "auto"
            try:
                services.import_map(
                    batch=batch,
                    mapping=data,
                    date_format=date_format,
                    decimal=decimal,
                    thousands=thousands,
                    by=request.user,
                )
            except ValidationError as error:
                form_add_validation_error(form, error)
            else:
                return redirect("funds:import", org=org, pk=pk)
        context.update(form=form, header=header)
        status = 400 if form.errors else 200
    elif batch.status == ImportStatus.MAPPED:
        if request.method == "POST" and request.POST.get("action") == "import":
            try:
                services.import_start(batch=batch, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("funds:import", org=org, pk=pk)
        if request.method == "POST" and request.POST.get("action") == "remap":
            try:
                services.import_remap(batch=batch, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("funds:import", org=org, pk=pk)
        parsed = services.import_preview(batch)
        context.update(
            preview=parsed[:PREVIEW_ROWS],
            more=max(0, len(parsed) - PREVIEW_ROWS),
            failing=[p for p in parsed if p.error],
            duplicates=sum(1 for p in parsed if p.duplicate),
            importable=sum(1 for p in parsed if p.values and not p.duplicate),
            total=services.import_total(parsed),
            amount_example=amount_example(
                batch.mapping.get("decimal", "."), batch.mapping.get("thousands", ",")
            ),
        )
    return render(request, "funds/import.html", context, status=status)


def _guess(header: list[str]) -> dict[str, str]:
    hints = {
        "date": ("date", "data", "дата"),
        "amount": ("paid in", "amount", "credit", "kwota", "сума"),
        "reference": ("reference", "description", "tytuł", "опис"),
        "payer": ("payer", "name", "nadawca", "платник"),
        "email": ("email", "e-mail"),
    }
    guess = {}
    for name, words in hints.items():
        for column in header:
            if any(word in column.lower() for word in words):
                guess[name] = column
                break
    return guess


@login_required
def import_progress(request: HttpRequest, org: str, pk: int) -> JsonResponse:
    batch = access.import_get_for_user(user=request.user, org_slug=org, pk=pk)
    return JsonResponse(
        {
            "status": batch.status,
            "label": str(batch.get_status_display()),
            "processed": batch.processed_rows,
            "total": batch.total_rows,
            "percent": batch.percent,
            "finished": batch.status in (ImportStatus.DONE, ImportStatus.FAILED),
        },
        headers={"Cache-Control": "no-store"},
    )
