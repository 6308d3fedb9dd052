"""The directory of organisations and the picture of the whole network."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_countries import countries

from spilka.network import access, selectors
from spilka.network.forms import DirectoryFilterForm
from spilka.network.graph import layout
from spilka.network.models import OrganisationKind

PAGE_SIZE = 25
# The network page draws the most linked organisations and lists the first networks; the
# directory has them all (a picture of thousands takes seconds to lay out and is unreadable).
NETWORK_PICTURE_LIMIT = 40
NETWORKS_SHOWN = 24


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = {"country": "", "kind": "", "language": "", "q": ""}
    page_number = 1
    status = 200
    if form.is_bound:
        form.is_valid()
        # Apply what is valid, explain what is not.
        for key in filters:
            if key not in form.errors:
                filters[key] = form.cleaned_data.get(key) or ""
        page_number = form.cleaned_data.get("page") or 1 if "page" not in form.errors else 1
        if form.errors:
            status = 400
    organisations = selectors.directory_organisations(user=request.user, **filters)
    paginator = Paginator(organisations, PAGE_SIZE)
    page = paginator.get_page(page_number)
    names = dict(countries)
    country_choices = sorted(
        (
            (code, names.get(code, code))
            for code in selectors.directory_countries(user=request.user)
        ),
        key=lambda c: str(c[1]),
    )
    return render(
        request,
        "network/directory.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "country_choices": country_choices,
            "can_add_organisation": access.is_superuser(request.user),
        },
        status=status,
    )


def network_overview(request: HttpRequest) -> HttpResponse:
    networks = selectors.directory_organisations(user=request.user, kind=OrganisationKind.NETWORK)
    orgs, rels = selectors.network_graph(user=request.user, limit=NETWORK_PICTURE_LIMIT)
    nodes, edges = layout(orgs, rels)
    total = selectors.organisations_visible_to(request.user).count()
    return render(
        request,
        "network/network.html",
        {
            "networks": networks[: NETWORKS_SHOWN + 1],
            "networks_shown": NETWORKS_SHOWN,
            "drawn": len(orgs),
            "total": total,
            "nodes": nodes,
            "edges": edges,
            "width": 900,
            "height": 600,
            "kinds": OrganisationKind.choices,
        },
    )
