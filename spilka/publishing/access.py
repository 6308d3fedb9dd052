"""Who may see or change publications, translation tasks, the glossary and resources.

- Publications: anyone sees published ones of organisations they may see; the
  organisation's admins and organisers write; they and its translators see drafts.
- Translation tasks: translators, organisers and admins of the owning organisation see,
  claim and review them; a reviewer is never the task's translator.
- Glossary: any signed-in user reads; organisers and admins of any organisation edit.
- Resources: public with their organisation; its admins and organisers edit.
Not found and not allowed look the same to outsiders (404) where a private thing could
otherwise be probed for.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from spilka.network.access import (
    has_role,
    is_superuser,
    organisation_get_for_user,
    organisation_ids_with_role,
    organisation_visible_q,
    user_roles,
)
from spilka.network.models import Organisation, Role
from spilka.publishing.models import Publication, PublicationStatus, TranslationTask

WRITE_ROLES: frozenset[str] = frozenset({str(Role.ADMIN), str(Role.ORGANISER)})
TRANSLATE_ROLES: frozenset[str] = frozenset(
    {str(Role.ADMIN), str(Role.ORGANISER), str(Role.TRANSLATOR)}
)


# --- Publications ----------------------------------------------------------------------
def publications_visible_to(user: Any) -> QuerySet[Publication]:
    qs = Publication.objects.all()
    if is_superuser(user):
        return qs
    published = Q(status=PublicationStatus.PUBLISHED) & organisation_visible_q(
        user, "organisation__"
    )
    # Drafts: to those who write or translate for the organisation, not to its viewers.
    org_ids = [org_id for org_id, roles in user_roles(user).items() if roles & TRANSLATE_ROLES]
    if not org_ids:
        return qs.filter(published)
    return qs.filter(published | Q(organisation_id__in=org_ids))


def publication_can_write(*, user: Any, publication: Publication) -> bool:
    return has_role(user, publication.organisation, WRITE_ROLES)


def publication_get_for_user(*, user: Any, slug: str, write: bool = False) -> Publication:
    publication = (
        publications_visible_to(user).select_related("organisation").filter(slug=slug).first()
    )
    if publication is None:
        raise Http404
    if write and not publication_can_write(user=user, publication=publication):
        raise PermissionDenied
    return publication


def organisations_publishing(user: Any) -> QuerySet[Organisation]:
    """Organisations in whose name ``user`` may publish."""
    if is_superuser(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisation_ids_with_role(user, WRITE_ROLES))


# --- Translation -----------------------------------------------------------------------
def translation_organisation_ids(user: Any) -> list[int] | None:
    """Organisations whose tasks ``user`` works on; None means all (a verified superuser)."""
    if is_superuser(user):
        return None
    return organisation_ids_with_role(user, TRANSLATE_ROLES)


def tasks_visible_to(user: Any) -> QuerySet[TranslationTask]:
    qs = TranslationTask.objects.all()
    org_ids = translation_organisation_ids(user)
    if org_ids is None:
        return qs
    return qs.filter(organisation_id__in=org_ids)


def task_can_work(*, user: Any, task: TranslationTask) -> bool:
    """May claim, draft and submit (the drafting itself is limited to the claimer)."""
    if is_superuser(user):
        return True
    return task.organisation_id is not None and bool(
        user_roles(user).get(task.organisation_id, set()) & TRANSLATE_ROLES
    )


def task_can_review(*, user: Any, task: TranslationTask) -> bool:
    """May approve, return or publish: a translator or organiser who did not translate it."""
    if not task_can_work(user=user, task=task):
        return False
    return task.translator_id is None or task.translator_id != user.pk


def task_get_for_user(*, user: Any, pk: int) -> TranslationTask:
    task = (
        tasks_visible_to(user)
        .select_related("organisation", "content_type", "claimed_by", "translator", "reviewer")
        .filter(pk=pk)
        .first()
    )
    if task is None or task.item is None:
        raise Http404
    return task


def progress_organisation_get_for_user(*, user: Any, slug: str) -> Organisation:
    return organisation_get_for_user(user=user, slug=slug, roles=TRANSLATE_ROLES)


# --- Glossary --------------------------------------------------------------------------
def glossary_can_edit(user: Any) -> bool:
    if is_superuser(user):
        return True
    return bool(organisation_ids_with_role(user, WRITE_ROLES))


def glossary_require_edit(user: Any) -> None:
    if not glossary_can_edit(user):
        raise PermissionDenied


# --- Resources -------------------------------------------------------------------------
def resources_organisation_get_for_user(
    *, user: Any, slug: str, write: bool = False
) -> Organisation:
    return organisation_get_for_user(user=user, slug=slug, roles=WRITE_ROLES if write else None)
