"""What the API writes about supporters, through the outreach services the web uses.

The person signup helper records the person as the web records an organiser-entered
action: a consent nobody confirmed subscribes no one. A new (or never-asked) address is
mailed the sign-up confirmation (``signup_request``'s double opt-in) and becomes subscribed
only when its owner presses the button; an address that unsubscribed, bounced or complained
is not asked again, and nothing here changes its status.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from spilka.lib.audit import audit_record
from spilka.lib.supporters import SupporterAction, supporter_action_announce
from spilka.network.models import Organisation
from spilka.outreach.forms import signup_wording
from spilka.outreach.models import Supporter, SupporterStatus, Tag
from spilka.outreach.services.supporters import supporter_set_groups, tag_create


def tag_get_or_create(*, organisation: Organisation, name: str, by: Any) -> tuple[Tag, bool]:
    tag = Tag.objects.filter(organisation=organisation, name=name.strip()).first()
    if tag is not None:
        return tag, False
    return tag_create(organisation=organisation, name=name, by=by), True


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


@transaction.atomic
def person_signup(
    *,
    organisation: Organisation,
    email: str,
    name: str,
    language: str,
    country: str,
    wants_updates: bool,
    tags: list[str],
    by: Any,
    via: str,
) -> tuple[Supporter, bool]:
    """Record (or match by address) the organisation's supporter, tag them, and, if they
    want updates, ask them by mail to confirm. Returns the supporter and whether it is new."""
    before = Supporter.objects.filter(organisation=organisation, email=email).first()
    supporter_action_announce(
        SupporterAction(
            organisation_id=organisation.pk,
            email=email,
            name=name,
            language=language,
            country=country,
            kind="signed_up",
            object_key=f"api.key:{via}"[:100],
            object_label="API",
            occurred_at=timezone.now(),
            consented_to_updates=wants_updates,
            consent_wording=signup_wording(organisation) if wants_updates else "",
            confirmed_by_owner=False,  # only the address owner's click confirms
        )
    )
    supporter = Supporter.objects.get(organisation=organisation, email=email)
    added = []
    for tag_name in tags:
        tag, _new = tag_get_or_create(organisation=organisation, name=tag_name, by=by)
        if supporter_add_tag(supporter=supporter, tag=tag, by=by):
            added.append(tag.name)
    audit_record(
        actor=by,
        action="outreach.supporter.recorded_via_api",
        obj=supporter,
        organisation=organisation,
        before={"status": before.status} if before else None,
        after={
            "status": supporter.status,
            "new": before is None,
            "confirmation_asked": wants_updates and supporter.status == SupporterStatus.NO_CONSENT,
            "tags_added": added,
            "api_key": via,
        },
    )
    return supporter, before is None
