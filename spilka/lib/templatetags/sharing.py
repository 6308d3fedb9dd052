"""``{% share_tags "petition" petition %}``: link-preview tags for a public page."""

from __future__ import annotations

from typing import Any

from django import template

from spilka.lib.sharing import share_meta

register = template.Library()


@register.inclusion_tag("includes/share_tags.html", takes_context=True)
def share_tags(context: Any, kind: str, obj: Any) -> dict[str, Any]:
    request = context.get("request")
    return {"share": share_meta(request, kind, obj) if request is not None else None}
