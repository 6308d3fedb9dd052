"""Which organisations a form may offer: ``organisations_pickable_for`` and its service twin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from spilka.network import services
from spilka.network.selectors import organisations_check_pickable, organisations_pickable_for

pytestmark = pytest.mark.django_db


def _private(slug: str):
    return services.organisation_create(
        by="test setup",
        slug=slug,
        name={"en": f"Hidden {slug}"},
        kind="campaign",
        country="UA",
        is_public=False,
    )


def test_anonymous_visitors_may_pick_only_public_organisations(demo):
    pickable = organisations_pickable_for(user=AnonymousUser(), purpose="signatory")
    assert not pickable.filter(is_public=False).exists()
    assert pickable.filter(slug="razem").exists()


def test_a_private_organisation_is_pickable_only_by_its_people_and_confirmed_partners(
    demo, usc_admin, razem_organiser
):
    hidden = _private("hidden-partner")
    assert not organisations_pickable_for(user=usc_admin).filter(pk=hidden.pk).exists()
    # Said by USC alone, the link does not make the partner pickable.
    link = services.relationship_create(
        by="test setup", source=demo["ukraine-solidarity-campaign"], target=hidden, kind="supports"
    )
    assert not organisations_pickable_for(user=usc_admin).filter(pk=hidden.pk).exists()
    services.relationship_confirm(relationship=link, by="test setup")
    assert organisations_pickable_for(user=usc_admin).filter(pk=hidden.pk).exists()
    # Someone of an organisation with no such link still cannot pick it.
    assert not organisations_pickable_for(user=razem_organiser).filter(pk=hidden.pk).exists()
    services.role_grant(by="test setup", user=razem_organiser, organisation=hidden, role="viewer")
    razem_organiser._spilka_roles = None
    assert organisations_pickable_for(user=razem_organiser).filter(pk=hidden.pk).exists()


def test_services_refuse_a_private_organisation_that_the_user_may_not_pick(demo, usc_admin):
    hidden = _private("hidden-partner")
    with pytest.raises(ValidationError) as refused:
        organisations_check_pickable(user=usc_admin, organisations=[hidden], field="partner")
    assert "partner" in refused.value.message_dict
    # One already linked before stays: editing the record does not fail on it.
    organisations_check_pickable(
        user=usc_admin, organisations=[hidden], field="partner", already=[hidden]
    )


def test_a_relationship_to_a_private_organisation_is_refused_to_an_outsider(demo, usc_admin):
    hidden = _private("hidden-partner")
    with pytest.raises(ValidationError):
        services.relationship_create(
            by=usc_admin,
            source=demo["ukraine-solidarity-campaign"],
            target=hidden,
            kind="supports",
        )
