"""The network's glossary: read by anyone signed in, kept by organisers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spilka.lib.forms import form_add_validation_error
from spilka.lib.languages import CONTENT_LANGUAGES, LANGUAGE_NAMES
from spilka.publishing import access, selectors
from spilka.publishing.forms import GlossaryTermForm
from spilka.publishing.models import GlossaryTerm
from spilka.publishing.services import glossary as services


@login_required
def glossary_list(request: HttpRequest) -> HttpResponse:
    context = {
        "terms": selectors.glossary_terms(),
        "languages": [(code, LANGUAGE_NAMES[code]) for code in CONTENT_LANGUAGES],
        "can_edit": access.glossary_can_edit(request.user),
    }
    return render(request, "publishing/glossary.html", context)


@login_required
def glossary_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    access.glossary_require_edit(request.user)
    term = get_object_or_404(GlossaryTerm, pk=pk) if pk else None
    form = GlossaryTermForm(request.POST if request.method == "POST" else None, instance=term)
    if request.method == "POST" and form.is_valid():
        try:
            if term is None:
                services.glossary_term_create(by=request.user, **form.cleaned_data)
            else:
                services.glossary_term_update(term=term, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The glossary was saved."))
            return redirect("publishing:glossary")
    return render(
        request,
        "publishing/form.html",
        {"form": form, "title": _("Glossary term")},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def glossary_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access.glossary_require_edit(request.user)
    term = get_object_or_404(GlossaryTerm, pk=pk)
    services.glossary_term_delete(term=term, by=request.user)
    messages.success(request, _("The term was removed from the glossary."))
    return redirect("publishing:glossary")
