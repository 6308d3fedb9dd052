"""The API's routes as the router has them, with the models their ids and parents come from.

Shared by the API isolation sweep and the schema property tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model

# Nested collections name their parent by a URL group; where its ids come from:
PARENT_MODELS = {
    "petition_pk": "campaigns.Petition",
    "event_pk": "events.Event",
    "fund_pk": "funds.Fund",
    "campaign_pk": "campaigns.Campaign",
    "resolution_pk": "campaigns.Resolution",
    "statement_pk": "campaigns.Statement",
    "bill_pk": "campaigns.Bill",
    "need_pk": "aid.Need",
    "convoy_pk": "aid.Convoy",
    "organisation_pk": "network.Organisation",
    "publication_pk": "publishing.Publication",
    "person_pk": "outreach.Supporter",
    "tag_pk": "outreach.Tag",
    "list_pk": "outreach.SupporterList",
}
PARENT = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass
class Route:
    prefix: str  # the router's prefix, perhaps with a nested (?P<x_pk>...) group
    basename: str
    model: type[Model] | None
    detail: bool
    parents: list[str]


def _model_of(viewset: type) -> type[Model] | None:
    queryset = getattr(viewset, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(viewset, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def routes() -> list[Route]:
    from spilka.api.routes import router

    found = []
    for prefix, viewset, basename in router.registry:
        detail = any(
            hasattr(viewset, name) for name in ("retrieve", "update", "partial_update", "destroy")
        )
        found.append(
            Route(
                prefix=prefix,
                basename=basename,
                model=_model_of(viewset),
                detail=detail,
                parents=[match.group("name") for match in PARENT.finditer(prefix)],
            )
        )
    return found


def model_for(label: str) -> type[Model]:
    return apps.get_model(label)
