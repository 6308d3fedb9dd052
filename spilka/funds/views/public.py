"""Public pages: the list of transparency pages, each page, and its CSV ledger."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from spilka.campaigns.access import campaign_get_for_user
from spilka.campaigns.models import Campaign, CampaignStatus
from spilka.funds import access
from spilka.funds.charts import month_chart
from spilka.funds.models import Fund
from spilka.funds.selectors.transparency import (
    convoy_costs,
    public_funds,
    public_ledger,
    public_ledger_entries,
    transparency_for,
)
from spilka.lib.csv_safe import csv_cell, csv_streaming_response
from spilka.lib.money import CURRENCIES
from spilka.lib.paging import page_of
from spilka.lib.translated import pick
from spilka.network.access import organisation_get_for_user
from spilka.network.models import Organisation

RECENT = 25
INDEX_PER_PAGE = 50


def index(request: HttpRequest) -> HttpResponse:
    # Both lists grow with the network (300 organisations and 100 campaigns at 100x the
    # demo): paged, with only the columns a line shows.
    organisations = (
        Organisation.objects.filter(is_public=True)
        .filter(Exists(Fund.objects.filter(organisation=OuterRef("pk"), is_public=True)))
        .only("slug", "name", "original_language")
        .order_by("slug")
    )
    campaigns = (
        Campaign.objects.filter(is_public=True)
        .exclude(status=CampaignStatus.DRAFT)
        .filter(Exists(Fund.objects.filter(campaign=OuterRef("pk"), is_public=True)))
        .only("slug", "title", "original_language")
        .order_by("slug")
    )
    books = list(access.organisations_treasured_by(request.user).order_by("slug"))
    claims = [
        org
        for org in access.organisations_claimable_by(request.user).order_by("slug")
        if org not in books
    ]
    return render(
        request,
        "funds/index.html",
        {
            "organisations": page_of(request, organisations, INDEX_PER_PAGE),
            "campaigns": page_of(request, campaigns, INDEX_PER_PAGE, param="campaigns_page"),
            "books": books,
            "claim_orgs": claims,
        },
    )


def _currency(request: HttpRequest, default: str) -> str:
    wanted = request.GET.get("currency", "")
    return wanted if wanted in CURRENCIES else default


def _page(
    request: HttpRequest, *, funds: list[Any], title: str, subject: Any, csv_url: str
) -> HttpResponse:
    default = funds[0].currency if funds else "GBP"
    report = transparency_for(funds, currency=_currency(request, default))
    recent = list(public_ledger(funds)[:RECENT])
    return render(
        request,
        "funds/transparency.html",
        {
            "title": title,
            "subject": subject,
            "report": report,
            "chart": month_chart(report.months),
            "recent": recent,
            "convoys": convoy_costs(funds),
            "currencies": CURRENCIES,
            "csv_url": csv_url,
        },
    )


def organisation_page(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_get_for_user(user=request.user, slug=org)
    if not organisation.is_public:
        # Private organisations have no public books, whoever looks.
        raise Http404
    funds = list(public_funds(organisation=organisation))
    return _page(
        request,
        funds=funds,
        title=pick(organisation.name).text,
        subject=organisation,
        csv_url=reverse("funds:ledger_csv", kwargs={"org": org}),
    )


def campaign_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_get_for_user(user=request.user, slug=slug)
    if not campaign.is_visible_publicly:
        raise Http404
    funds = list(public_funds(campaign=campaign))
    return _page(
        request,
        funds=funds,
        title=str(campaign),
        subject=campaign,
        csv_url=reverse("funds:campaign_csv", kwargs={"slug": slug}),
    )


def _csv(funds: list[Any], filename: str) -> StreamingHttpResponse:
    header = [
        "date",
        "fund",
        "kind",
        "category",
        "partner",
        "donor",
        "description",
        "amount",
        "currency",
        "reporting_amount",
        "reporting_currency",
        "rate",
        "rate_date",
        "rate_source",
        "reverses",
    ]

    def rows() -> Any:
        yield header
        for entry in public_ledger_entries(funds):
            text = [
                csv_cell(v)
                for v in (
                    entry.occurred_on,
                    entry.fund,
                    entry.kind,
                    entry.category,
                    entry.partner,
                    entry.donor or ("anonymous" if entry.kind == "donation" else ""),
                    entry.description,
                )
            ]
            # Numbers the ledger computed are written as numbers: a minus sign is no formula.
            numbers = [
                entry.amount,
                entry.currency,
                entry.reporting_amount,
                entry.reporting_currency,
                entry.rate,
            ]
            tail = [csv_cell(entry.rate_date), csv_cell(entry.rate_source), entry.reverses_id or ""]
            yield text + numbers + tail

    return csv_streaming_response(rows(), filename=filename)


def organisation_csv(request: HttpRequest, org: str) -> StreamingHttpResponse:
    organisation = organisation_get_for_user(user=request.user, slug=org)
    if not organisation.is_public:
        raise Http404
    return _csv(list(public_funds(organisation=organisation)), f"{organisation.slug}-ledger.csv")


def campaign_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    campaign = campaign_get_for_user(user=request.user, slug=slug)
    if not campaign.is_visible_publicly:
        raise Http404
    return _csv(list(public_funds(campaign=campaign)), f"{campaign.slug}-ledger.csv")
