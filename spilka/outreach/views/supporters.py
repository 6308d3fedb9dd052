"""Organiser pages: the dashboard, supporters and their profiles, tags and lists,
segments, and merging duplicates. Every page goes through ``outreach.access``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from spilka.exports.views import export_start
from spilka.lib.forms import form_add_validation_error
from spilka.lib.paging import page_of, page_uncounted
from spilka.outreach import selectors
from spilka.outreach.access import outreach_organisation_get, outreach_organisations, scoped_get
from spilka.outreach.exports import SUPPORTERS
from spilka.outreach.forms import (
    GroupsForm,
    ListForm,
    MergeForm,
    SegmentForm,
    SupporterFilterForm,
    TagForm,
)
from spilka.outreach.models import Segment, Supporter, SupporterList, Tag
from spilka.outreach.services.groups import list_create, supporter_set_groups, tag_create
from spilka.outreach.services.mailings import segment_save
from spilka.outreach.services.merging import MERGE_FIELDS, supporter_merge


@login_required
def index(request: HttpRequest) -> HttpResponse:
    organisations = list(outreach_organisations(request.user).order_by("slug"))
    if len(organisations) == 1:
        return redirect("outreach:organisation", slug=organisations[0].slug)
    return render(request, "outreach/index.html", {"organisations": organisations})


@login_required
def organisation_home(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    form = SupporterFilterForm(request.GET or None, organisation=organisation)
    filters = form.cleaned_data if form.is_valid() else {}
    supporters = selectors.supporter_list(organisation, **filters)
    counts = selectors.organisation_counts(organisation)
    total = selectors.supporter_list_total(counts, **filters)
    # Counted pages when the kept counts know the total, else "Page 3" without counting.
    page = (
        page_uncounted(request, supporters)
        if total is None
        else page_of(request, supporters, count=total)
    )
    return render(
        request,
        "outreach/organisation.html",
        {"organisation": organisation, "form": form, "page": page, "counts": counts},
    )


@login_required
@require_http_methods(["GET", "POST"])
def supporter_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    supporter = scoped_get(Supporter.objects.all(), organisation=organisation, pk=pk)
    form = GroupsForm(
        request.POST or None,
        organisation=organisation,
        initial={"tags": supporter.tags.all(), "lists": supporter.lists.all()},
    )
    if request.method == "POST" and form.is_valid():
        supporter_set_groups(
            supporter=supporter,
            tags=list(form.cleaned_data["tags"]),
            lists=list(form.cleaned_data["lists"]),
            by=request.user,
        )
        messages.success(request, _("Saved."))
        return redirect("outreach:supporter", slug=slug, pk=supporter.pk)
    return render(
        request,
        "outreach/supporter.html",
        {
            "organisation": organisation,
            "supporter": supporter,
            "form": form,
            **selectors.supporter_profile(supporter),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def groups(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    tag_form = TagForm(request.POST if "tag" in request.POST else None, prefix="tag")
    list_form = ListForm(request.POST if "list" in request.POST else None, prefix="list")
    if request.method == "POST":
        form = tag_form if "tag" in request.POST else list_form
        if form.is_valid():
            try:
                if form is tag_form:
                    tag_create(
                        organisation=organisation, name=form.cleaned_data["name"], by=request.user
                    )
                else:
                    list_create(organisation=organisation, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_add_validation_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("outreach:groups", slug=slug)
    return render(
        request,
        "outreach/groups.html",
        {
            "organisation": organisation,
            "tag_form": tag_form,
            "list_form": list_form,
            "tags": Tag.objects.filter(organisation=organisation),
            "lists": SupporterList.objects.filter(organisation=organisation),
        },
        status=400 if request.method == "POST" else 200,
    )


SEGMENTS_PER_PAGE = 20


@login_required
def segment_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    # Each segment shown is counted (one query each): a page holds a bounded number.
    page = page_of(
        request,
        Segment.objects.filter(organisation=organisation).select_related("organisation"),
        per_page=SEGMENTS_PER_PAGE,
    )
    segments = [(segment, selectors.segment_supporters(segment).count()) for segment in page]
    return render(
        request,
        "outreach/segments.html",
        {"organisation": organisation, "segments": segments, "page": page},
    )


@login_required
@require_http_methods(["GET", "POST"])
def segment_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    segments = Segment.objects.select_related("organisation")  # counted within it below
    segment = scoped_get(segments, organisation=organisation, pk=pk) if pk else None
    form = SegmentForm(
        request.POST or None,
        organisation=organisation,
        action_keys=selectors.action_keys(organisation),
        segment=segment,
    )
    if request.method == "POST" and form.is_valid():
        try:
            segment = segment_save(
                organisation=organisation,
                by=request.user,
                name=form.cleaned_data["name"],
                filters=form.filters(),
                segment=segment,
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Segment saved."))
            return redirect("outreach:segment", slug=slug, pk=segment.pk)
    count, subscribed = selectors.segment_counts(segment) if segment else (None, None)
    return render(
        request,
        "outreach/segment_form.html",
        {
            "organisation": organisation,
            "segment": segment,
            "form": form,
            "count": count,
            "subscribed": subscribed,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def duplicates(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    after = request.GET.get("after", "")
    found = selectors.possible_duplicates(
        organisation, after=int(after) if after.isdigit() and len(after) < 12 else None
    )
    # Each group's first supporter, compared with each of the others: the links are built
    # here (hundreds of them: {% url %} in the template's inner loop took twice as long).
    groups = [
        (
            first,
            [
                (reverse("outreach:merge", args=[slug, first.pk, other.pk]), other)
                for other in others
            ],
        )
        for first, *others in found.groups
    ]
    return render(
        request,
        "outreach/duplicates.html",
        {"organisation": organisation, "groups": groups, "more_after": found.more_after},
    )


@login_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, slug: str, keep: int, other: int) -> HttpResponse:
    organisation = outreach_organisation_get(user=request.user, slug=slug)
    a = scoped_get(Supporter.objects.all(), organisation=organisation, pk=keep)
    b = scoped_get(Supporter.objects.all(), organisation=organisation, pk=other)
    if a.pk == b.pk:
        return render(
            request,
            "outreach/message.html",
            {"organisation": organisation, "message": _("Choose two different supporters.")},
            status=400,
        )
    rows = [(name, getattr(a, name), getattr(b, name)) for name in MERGE_FIELDS]
    differing = [name for name, x, y in rows if x != y]
    form = MergeForm(request.POST or None, differing=differing)
    if request.method == "POST" and form.is_valid():
        try:
            merged = supporter_merge(keep=a, other=b, choices=form.choices(), by=request.user)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The two records are now one."))
            return redirect("outreach:supporter", slug=slug, pk=merged.pk)
    return render(
        request,
        "outreach/merge.html",
        {
            "organisation": organisation,
            "a": a,
            "b": b,
            "rows": [(name, x, y, name in differing) for name, x, y in rows],
            "form": form,
            "counts": (a.actions.count(), b.actions.count()),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def supporters_export(
    request: HttpRequest, slug: str, fmt: str, pk: int | None = None
) -> HttpResponseBase:
    """Every supporter (or one segment's) as CSV or XLSX, written in the background."""
    return export_start(request, kind=SUPPORTERS, parameters={"slug": slug, "segment": pk}, fmt=fmt)
