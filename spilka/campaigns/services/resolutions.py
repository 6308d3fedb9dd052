"""Model resolutions, their versions, and each body's progress towards adopting one.

One adoption row per (resolution, body) holds the current state; every reported step also
writes an ``AdoptionUpdate`` (the history and the timeline) and an audit row, in the same
transaction. A report that changes what was verified clears the verification: an organiser
has to look again, so a body cannot quietly change a verified record.
"""

from __future__ import annotations

import datetime
import secrets
import zipfile
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from spilka.campaigns.models import (
    Adoption,
    AdoptionStatus,
    AdoptionUpdate,
    Campaign,
    Resolution,
    ResolutionVersion,
)
from spilka.lib.audit import audit_record, snapshot
from spilka.lib.languages import LANGUAGE_NAMES, WORKING_LANGUAGE_CODES
from spilka.lib.slugs import slug_from
from spilka.network.models import Organisation
from spilka.network.models.organisations import RESERVED_SLUGS
from spilka.network.selectors import organisations_check_pickable
from spilka.network.services import organisation_create
from spilka.webhooks import payloads
from spilka.webhooks.services import webhook_emit

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Extension -> what the first bytes must be. The stored name gets the canonical extension.
EVIDENCE_EXTENSIONS = {
    ".pdf": "pdf",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
    ".odt": "odt",
    ".docx": "docx",
}
CANONICAL_EXTENSION = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "odt": ".odt", "docx": ".docx"}
AMENDED_TEXT_MAX = 30000
EARLIEST_MEETING = datetime.date(1990, 1, 1)
# Steps that happen at a meeting: their date cannot be in the future.
DECIDED_STATUSES = frozenset(
    {
        AdoptionStatus.DEBATED,
        AdoptionStatus.ADOPTED,
        AdoptionStatus.ADOPTED_AMENDED,
        AdoptionStatus.REJECTED,
    }
)
# What an organiser verified; changing any of it clears the verification.
VERIFIED_FIELDS = ("status", "meeting_date", "amended_text", "evidence_url", "evidence_file")
ADOPTION_FIELDS = (*VERIFIED_FIELDS, "version_id", "note")


def _user_or_none(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


# --- Resolutions and versions ---------------------------------------------------------


def _require_original(values: dict[str, str], language: str, field: str) -> None:
    if not (values or {}).get(language, "").strip():
        message = _("Give the text in %(language)s, the original language.")
        params = {"language": LANGUAGE_NAMES.get(language, language)}
        raise ValidationError({field: ValidationError(message, params=params)})


@transaction.atomic
def resolution_create(
    *,
    by: Any,
    campaign: Campaign,
    slug: str,
    title: dict[str, str],
    text: dict[str, str],
    original_language: str = "en",
    is_public: bool = True,
    note: str = "",
) -> Resolution:
    """A new model resolution with its first version."""
    _require_original(title, original_language, "title")
    _require_original(text, original_language, "text")
    resolution = Resolution(
        campaign=campaign,
        slug=slug,
        title=title,
        original_language=original_language,
        is_public=is_public,
    )
    resolution.full_clean()
    resolution.save()
    audit_record(
        actor=by,
        action="campaigns.resolution.created",
        obj=resolution,
        organisation=campaign.lead_organisation,
        after=snapshot(resolution),
    )
    resolution_version_add(by=by, resolution=resolution, text=text, note=note)
    return resolution


@transaction.atomic
def resolution_version_add(
    *, by: Any, resolution: Resolution, text: dict[str, str], note: str = ""
) -> ResolutionVersion:
    """The next version of the text; earlier adoptions keep pointing at theirs."""
    # The lock on the resolution numbers versions one at a time.
    locked = (
        Resolution.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .get(pk=resolution.pk)
    )
    _require_original(text, locked.original_language, "text")
    number = (locked.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = ResolutionVersion(
        resolution=locked,
        number=number,
        text=text,
        note=note.strip(),
        created_by=_user_or_none(by),
    )
    version.full_clean()
    version.save()
    audit_record(
        actor=by,
        action="campaigns.resolution.version_added",
        obj=version,
        organisation=locked.campaign.lead_organisation,
        after=snapshot(version),
    )
    return version


# --- Bodies ---------------------------------------------------------------------------


def _free_slug(name: str) -> str:
    """An address for a body added from a report: the name and a random tail, always.

    A numbered tail ("-2") would say that another organisation, perhaps a private one,
    already has the plain address.
    """
    base = slug_from(name, max_length=60, fallback="body")
    while True:
        slug = f"{base}-{secrets.token_hex(3)}"
        if slug not in RESERVED_SLUGS and not Organisation.objects.filter(slug=slug).exists():
            return slug


def body_find_by_name(*, name: str, country: str) -> Organisation | None:
    """A public organisation already in the directory with this name (any language) and
    country. Private ones are never matched: the answer must not say that one exists."""
    wanted = " ".join(name.split()).casefold()
    found = Organisation.objects.filter(is_public=True, country=country)
    for org in found.filter(search_text__contains=wanted):
        names = [*org.name.values(), org.short_name]
        if any(" ".join(n.split()).casefold() == wanted for n in names if n):
            return org
    return None


@transaction.atomic
def adoption_body_create(
    *,
    by: Any,
    name: str,
    country: str,
    kind: str = "union_branch",
    language: str = "en",
    city: str = "",
    slug: str = "",
) -> Organisation:
    """A body not yet in the directory, added as a public organisation to report on.

    ``slug`` is for curated data (the demo); a report gets a random tail (``_free_slug``).
    """
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"new_body_name": _("Give the body's name.")})
    if body_find_by_name(name=name, country=country) is not None:
        raise ValidationError(
            {
                "new_body_name": _(
                    "An organisation with this name is already in the directory: choose it from the list."
                )
            }
        )
    try:
        return organisation_create(
            by=by,
            slug=slug or _free_slug(name),
            name={language: name},
            original_language=language,
            kind=kind,
            country=country,
            city=city,
            languages=[language] if language in WORKING_LANGUAGE_CODES else [],
            is_public=True,
        )
    except ValidationError as error:
        # The directory's field names mean nothing on the report form.
        fields = {"name": "new_body_name", "country": "new_body_country", "kind": "new_body_kind"}
        if hasattr(error, "error_dict"):
            raise ValidationError(
                {fields.get(k, "__all__"): v for k, v in error.error_dict.items()}
            ) from error
        raise


# --- Evidence -------------------------------------------------------------------------


def _sniff(file: Any) -> str | None:
    """What the file really is, from its first bytes (and, for zips, its contents)."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            info = archive.getinfo("mimetype") if "mimetype" in names else None
            # Read the small "mimetype" entry only: never inflate anything large.
            if (
                info is not None
                and info.file_size < 100
                and archive.read(info) == b"application/vnd.oasis.opendocument.text"
            ):
                return "odt"
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return "docx"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        file.seek(0)
    return None


def validate_evidence_file(file: UploadedFile) -> str:
    """Refuse files over 10 MB or not PDF, JPEG, PNG, ODT or DOCX; the extension to store under."""
    if file.size is not None and file.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(size)d MB."),
            code="too_large",
            params={"size": EVIDENCE_MAX_BYTES // (1024 * 1024)},
        )
    expected = EVIDENCE_EXTENSIONS.get(PurePath(file.name or "").suffix.lower())
    actual = _sniff(file)
    if expected is None or actual != expected:
        raise ValidationError(
            _("Upload the minutes as a PDF, JPEG, PNG, ODT or DOCX file."), code="file_type"
        )
    return CANONICAL_EXTENSION[actual]


# --- Adoptions ------------------------------------------------------------------------


def _validate_report(
    *, resolution: Resolution, status: str, meeting_date: Any, amended_text: str, version: Any
) -> None:
    errors: dict[str, Any] = {}
    if status not in AdoptionStatus.values:
        errors["status"] = _("Unknown status.")
    if meeting_date is not None:
        if status in DECIDED_STATUSES and meeting_date > timezone.localdate():
            errors["meeting_date"] = _(
                "A meeting that has already decided cannot be in the future."
            )
        elif meeting_date < EARLIEST_MEETING:
            errors["meeting_date"] = _("That date is too long ago: check the year.")
    if len(amended_text) > AMENDED_TEXT_MAX:
        errors["amended_text"] = ValidationError(
            _("The amended text is %(length)d characters long; the limit is %(limit)d."),
            params={"length": len(amended_text), "limit": AMENDED_TEXT_MAX},
        )
    if version is not None and version.resolution_id != resolution.pk:
        errors["version"] = _("That version belongs to another resolution.")
    if errors:
        raise ValidationError(errors)


def _state(adoption: Adoption) -> dict[str, Any]:
    return snapshot(adoption, [*ADOPTION_FIELDS, "verified_by_id", "verified_at"])


def _adoption_for_update(resolution: Resolution, body: Organisation) -> tuple[Adoption, bool]:
    """The body's adoption, locked; created when this is the body's first report.

    Two first reports at once: the second insert waits for the first, fails on the unique
    constraint, and then reports on the row the first one made.
    """
    qs = Adoption.objects.select_for_update(of=("self",)).filter(resolution=resolution, body=body)
    adoption = qs.first()
    if adoption is not None:
        return adoption, False
    try:
        with transaction.atomic():
            return Adoption.objects.create(resolution=resolution, body=body), True
    except IntegrityError:
        return qs.get(), False


@transaction.atomic
def adoption_report(
    *,
    by: Any,
    resolution: Resolution,
    body: Organisation,
    status: str,
    meeting_date: datetime.date | None = None,
    amended_text: str | None = None,
    evidence_url: str | None = None,
    evidence_file: UploadedFile | None = None,
    note: str | None = None,
    version: ResolutionVersion | None = None,
) -> Adoption:
    """Record where ``body`` is with ``resolution``.

    ``status`` and ``meeting_date`` are always set; for the other fields ``None`` keeps
    what was there.
    The first report creates the body's adoption (against the latest version unless told
    otherwise); later ones update it. Nothing is written when nothing changed.
    """
    if not body.is_public:
        # Adoptions are shown publicly: a body is a public organisation.
        raise ValidationError({"body": _("Choose a body from the list.")}, code="not_pickable")
    organisations_check_pickable(user=by, organisations=[body], field="body", purpose="body")
    adoption, created = _adoption_for_update(resolution, body)
    if created:
        version = version or resolution.versions.order_by("-number").first()
    before = None if created else _state(adoption)
    _validate_report(
        resolution=resolution,
        status=status,
        meeting_date=meeting_date,
        amended_text=(amended_text or "").strip(),
        version=version,
    )
    adoption.status = status
    adoption.meeting_date = meeting_date
    if amended_text is not None:
        adoption.amended_text = amended_text.strip()
    if evidence_url is not None:
        adoption.evidence_url = evidence_url.strip()
    if note is not None:
        adoption.note = note.strip()
    if version is not None:
        adoption.version = version
    if evidence_file is not None:
        extension = validate_evidence_file(evidence_file)
        # A random name: the uploader's file name may carry personal data or be guessable.
        evidence_file.name = secrets.token_hex(16) + extension
        adoption.evidence_file = evidence_file
    after = _state(adoption)
    if before is not None and before == after:
        return adoption
    if before is not None and any(before[name] != after[name] for name in VERIFIED_FIELDS):
        adoption.verified_by = None
        adoption.verified_at = None
    adoption.reported_by = _user_or_none(by)
    adoption.reported_at = timezone.now()
    adoption.full_clean()
    adoption.save()
    AdoptionUpdate.objects.create(
        adoption=adoption,
        status=adoption.status,
        meeting_date=adoption.meeting_date,
        reported_by=adoption.reported_by,
    )
    audit_record(
        actor=by,
        action="campaigns.adoption.reported",
        obj=adoption,
        organisation=resolution.campaign.lead_organisation,
        before=before,
        after={**_state(adoption), "body": body.pk, "resolution": resolution.pk},
    )
    return adoption


@transaction.atomic
def adoption_verify(*, by: Any, adoption: Adoption) -> Adoption:
    """An organiser confirms the report (minutes seen, or the body asked). Idempotent."""
    locked = (
        Adoption.objects.select_for_update(of=("self",))
        .select_related("resolution__campaign__lead_organisation", "body")
        .get(pk=adoption.pk)
    )
    if locked.verified_at is not None:
        return locked
    before = _state(locked)
    locked.verified_by = _user_or_none(by)
    locked.verified_at = timezone.now()
    locked.save(update_fields=["verified_by", "verified_at"])
    AdoptionUpdate.objects.create(
        adoption=locked,
        status=locked.status,
        meeting_date=locked.meeting_date,
        reported_by=locked.verified_by,
    )
    audit_record(
        actor=by,
        action="campaigns.adoption.verified",
        obj=locked,
        organisation=locked.resolution.campaign.lead_organisation,
        before=before,
        after=_state(locked),
    )
    webhook_emit(
        organisation=locked.resolution.campaign.lead_organisation_id,
        event="adoption.verified",
        data=payloads.adoption(locked),
    )
    return locked
