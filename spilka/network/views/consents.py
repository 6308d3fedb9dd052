"""Recording a person's consent decision in an organisation's name."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from spilka.network import access, services
from spilka.network.forms import ConsentForm


@login_required
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_get_for_user(user=request.user, pk=pk, write=True)
    # Only in the name of an organisation that already has this person in its records.
    organisations = access.organisations_for_person(
        user=request.user, person=person, write=True, current_only=False
    )
    form = ConsentForm(
        request.POST or None,
        organisations=organisations,
        initial={"wording_language": person.preferred_language},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.consent_record(
            by=request.user,
            person=person,
            organisation=data["organisation"],
            purpose=data["purpose"],
            granted=data["granted"],
            wording=data["wording"],
            source=data["source"],
            wording_language=data["wording_language"],
        )
        messages.success(request, _("The consent decision was recorded."))
        return redirect("network:person", pk=person.pk)
    return render(
        request,
        "network/form.html",
        {
            "form": form,
            "title": _("Record a consent decision"),
            "submit": _("Record"),
            "person": person,
        },
        status=400 if form.errors else 200,
    )
