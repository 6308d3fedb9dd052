"""Writing publications: create, edit (which may leave translations needing edits), pictures."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from spilka.lib.audit import audit_record, snapshot
from spilka.network.models import Organisation
from spilka.publishing.images import image_reencode
from spilka.publishing.models import (
    Publication,
    PublicationImage,
    PublicationStatus,
    Tag,
)
from spilka.publishing.services.translation_sources import translation_tasks_ensure
from spilka.webhooks import payloads
from spilka.webhooks.services import webhook_emit

MAX_TAGS = 12
TEXT_FIELDS = ("title", "summary", "body")


def tags_parse(text: str) -> list[str]:
    """``"Miners, Trade unions"`` → ``["miners", "trade-unions"]`` (at most a dozen)."""
    slugs: list[str] = []
    for part in re.split(r"[,\n]", text or ""):
        slug = slugify(part.strip(), allow_unicode=True)[:50]
        if slug and slug not in slugs:
            slugs.append(slug)
    if len(slugs) > MAX_TAGS:
        raise ValidationError(
            {"tags": _("At most %(count)d tags.") % {"count": MAX_TAGS}}, code="too_many_tags"
        )
    return slugs


def _set_tags(publication: Publication, slugs: list[str] | None) -> None:
    if slugs is None:
        return
    tags = [Tag.objects.get_or_create(slug=slug)[0] for slug in slugs]
    publication.tags.set(tags)


def _snapshot(publication: Publication) -> dict[str, Any]:
    return {
        **snapshot(publication),
        "tags": sorted(publication.tags.values_list("slug", flat=True)),
    }


@transaction.atomic
def publication_create(
    *,
    by: Any,
    organisation: Organisation,
    slug: str,
    title: dict[str, str],
    body: dict[str, str],
    tags: list[str] | None = None,
    **fields: Any,
) -> Publication:
    publication = Publication(
        organisation=organisation,
        slug=slug,
        title=title,
        body=body,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        **fields,
    )
    if publication.status == PublicationStatus.PUBLISHED and not publication.published_on:
        publication.published_on = timezone.localdate()
    publication.full_clean()
    _require_original(publication)
    publication.save()
    _set_tags(publication, tags)
    audit_record(
        actor=by,
        action="publishing.publication.created",
        obj=publication,
        organisation=organisation,
        after=_snapshot(publication),
    )
    if publication.status == PublicationStatus.PUBLISHED:
        webhook_emit(
            organisation=organisation,
            event="publication.published",
            data=payloads.publication(publication),
        )

    translation_tasks_ensure(obj=publication, by=by)
    return publication


def _require_original(publication: Publication) -> None:
    lang = publication.original_language
    if not publication.title.get(lang) or not publication.body.get(lang):
        raise ValidationError(
            _("Give the title and the text in the original language."), code="original_missing"
        )


@transaction.atomic
def publication_update(
    *,
    publication: Publication,
    by: Any,
    tags: list[str] | None = None,
    original: dict[str, str] | None = None,
    **fields: Any,
) -> Publication:
    """Change a publication; ``original`` holds new original-language texts by field.

    ``original`` is merged into the maps read under the row lock, so a translation
    published while the author had the form open is kept (passing whole maps built from
    an object read earlier would write the old maps back over it).
    """
    publication = Publication.objects.select_for_update(of=("self",)).get(pk=publication.pk)
    before = _snapshot(publication)
    for name, value in fields.items():
        setattr(publication, name, value)
    unknown = set(original or {}) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Not a text of a publication: {sorted(unknown)}")
    lang = publication.original_language
    for name, text in (original or {}).items():
        values = dict(getattr(publication, name) or {})
        if text:
            values[lang] = text
        else:
            values.pop(lang, None)
        setattr(publication, name, values)
    if publication.status == PublicationStatus.PUBLISHED and not publication.published_on:
        publication.published_on = timezone.localdate()
    publication.full_clean()
    _require_original(publication)
    publication.save()
    _set_tags(publication, tags)
    after = _snapshot(publication)
    if before["status"] != after["status"] == PublicationStatus.PUBLISHED:
        webhook_emit(
            organisation=publication.organisation_id,
            event="publication.published",
            data=payloads.publication(publication),
        )
    if before != after:
        audit_record(
            actor=by,
            action="publishing.publication.updated",
            obj=publication,
            organisation=publication.organisation,
            before=before,
            after=after,
        )

    # An edited original leaves translations made from the old text needing edits.
    translation_tasks_ensure(obj=publication, by=by)
    return publication


@transaction.atomic
def publication_image_add(
    *, publication: Publication, by: Any, upload: UploadedFile
) -> PublicationImage:
    content, width, height = image_reencode(upload)
    image = PublicationImage(publication=publication, width=width, height=height)
    image.image.save(content.name or "", content, save=False)  # image_reencode names it
    image.save()
    audit_record(
        actor=by,
        action="publishing.image.added",
        obj=image,
        organisation=publication.organisation,
        after={"publication": publication.pk, "image": image.image.name},
    )
    return image
