"""An organisation's resources page: a curated, ordered list of links."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from spilka.lib.audit import audit_record, snapshot
from spilka.network.models import Organisation
from spilka.publishing.models import ResourceLink


@transaction.atomic
def resource_link_create(
    *, by: Any, organisation: Organisation, label: dict[str, str], url: str, kind: str
) -> ResourceLink:
    last = ResourceLink.objects.filter(organisation=organisation).aggregate(m=Max("position"))["m"]
    link = ResourceLink(
        organisation=organisation,
        label=label,
        url=url,
        kind=kind,
        position=(last or 0) + 10,
        original_language=organisation.original_language,
    )
    link.full_clean()
    link.save()
    audit_record(
        actor=by,
        action="publishing.resource.created",
        obj=link,
        organisation=organisation,
        after=snapshot(link),
    )
    return link


@transaction.atomic
def resource_link_update(*, link: ResourceLink, by: Any, **fields: Any) -> ResourceLink:
    link = ResourceLink.objects.select_for_update().get(pk=link.pk)
    before = snapshot(link)
    for name, value in fields.items():
        setattr(link, name, value)
    link.full_clean()
    link.save()
    audit_record(
        actor=by,
        action="publishing.resource.updated",
        obj=link,
        organisation=link.organisation,
        before=before,
        after=snapshot(link),
    )
    return link


@transaction.atomic
def resource_link_delete(*, link: ResourceLink, by: Any) -> None:
    audit_record(
        actor=by,
        action="publishing.resource.deleted",
        obj=link,
        organisation=link.organisation,
        before=snapshot(link),
    )
    link.delete()


@transaction.atomic
def resource_link_move(*, link: ResourceLink, by: Any, up: bool) -> None:
    """Swap the link with its neighbour above (or below), renumbering the list."""
    links = list(
        ResourceLink.objects.select_for_update().filter(organisation_id=link.organisation_id)
    )
    index = next(i for i, item in enumerate(links) if item.pk == link.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(links):
        links[index], links[other] = links[other], links[index]
    for position, item in enumerate(links):
        if item.position != (position + 1) * 10:
            item.position = (position + 1) * 10
            item.save(update_fields=["position"])
    audit_record(
        actor=by,
        action="publishing.resource.moved",
        obj=link,
        organisation=link.organisation,
        after={"order": [item.pk for item in links]},
    )
