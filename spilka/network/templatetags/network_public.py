"""``{% load network_public %}``: how public pages name organisations (see network.display)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from spilka.network import display

register = template.Library()


@register.filter
def public_name(organisation: Any) -> str:
    """``{{ org|public_name }}``: the name, or "a partner organisation (not public)"."""
    return display.public_name(organisation)


@register.filter
def public_short_name(organisation: Any) -> str:
    return display.public_short_name(organisation)


@register.filter
def is_public_org(organisation: Any) -> bool:
    return display.organisation_is_public(organisation)


@register.simple_tag
def org_link(organisation: Any) -> str:
    """A link to the organisation's page, or the placeholder text without a link."""
    if organisation is None:
        return ""
    if not display.organisation_is_public(organisation):
        return display.public_name(organisation)
    return format_html(
        '<a href="{}">{}</a>', organisation.get_absolute_url(), display.public_name(organisation)
    )
