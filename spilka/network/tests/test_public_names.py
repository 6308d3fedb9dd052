"""How public pages name organisations: ``network.display`` and its template filter."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from spilka.network import services
from spilka.network.display import public_name

pytestmark = pytest.mark.django_db


def test_a_private_organisation_is_named_only_as_a_partner_in_every_language(demo):
    hidden = services.organisation_create(
        by="test setup",
        slug="hidden-partner",
        name={"en": "Hidden Partner", "uk": "Прихований партнер"},
        kind="campaign",
        country="UA",
        is_public=False,
    )
    template = Template("{% load network_public %}{{ org|public_name }}|{% org_link org %}")
    for language in ("en", "uk", "pl", "ru"):
        with translation.override(language):
            shown = template.render(Context({"org": hidden}))
            assert "Hidden" not in shown and "Прихований" not in shown
            assert "hidden-partner" not in shown
            assert public_name(hidden) in shown
    assert public_name(hidden) == "a partner organisation (not public)"


def test_a_public_organisation_keeps_its_name_and_link(demo):
    razem = demo["razem"]
    shown = Template("{% load network_public %}{% org_link org %}").render(Context({"org": razem}))
    assert razem.get_absolute_url() in shown and razem.display_name in shown
