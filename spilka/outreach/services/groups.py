"""Tags and lists: making them, and who carries them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from spilka.lib.audit import audit_record
from spilka.network.models import Organisation
from spilka.outreach.models import Supporter, SupporterList, Tag


@transaction.atomic
def tag_create(*, organisation: Organisation, name: str, by: Any, reuse: bool = False) -> Tag:
    """Add the organisation's tag ``name``. With ``reuse``, a tag of that name already there
    is returned as it is (the API's POST is idempotent); without, the name must be new."""
    name = name.strip()
    if reuse and (tag := Tag.objects.filter(organisation=organisation, name=name).first()):
        return tag
    tag = Tag(organisation=organisation, name=name)
    tag.full_clean()
    tag.save()
    audit_record(actor=by, action="outreach.tag.created", obj=tag, organisation=organisation)
    return tag


@transaction.atomic
def list_create(
    *, organisation: Organisation, name: str, description: str = "", by: Any
) -> SupporterList:
    supporter_list = SupporterList(
        organisation=organisation, name=name.strip(), description=description.strip()
    )
    supporter_list.full_clean()
    supporter_list.save()
    audit_record(
        actor=by, action="outreach.list.created", obj=supporter_list, organisation=organisation
    )
    return supporter_list


@transaction.atomic
def supporter_set_groups(
    *, supporter: Supporter, tags: list[Tag], lists: list[SupporterList], by: Any
) -> Supporter:
    """Replace a supporter's tags and lists (all must belong to the supporter's organisation)."""
    groups: list[Tag | SupporterList] = [*tags, *lists]
    for group in groups:
        if group.organisation_id != supporter.organisation_id:
            raise ValidationError(_("That tag or list belongs to another organisation."))
    before = {
        "tags": sorted(supporter.tags.values_list("pk", flat=True)),
        "lists": sorted(supporter.lists.values_list("pk", flat=True)),
    }
    supporter.tags.set(tags)
    supporter.lists.set(lists)
    after = {"tags": sorted(t.pk for t in tags), "lists": sorted(sl.pk for sl in lists)}
    if before != after:
        audit_record(
            actor=by,
            action="outreach.supporter.groups_changed",
            obj=supporter,
            organisation=supporter.organisation,
            before=before,
            after=after,
        )
    return supporter


@transaction.atomic
def supporter_add_tag(*, supporter: Supporter, tag: Tag, by: Any) -> bool:
    """Tag the supporter (through ``supporter_set_groups``); False if already tagged."""
    tags = list(supporter.tags.all())
    if any(t.pk == tag.pk for t in tags):
        return False
    supporter_set_groups(
        supporter=supporter, tags=[*tags, tag], lists=list(supporter.lists.all()), by=by
    )
    return True


@transaction.atomic
def supporter_remove_tag(*, supporter: Supporter, tag: Tag, by: Any) -> None:
    tags = [t for t in supporter.tags.all() if t.pk != tag.pk]
    supporter_set_groups(supporter=supporter, tags=tags, lists=list(supporter.lists.all()), by=by)
