"""Organiser pages for imports and mailings, with their JSON progress endpoints."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from spilka.lib.forms import form_add_validation_error
from spilka.lib.paging import page_of, search_term, text_search
from spilka.lib.types import AuthenticatedHttpRequest
from spilka.outreach import selectors
from spilka.outreach.access import outreach_organisation_get, scoped_get
from spilka.outreach.forms import (
    IMPORT_FIELD_LABELS,
    RECOGNISED_FIELD_LABELS,
    ImportMappingForm,
    ImportUploadForm,
    MailingForm,
    MailingSendForm,
)
from spilka.outreach.headings import column_roles
from spilka.outreach.models import ImportStatus, Mailing, MailingStatus, SupporterImport
from spilka.outreach.services import imports as import_services
from spilka.outreach.services import mailings as mailing_services


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    form = ImportUploadForm(
        request.POST or None,
        request.FILES or None,
        organisation=organisation,
        initial={"default_language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            supporter_import = import_services.import_upload(
                organisation=organisation,
                by=request.user,
                filename=upload.name,
                data=upload.read(import_services.MAX_BYTES + 1),
                consent_given=data["consent_given"],
                consent_source=data["consent_source"],
                consent_wording=data["consent_wording"],
                default_language=data["default_language"],
                tag=data["tag"],
                target_list=data["target_list"],
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            return redirect("outreach:import", slug=slug, pk=supporter_import.pk)
    return render(
        request,
        "outreach/import_new.html",
        {
            "organisation": organisation,
            "form": form,
            "imports": page_of(
                request, SupporterImport.objects.filter(organisation=organisation), per_page=20
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    supporter_import = scoped_get(SupporterImport.objects.all(), organisation=organisation, pk=pk)
    form = None
    if supporter_import.status == ImportStatus.UPLOADED:
        form = ImportMappingForm(
            request.POST or None,
            headers=supporter_import.headers,
            mapping=supporter_import.mapping,
        )
        if request.method == "POST" and form.is_valid():
            try:
                import_services.import_set_mapping(
                    supporter_import=supporter_import, mapping=form.cleaned_data
                )
                if "run" in request.POST:
                    import_services.import_queue(supporter_import=supporter_import, by=request.user)
            except ValidationError as error:
                form_add_validation_error(form, error)
            else:
                return redirect("outreach:import", slug=slug, pk=supporter_import.pk)
    elif request.method == "POST":
        return redirect("outreach:import", slug=slug, pk=supporter_import.pk)
    columns = [
        {
            "column": column,
            "field": field,
            "stored": stored,
            "label": (IMPORT_FIELD_LABELS if stored else RECOGNISED_FIELD_LABELS).get(field, ""),
        }
        for column, field, stored in column_roles(
            supporter_import.headers, supporter_import.mapping
        )
    ]
    preview = (
        import_services.import_preview(supporter_import)
        if supporter_import.status == ImportStatus.UPLOADED
        and supporter_import.mapping.get("email")
        else []
    )
    return render(
        request,
        "outreach/import_detail.html",
        {
            "organisation": organisation,
            "import": supporter_import,
            "form": form,
            "preview": preview,
            "columns": columns,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def import_progress(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    imp = scoped_get(SupporterImport.objects.all(), organisation=organisation, pk=pk)
    return JsonResponse(
        {
            "status": imp.status,
            "percent": imp.percent,
            "done": imp.status in {ImportStatus.DONE, ImportStatus.FAILED},
            "processed": imp.processed_rows,
            "total": imp.total_rows,
        }
    )


@login_required
def mailing_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    mailings = Mailing.objects.filter(organisation=organisation).select_related("segment")
    q = search_term(request)
    if q:
        mailings = mailings.filter(text_search([], q, translated=["subject"]))
    page = page_of(request, mailings)
    return render(
        request,
        "outreach/mailings.html",
        {"organisation": organisation, "mailings": page, "page": page, "q": q},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mailing_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    mailing = scoped_get(Mailing.objects.all(), organisation=organisation, pk=pk) if pk else None
    if mailing is not None and mailing.status != MailingStatus.DRAFT:
        return redirect("outreach:mailing", slug=slug, pk=mailing.pk)
    form = MailingForm(
        request.POST or None,
        instance=mailing,
        organisation=organisation,
        initial={"original_language": request.LANGUAGE_CODE} if mailing is None else None,
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if mailing is None:
                mailing = mailing_services.mailing_create(
                    organisation=organisation, by=request.user, **fields
                )
            else:
                mailing = mailing_services.mailing_update(
                    mailing=mailing, by=request.user, **fields
                )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            return redirect("outreach:mailing", slug=slug, pk=mailing.pk)
    return render(
        request,
        "outreach/mailing_form.html",
        {"organisation": organisation, "mailing": mailing, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def mailing_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    mailing = scoped_get(
        Mailing.objects.select_related("segment", "organisation"), organisation=organisation, pk=pk
    )
    audience = (
        selectors.mailing_recipient_count(mailing)
        if mailing.status == MailingStatus.DRAFT
        else None
    )
    return render(
        request,
        "outreach/mailing_detail.html",
        {
            "organisation": organisation,
            "mailing": mailing,
            "previews": mailing_services.mailing_preview(mailing),
            "audience": audience,
            "report": selectors.mailing_report(mailing),
            "send_form": MailingSendForm(),
        },
    )


@login_required
@require_POST
def mailing_test(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    mailing = scoped_get(Mailing.objects.all(), organisation=organisation, pk=pk)
    count = mailing_services.mailing_test_send(
        mailing=mailing, to=request.user.email, by=request.user, base_url=_base_url(request)
    )
    messages.success(
        request,
        _("%(count)d test messages sent to %(email)s.")
        % {"count": count, "email": request.user.email},
    )
    return redirect("outreach:mailing", slug=slug, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def mailing_send(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The final step: says how many people will receive the mailing (GET), and sends
    only on the explicit "Send to N people" click that carries that number (POST)."""
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    mailing = scoped_get(
        Mailing.objects.select_related("segment", "organisation"), organisation=organisation, pk=pk
    )
    if mailing.status != MailingStatus.DRAFT:
        return redirect("outreach:mailing", slug=slug, pk=pk)
    form = MailingSendForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Enter the time as a date and time, or leave it empty."))
        return redirect("outreach:mailing", slug=slug, pk=pk)
    status = 200
    if request.method == "POST":
        try:
            mailing_services.mailing_queue(
                mailing=mailing,
                by=request.user,
                base_url=_base_url(request),
                run_after=form.cleaned_data["run_after"],
                confirmed_count=form.cleaned_data["confirm_count"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
        else:
            messages.success(request, _("The mailing is on its way."))
            return redirect("outreach:mailing", slug=slug, pk=pk)
    count = selectors.mailing_recipient_count(mailing)
    return render(
        request,
        "outreach/mailing_confirm.html",
        {
            "organisation": organisation,
            "mailing": mailing,
            "count": count,
            "run_after": form.cleaned_data["run_after"],
            "confirm_form": MailingSendForm(
                initial={
                    "run_after": form.cleaned_data["run_after"],
                    "confirm_count": count,
                }
            ),
        },
        status=status,
    )


@login_required
@require_POST
def mailing_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    mailing = scoped_get(Mailing.objects.all(), organisation=organisation, pk=pk)
    try:
        mailing_services.mailing_cancel(mailing=mailing, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("outreach:mailing", slug=slug, pk=pk)


@login_required
def mailing_progress(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    mailing = scoped_get(Mailing.objects.all(), organisation=organisation, pk=pk)
    return JsonResponse(
        {
            "status": mailing.status,
            "percent": mailing.percent,
            "done": mailing.status in {MailingStatus.SENT, MailingStatus.CANCELLED},
            "processed": mailing.sent_count + mailing.failed_count,
            "total": mailing.recipient_count,
        }
    )
