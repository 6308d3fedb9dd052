from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from spilka.campaigns import access, selectors


def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = access.campaigns_visible_to(request.user).select_related("lead_organisation")
    page = Paginator(campaigns, 25).get_page(request.GET.get("page"))
    can_start = (
        request.user.is_authenticated
        and access.organisations_running_campaigns(request.user).exists()
    )
    return render(request, "campaigns/campaign_list.html", {"page": page, "can_start": can_start})


def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = access.campaign_get_for_user(user=request.user, slug=slug)
    context = {
        "campaign": campaign,
        **selectors.campaign_actions(campaign=campaign, user=request.user),
    }
    return render(request, "campaigns/campaign_detail.html", context)
