"""The pages a person opens on a phone, reversed for the demo network's own objects.

Shared by the phone-width and print tests; nothing here hard-codes an address.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone


def public_paths() -> dict[str, str]:
    """Every kind of public page, one demo object each (language prefix left out)."""
    from spilka.aid.models import Convoy
    from spilka.campaigns.models import Campaign, Petition, Resolution, Statement
    from spilka.events.models import Event
    from spilka.publishing.models import Publication

    petition = Petition.objects.filter(status="open").order_by("pk").first()
    statement = Statement.objects.order_by("pk").first()
    campaign = Campaign.objects.filter(status="active").order_by("pk").first()
    resolution = Resolution.objects.order_by("pk").first()
    event = (
        Event.objects.filter(
            is_public=True, registration_enabled=True, starts_at__gte=timezone.now()
        )
        .order_by("starts_at")
        .first()
    ) or Event.objects.filter(is_public=True).order_by("pk").first()
    publication = Publication.objects.order_by("pk").first()
    convoy = Convoy.objects.exclude(campaign=None).order_by("pk").first()
    org = "num-durham"
    paths = {
        "front page": reverse("front:index"),
        "directory": reverse("network:directory"),
        "network map": reverse("network:network"),
        "organisation": reverse("network:organisation", args=["npgu-pavlohrad"]),
        "campaigns": reverse("campaigns:campaigns"),
        "campaign": reverse("campaigns:campaign", args=[campaign.slug]),
        "petition": reverse("campaigns:petition", args=[petition.slug]),
        "petition thanks": reverse("campaigns:petition_thanks", args=[petition.slug]),
        "statement": reverse("campaigns:statement", args=[statement.slug]),
        "statement print": reverse("campaigns:statement_print", args=[statement.slug]),
        "resolution": reverse("campaigns:resolution", args=[resolution.slug]),
        "events": reverse("events:index"),
        "event archive": reverse("events:archive"),
        "event": reverse("events:event", args=[event.slug]),
        "aid": reverse("aid:index"),
        "aid needs": reverse("aid:needs"),
        "money": reverse("funds:index"),
        "money of an organisation": reverse("funds:organisation", args=[org]),
        "money of a campaign": reverse("funds:campaign", args=[campaign.slug]),
        "publications": reverse("publishing:index"),
        "publication": reverse("publishing:publication", args=[publication.slug]),
        "join form": reverse("outreach:join", args=["ukraine-solidarity-campaign"]),
        "sign in": reverse("accounts:login"),
    }
    if convoy is not None and convoy.campaign is not None:
        paths["aid report"] = reverse("aid:report_campaign", args=[convoy.campaign.slug])
    return paths


def treasurer_paths() -> dict[str, str]:
    """The Durham miners' books as their treasurer (demo login treasurer@num-durham.example)."""
    from spilka.funds.models import Fund

    fund = Fund.objects.filter(organisation__slug="num-durham").order_by("pk").first()
    return {
        "books": reverse("funds:books", args=["num-durham"]),
        "fund": reverse("funds:fund", args=["num-durham", fund.slug]),
        "rates": reverse("funds:rates", args=["num-durham"]),
    }


def organiser_paths() -> dict[str, str]:
    """The main pages of an organiser of the Ukraine Solidarity Campaign (demo login
    organiser@usc.example), and the Durham books seen by its treasurer."""
    from spilka.aid.models import Convoy
    from spilka.campaigns.models import Campaign
    from spilka.events.models import Event

    usc = "ukraine-solidarity-campaign"
    campaign = Campaign.objects.filter(lead_organisation__slug=usc).order_by("pk").first()
    convoy = Convoy.objects.filter(organisation__slug=usc).order_by("pk").first()
    event = Event.objects.filter(organiser__slug=usc).order_by("pk").first()
    paths = {
        "home": reverse("accounts:home"),
        "people": reverse("network:people", args=[usc]),
        "supporters": reverse("outreach:organisation", args=[usc]),
        "campaign": reverse("campaigns:campaign", args=[campaign.slug]),
        "campaign edit": reverse("campaigns:campaign_edit", args=[campaign.slug]),
        "convoys": reverse("aid:convoys"),
        "convoy": reverse("aid:convoy", args=[convoy.pk]),
        "books": reverse("funds:books", args=[usc]),
    }
    if event is not None:
        paths["event manage"] = reverse("events:manage", args=[event.slug])
        paths["attendees"] = reverse("events:attendees", args=[event.slug])
    return paths
