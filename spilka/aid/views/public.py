"""Public pages: the index, open needs, aid reports and exports. Nothing personal."""

from __future__ import annotations

from typing import cast

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from spilka.aid import access
from spilka.aid.charts import timeline_chart
from spilka.aid.exports import (
    deliveries_queryset,
    deliveries_rows,
    needs_rows,
    public_need_lines,
)
from spilka.aid.models import ConvoyStatus, NeedLine, NeedStatus
from spilka.aid.selectors.reports import Report, aid_report, public_handovers
from spilka.campaigns.access import campaign_get_for_user
from spilka.lib.csv_safe import csv_streaming_response
from spilka.network.access import organisation_get_for_user

OPEN_STATUSES = [
    NeedStatus.OPEN,
    NeedStatus.PARTLY_PLEDGED,
    NeedStatus.PLEDGED,
    NeedStatus.PARTLY_DELIVERED,
]


def _needs(user):  # type: ignore[no-untyped-def]
    return (
        access.needs_visible_to(user)
        .select_related("organisation", "campaign")
        .prefetch_related(Prefetch("lines", queryset=NeedLine.objects.select_related("item")))
    )


INDEX_REPORT_SECONDS = 60
INDEX_CONVOYS = 20
EXPORT_CHUNK = 500


def index(request: HttpRequest) -> HttpResponse:
    # The whole network's figures change only when a handover is confirmed; a minute old is fine.
    report = cast(Report, cache.get_or_set("aid:index-report", aid_report, INDEX_REPORT_SECONDS))
    context = {
        "report": report,
        "chart": timeline_chart(report.timeline),
        "open_needs": list(
            _needs(request.user).filter(status__in=OPEN_STATUSES).order_by("needed_by", "-pk")[:8]
        ),
    }
    if request.user.is_authenticated:
        # The template only asks whether there are any; the organisations are not listed.
        context["managed"] = access.organisations_managed_by(request.user).exists()
        visible = access.convoys_visible_to(request.user)
        # A short excerpt of the latest convoys under way; the link to the full, paged list
        # says how many there are, so nothing is cut off without the reader knowing.
        context["my_convoys"] = list(
            visible.select_related("organisation")
            .exclude(
                status__in=[ConvoyStatus.CONFIRMED, ConvoyStatus.CANCELLED, ConvoyStatus.RETURNED]
            )
            .order_by("-pk")[:INDEX_CONVOYS]
        )
        context["convoy_count"] = visible.count()
    return render(request, "aid/index.html", context)


def need_list(request: HttpRequest) -> HttpResponse:
    needs = _needs(request.user)
    status = request.GET.get("status", "open")
    if status == "open":
        needs = needs.filter(status__in=OPEN_STATUSES)
    elif status in NeedStatus.values:
        needs = needs.filter(status=status)
    page = Paginator(needs.order_by("-pk"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "aid/need_list.html",
        {"page": page, "status": status, "statuses": NeedStatus.choices},
    )


def _report_page(request: HttpRequest, *, report, subject, kind: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    return render(
        request,
        "aid/report.html",
        {
            "report": report,
            "chart": timeline_chart(report.timeline),
            "subject": subject,
            "kind": kind,
        },
    )


def report_organisation(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get_for_user(user=request.user, slug=slug)
    return _report_page(
        request,
        report=aid_report(organisation=organisation),
        subject=organisation,
        kind="organisation",
    )


def report_campaign(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_get_for_user(user=request.user, slug=slug)
    return _report_page(
        request, report=aid_report(campaign=campaign), subject=campaign, kind="campaign"
    )


# The exports are public files fetched by tools without an account, the same for every
# visitor: what an anonymous visitor may see. They are written as the rows are read (one
# query each, on a server-side cursor), so the first bytes leave at once whatever the size.
def export_needs(request: HttpRequest) -> StreamingHttpResponse:
    hxl = request.GET.get("hxl") == "1"
    lines = public_need_lines().iterator(chunk_size=EXPORT_CHUNK)
    return csv_streaming_response(
        needs_rows(lines, hxl=hxl),
        filename="spilka-needs-hxl.csv" if hxl else "spilka-needs.csv",
    )


def export_deliveries(request: HttpRequest) -> StreamingHttpResponse:
    hxl = request.GET.get("hxl") == "1"
    lines = deliveries_queryset(public_handovers()).iterator(chunk_size=EXPORT_CHUNK)
    return csv_streaming_response(
        deliveries_rows(lines, hxl=hxl),
        filename="spilka-deliveries-hxl.csv" if hxl else "spilka-deliveries.csv",
    )
