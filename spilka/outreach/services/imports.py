"""CSV imports of supporters: upload, column mapping, preview, and the bulk run.

The run works in chunks, each in its own transaction: look up the chunk's addresses and
phone numbers in two queries, insert the new supporters with one ``INSERT … ON CONFLICT``
and update the known ones with one bulk update, then add history, consent, tags and lists
in bulk. Nothing is saved row by row, which is what keeps 100,000 rows to seconds.

Deduplication: a row matches an existing supporter by email, else by phone; rows that
repeat an address or number earlier in the same file are counted as duplicates. An
import never re-subscribes someone who unsubscribed, bounced or complained.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from django_tasks import task

from spilka.lib.audit import audit_record
from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.network.models import Organisation
from spilka.network.normalise import normalise_email, normalise_phone
from spilka.outreach.headings import STORED, guess_mapping
from spilka.outreach.models import (
    ActionKind,
    ImportStatus,
    Supporter,
    SupporterAction,
    SupporterConsent,
    SupporterImport,
    SupporterList,
    SupporterStatus,
    Tag,
)

CHUNK = 5000
MAX_BYTES = 50 * 1024 * 1024
MAX_ERRORS_KEPT = 1000
IMPORT_FIELDS = STORED
_LANGUAGE_NAMES = {
    "english": "en",
    "ukrainian": "uk",
    "українська": "uk",
    "polish": "pl",
    "polski": "pl",
    "russian": "ru",
    "русский": "ru",
}
_COUNTRY_CODES = {code for code, _name in countries}


def _decode(data: bytes) -> str:
    # NUL bytes (UTF-16 files, spreadsheets saved in a binary format) decode as UTF-8 but
    # PostgreSQL cannot store them in text: refuse them here, with the same advice.
    try:
        if b"\x00" in data:
            raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL byte")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.")
        ) from None


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _reader(text: str) -> Any:
    return csv.reader(io.StringIO(text), _dialect(text))


@transaction.atomic
def import_upload(
    *,
    organisation: Organisation,
    by: Any,
    filename: str,
    data: bytes,
    consent_given: bool,
    consent_source: str,
    consent_wording: str = "",
    default_language: str = "en",
    tag: Tag | None = None,
    target_list: SupporterList | None = None,
) -> SupporterImport:
    """Keep the uploaded file (until it has run) and read its header row."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 50 MB. Split it into smaller files."))
    text = _decode(data)
    try:
        headers: list[str] = next(_reader(text), [])
    except csv.Error:
        raise ValidationError(_("This does not look like a CSV file.")) from None
    headers = [h.strip() for h in headers]
    if not any(headers):
        raise ValidationError(_("The file is empty or has no header row."))
    if len(set(headers)) != len(headers):
        raise ValidationError(_("Two columns have the same heading; give each a different one."))
    if consent_given and not consent_source.strip():
        raise ValidationError(
            {"consent_source": _("Say where these people agreed to hear from you.")}
        )
    for group in (tag, target_list):
        if group is not None and group.organisation_id != organisation.pk:
            raise ValidationError(_("That tag or list belongs to another organisation."))
    supporter_import = SupporterImport(
        organisation=organisation,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        filename=filename[:200],
        content=text,
        headers=headers,
        mapping=guess_mapping(headers),
        consent_given=consent_given,
        consent_source=consent_source.strip(),
        consent_wording=consent_wording.strip(),
        default_language=default_language,
        tag=tag,
        target_list=target_list,
    )
    supporter_import.full_clean()
    supporter_import.save()
    audit_record(
        actor=by,
        action="outreach.import.uploaded",
        obj=supporter_import,
        organisation=organisation,
        after={"file": supporter_import.filename, "columns": len(headers)},
    )
    return supporter_import


def import_set_mapping(*, supporter_import: SupporterImport, mapping: dict[str, str]) -> None:
    mapping = {k: v for k, v in mapping.items() if v}
    unknown = set(mapping) - set(IMPORT_FIELDS)
    if unknown or not set(mapping.values()) <= set(supporter_import.headers):
        raise ValidationError(_("Choose columns from the file."))
    if "email" not in mapping:
        raise ValidationError(_("Choose the column that holds email addresses."))
    supporter_import.mapping = mapping
    supporter_import.save(update_fields=["mapping"])


@dataclass
class CleanRow:
    number: int  # the line in the file, header = 1
    email: str
    name: str = ""
    phone: str = ""
    language: str = ""
    country: str = ""
    tags: list[str] = field(default_factory=list)


def _clean(
    number: int, values: list[str], index: dict[str, int], default_language: str
) -> CleanRow | str:
    """A cleaned row, or the reason it cannot be imported (never the value itself)."""

    def get(name: str) -> str:
        i = index.get(name)
        return values[i].strip() if i is not None and i < len(values) else ""

    raw_email = get("email")
    if not raw_email:
        return _("no email address")
    try:
        email = normalise_email(raw_email)
    except ValidationError:
        return _("the email address is not valid")
    name = get("name") or " ".join(p for p in (get("first_name"), get("last_name")) if p)
    country = get("country").upper()
    if country not in _COUNTRY_CODES:
        country = ""
    phone = ""
    if raw_phone := get("phone"):
        try:
            phone = normalise_phone(raw_phone, country or None)
        except ValidationError:
            return _("the phone number is not valid")
    language = get("language").lower()
    language = (
        language[:2] if language[:2] in CONTENT_LANGUAGES else _LANGUAGE_NAMES.get(language, "")
    )
    tags = [t.strip()[:60] for t in get("tags").replace(";", ",").split(",") if t.strip()]
    return CleanRow(
        number=number,
        email=email,
        name=name[:200],
        phone=phone,
        language=language or default_language,
        country=country,
        tags=tags,
    )


def _rows(supporter_import: SupporterImport) -> Any:
    reader = _reader(supporter_import.content)
    headers: list[str] = next(reader, [])
    index = {
        target: [h.strip() for h in headers].index(column)
        for target, column in supporter_import.mapping.items()
        if column in [h.strip() for h in headers]
    }
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        yield _clean(number, values, index, supporter_import.default_language), number


def import_preview(supporter_import: SupporterImport, limit: int = 10) -> list[CleanRow | str]:
    out: list[CleanRow | str] = []
    try:
        for row, number in _rows(supporter_import):
            out.append(row if isinstance(row, CleanRow) else f"{number}: {row}")
            if len(out) >= limit:
                break
    except csv.Error:
        out.append(_("The file could not be read as CSV."))
    return out


@transaction.atomic
def import_queue(*, supporter_import: SupporterImport, by: Any) -> SupporterImport:
    """Count the rows and hand the import to the task queue."""
    locked = SupporterImport.objects.select_for_update(of=("self",)).get(pk=supporter_import.pk)
    if locked.status != ImportStatus.UPLOADED:
        raise ValidationError(_("This import has already been started."))
    if "email" not in locked.mapping:
        raise ValidationError(_("Choose the column that holds email addresses."))
    try:
        locked.total_rows = max(0, sum(1 for v in _reader(locked.content) if any(v)) - 1)
    except csv.Error:
        raise ValidationError(_("The file could not be read as CSV.")) from None
    locked.status = ImportStatus.QUEUED
    locked.save(update_fields=["status", "total_rows"])
    audit_record(
        actor=by,
        action="outreach.import.queued",
        obj=locked,
        organisation=locked.organisation,
        after={"rows": locked.total_rows, "consent_source": locked.consent_source},
    )
    pk = locked.pk
    transaction.on_commit(lambda: import_run_task.enqueue(import_id=pk))
    return locked


@transaction.atomic
def _import_mark_failed(import_id: int) -> None:
    supporter_import = SupporterImport.objects.select_for_update(of=("self",)).get(pk=import_id)
    supporter_import.status = ImportStatus.FAILED
    supporter_import.finished_at = timezone.now()
    supporter_import.content = ""
    supporter_import.save(update_fields=["status", "finished_at", "content"])
    audit_record(
        actor=supporter_import.created_by or "import",
        action="outreach.import.failed",
        obj=supporter_import,
        organisation=supporter_import.organisation,
        after={"processed": supporter_import.processed_rows},
    )


def import_run(*, import_id: int) -> SupporterImport:
    """Run a queued import (from the task worker). Chunks commit one by one, so the
    progress bar moves and a crash loses at most one chunk (re-running is safe)."""
    with transaction.atomic():
        supporter_import = (
            SupporterImport.objects.select_for_update(of=("self",))
            .select_related("organisation", "tag", "target_list")
            .get(pk=import_id)
        )
        if supporter_import.status not in {ImportStatus.QUEUED, ImportStatus.RUNNING}:
            return supporter_import
        supporter_import.status = ImportStatus.RUNNING
        supporter_import.save(update_fields=["status"])
    state = _RunState(supporter_import)
    chunk: list[CleanRow] = []
    try:
        for row, number in _rows(supporter_import):
            if isinstance(row, str):
                state.fail(number, row)
                continue
            chunk.append(row)
            if len(chunk) >= CHUNK:
                state.write(chunk)
                chunk = []
        state.write(chunk)
    except csv.Error:
        state.fail(0, _("The file could not be read as CSV past this point."))
        state.write([])
    except Exception:
        # Anything else: say so on the import's page instead of "running" for ever. The
        # chunks already written stay; the error itself goes to the task's result.
        _import_mark_failed(import_id)
        raise
    with transaction.atomic():
        supporter_import = SupporterImport.objects.select_for_update(of=("self",)).get(pk=import_id)
        supporter_import.status = ImportStatus.DONE
        supporter_import.finished_at = timezone.now()
        supporter_import.content = ""  # the file's personal data is not kept once imported
        supporter_import.processed_rows = max(
            supporter_import.processed_rows, supporter_import.total_rows
        )
        supporter_import.save()
        audit_record(
            actor=supporter_import.created_by or "import",
            action="outreach.import.finished",
            obj=supporter_import,
            organisation=supporter_import.organisation,
            after={
                "created": supporter_import.created_count,
                "updated": supporter_import.updated_count,
                "duplicates": supporter_import.duplicate_count,
                "failed": supporter_import.failed_count,
            },
        )
    return supporter_import


class _RunState:
    def __init__(self, supporter_import: SupporterImport) -> None:
        self.imp = supporter_import
        self.org_id = supporter_import.organisation_id
        self.seen_emails: dict[str, int] = {}
        self.seen_phones: dict[str, int] = {}
        self.errors: list[dict[str, Any]] = []
        self.failed = 0
        self.tag_ids: dict[str, int] = {}
        self.now = timezone.now()

    def fail(self, number: int, reason: str) -> None:
        self.failed += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append({"row": number, "reason": str(reason)})

    def _tag_id(self, name: str) -> int:
        if name not in self.tag_ids:
            tag, _created = Tag.objects.get_or_create(organisation_id=self.org_id, name=name)
            self.tag_ids[name] = tag.pk
        return self.tag_ids[name]

    def write(self, rows: list[CleanRow]) -> None:
        imp = self.imp
        duplicates = 0
        unique: list[CleanRow] = []
        for row in rows:
            earlier = self.seen_emails.get(row.email) or (
                self.seen_phones.get(row.phone) if row.phone else None
            )
            if earlier:
                duplicates += 1
                continue
            self.seen_emails[row.email] = row.number
            if row.phone:
                self.seen_phones[row.phone] = row.number
            unique.append(row)
        with transaction.atomic():
            created, updated = self._write_rows(unique) if unique else (0, 0)
            SupporterImport.objects.filter(pk=imp.pk).update(
                processed_rows=F("processed_rows") + len(rows) + self.failed,
                created_count=F("created_count") + created,
                updated_count=F("updated_count") + updated,
                duplicate_count=F("duplicate_count") + duplicates,
                failed_count=F("failed_count") + self.failed,
                errors=self.errors,
            )
        self.failed = 0

    def _write_rows(self, rows: list[CleanRow]) -> tuple[int, int]:
        imp, org_id, now = self.imp, self.org_id, self.now
        by_email = {
            s.email: s
            for s in Supporter.objects.filter(
                organisation_id=org_id, email__in=[r.email for r in rows]
            ).only("id", "email", "phone", "name", "country", "status")
        }
        phones = [r.phone for r in rows if r.phone]
        by_phone = (
            {
                s.phone: s
                for s in Supporter.objects.filter(organisation_id=org_id, phone__in=phones).only(
                    "id", "email", "phone", "name", "country", "status"
                )
            }
            if phones
            else {}
        )
        consent = imp.consent_given
        new: list[Supporter] = []
        new_rows: list[CleanRow] = []
        changed: list[Supporter] = []
        touched: dict[int, Supporter] = {}
        row_of: dict[int, CleanRow] = {}
        for row in rows:
            existing = by_email.get(row.email) or (by_phone.get(row.phone) if row.phone else None)
            if existing is None:
                new.append(
                    Supporter(
                        organisation_id=org_id,
                        email=row.email,
                        phone=row.phone,
                        name=row.name,
                        language=row.language,
                        country=row.country,
                        status=SupporterStatus.SUBSCRIBED
                        if consent
                        else SupporterStatus.NO_CONSENT,
                        source=ActionKind.IMPORTED,
                        created_at=now,
                        updated_at=now,
                        last_action_at=now,
                    )
                )
                new_rows.append(row)
                continue
            if existing.pk in touched:
                continue  # matched by email in one row and by phone in another
            if not existing.name and row.name:
                existing.name = row.name
            if not existing.country and row.country:
                existing.country = row.country
            if not existing.phone and row.phone and row.phone not in by_phone:
                existing.phone = row.phone
            if consent and existing.status == SupporterStatus.NO_CONSENT:
                existing.status = SupporterStatus.SUBSCRIBED
            existing.last_action_at = now
            existing.updated_at = now
            changed.append(existing)
            touched[existing.pk] = existing
            row_of[existing.pk] = row
        if new:
            # ON CONFLICT: a sign-up may add the same address while the import runs.
            Supporter.objects.bulk_create(
                new,
                batch_size=CHUNK,
                update_conflicts=True,
                unique_fields=["organisation", "email"],
                update_fields=["last_action_at"],
            )
            if any(s.pk is None for s in new):  # backends that return no ids on upsert
                known_ids = dict(
                    Supporter.objects.filter(
                        organisation_id=org_id, email__in=[s.email for s in new]
                    ).values_list("email", "pk")
                )
                for supporter in new:
                    supporter.pk = supporter.id = known_ids[supporter.email]
        if changed:
            Supporter.objects.bulk_update(
                changed,
                ["name", "country", "phone", "status", "last_action_at", "updated_at"],
                batch_size=1000,
            )
        label = f"CSV import #{imp.pk}"
        key = f"outreach.import:{imp.pk}"
        all_rows = [*zip(new, new_rows, strict=True), *((s, row_of[s.pk]) for s in changed)]
        ids = [s.pk for s, _r in all_rows]
        # History, consent and list rows come straight from the supporter ids in SQL
        # (INSERT … SELECT): no Python object per row.
        _insert_select(
            SupporterAction,
            ["supporter_id", "kind", "object_key", "object_label", "occurred_at"],
            "s.id, %s, %s, %s, %s",
            [ActionKind.IMPORTED, key, label, now],
            ids,
        )
        if consent:
            _insert_select(
                SupporterConsent,
                ["supporter_id", "granted", "wording", "language", "source", "recorded_at"],
                "s.id, %s, %s, %s, %s, %s",
                [
                    True,
                    imp.consent_wording,
                    imp.default_language,
                    f"import:{imp.consent_source}"[:200],
                    now,
                ],
                ids,
                where=(" AND s.status = %s", [SupporterStatus.SUBSCRIBED]),
            )
        if imp.tag_id:
            _insert_select(
                Supporter.tags.through,
                ["supporter_id", "tag_id"],
                "s.id, %s",
                [imp.tag_id],
                ids,
                ignore_conflicts=True,
            )
        if imp.target_list_id:
            _insert_select(
                Supporter.lists.through,
                ["supporter_id", "supporterlist_id"],
                "s.id, %s",
                [imp.target_list_id],
                ids,
                ignore_conflicts=True,
            )
        tag_through = Supporter.tags.through
        tag_links = [
            tag_through(supporter_id=supporter.pk, tag_id=self._tag_id(name))
            for supporter, row in all_rows
            for name in set(row.tags)
        ]
        if tag_links:
            tag_through.objects.bulk_create(tag_links, batch_size=CHUNK, ignore_conflicts=True)
        return len(new), len(changed)


def _insert_select(
    model: Any,
    columns: list[str],
    select: str,
    params: list[Any],
    ids: list[int],
    *,
    where: tuple[str, list[Any]] = ("", []),
    ignore_conflicts: bool = False,
) -> None:
    """``INSERT INTO model (columns) SELECT <select> FROM supporter s WHERE s.id IN ids``."""
    if not ids:
        return
    quote = connection.ops.quote_name
    supporters = quote(Supporter._meta.db_table)
    id_params: list[Any]
    if connection.vendor == "postgresql":
        # A join with the unnested ids, not ``s.id = ANY(ids) AND s.status = …``: while the
        # table grows its statistics are stale and the planner would scan the status index,
        # testing every subscribed row against the whole array (quadratic: 8 of 20 s).
        source = f"unnest(%s::bigint[]) AS ids(id) JOIN {supporters} s ON s.id = ids.id"
        source += f" WHERE TRUE{where[0]}"
        id_params = [ids]
    else:
        id_sql = "IN (" + ",".join(["%s"] * len(ids)) + ")"
        source = f"{supporters} s WHERE s.id {id_sql}{where[0]}"
        id_params = list(ids)
    # Only table and column names from our own models and fixed SQL fragments are
    # formatted in; every value is a query parameter.
    target = f"{quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)})"
    sql = " ".join(["INSERT INTO", target, "SELECT", select, "FROM", source])
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *id_params, *where[1]])


# The background entry point sits beside the work it runs (spilka/outreach/tasks.py keeps
# the old path for jobs already queued).
@task()
def import_run_task(*, import_id: int) -> int:
    return import_run(import_id=import_id).processed_rows
