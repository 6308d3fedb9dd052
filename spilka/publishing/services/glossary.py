"""The network's glossary: agreed renderings of names and terms, kept by organisers.

Who may edit is decided by the views (``access.glossary_require_edit``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from spilka.lib.audit import audit_record, snapshot
from spilka.publishing.models import GlossaryTerm


@transaction.atomic
def glossary_term_create(
    *, by: Any, renderings: dict[str, str], note: dict[str, str] | None = None
) -> GlossaryTerm:
    term = GlossaryTerm(renderings=renderings, note=note or {})
    term.full_clean()
    term.save()
    audit_record(actor=by, action="publishing.glossary.created", obj=term, after=snapshot(term))
    return term


@transaction.atomic
def glossary_term_update(*, term: GlossaryTerm, by: Any, **fields: Any) -> GlossaryTerm:
    term = GlossaryTerm.objects.select_for_update().get(pk=term.pk)
    before = snapshot(term)
    for name, value in fields.items():
        setattr(term, name, value)
    term.full_clean()
    term.save()
    audit_record(
        actor=by,
        action="publishing.glossary.updated",
        obj=term,
        before=before,
        after=snapshot(term),
    )
    return term


@transaction.atomic
def glossary_term_delete(*, term: GlossaryTerm, by: Any) -> None:
    audit_record(actor=by, action="publishing.glossary.deleted", obj=term, before=snapshot(term))
    term.delete()
