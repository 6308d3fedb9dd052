"""Front-page test data, made through each app's own services (as a person would)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from spilka.aid.models import Item
from spilka.aid.services.needs import need_create
from spilka.campaigns.services.campaigns import campaign_create
from spilka.campaigns.services.petitions import petition_create
from spilka.campaigns.services.statements import statement_create
from spilka.events.services.events import event_create
from spilka.publishing.services.publications import publication_create

BY = "front test"


def campaign(org: Any, slug: str, **fields: Any) -> Any:
    fields = {"status": "active", "title": {"en": f"Campaign {slug}"}, **fields}
    return campaign_create(by=BY, slug=slug, lead_organisation=org, **fields)


def petition(campaign: Any, slug: str, **fields: Any) -> Any:
    fields = {"status": "open", "title": {"en": f"Petition {slug}"}, "goal": 500, **fields}
    return petition_create(
        by=BY,
        campaign=campaign,
        slug=slug,
        target={"en": "The minister"},
        text={"en": "We ask."},
        **fields,
    )


def need(org: Any, title: str, **fields: Any) -> Any:
    fields = {"oblast": "kharkiv", **fields}
    item = Item.objects.order_by("pk").first()
    assert item is not None  # the demo loads items
    return need_create(
        by=BY, organisation=org, title={"en": title}, lines=[(item, Decimal("3"))], **fields
    )


def event(org: Any, slug: str, days: float = 3, **fields: Any) -> Any:
    start = timezone.now() + datetime.timedelta(days=days)
    fields = {
        "kind": "online_forum",
        "title": {"en": f"Event {slug}"},
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "time_zone": "Europe/Kyiv",
        "is_online": True,
        "languages": ["en"],
        "topic": "labour",
        **fields,
    }
    return event_create(by=BY, organiser=org, slug=slug, **fields)


def statement(campaign: Any, slug: str, **fields: Any) -> Any:
    fields = {"status": "open", "published_on": datetime.date(2030, 1, 1), **fields}
    return statement_create(
        by=BY,
        campaign=campaign,
        slug=slug,
        title={"en": f"Statement {slug}"},
        text={"en": "We"},
        **fields,
    )


def publication(org: Any, slug: str, **fields: Any) -> Any:
    fields = {"status": "published", "published_on": datetime.date(2030, 1, 1), **fields}
    return publication_create(
        by=BY,
        organisation=org,
        slug=slug,
        title={"en": f"Publication {slug}"},
        body={"en": "Text"},
        **fields,
    )
