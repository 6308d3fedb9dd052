"""Writing an import's clean rows, one chunk per transaction, in bulk.

A chunk looks up (and locks) the supporters its addresses and phone numbers name in one
query, inserts the new supporters with one ``INSERT`` and updates the known ones with one
bulk update, then adds history, consent, tags and lists in bulk, and the supporter counts.
Nothing is saved row by row, which is what keeps 100,000 rows to seconds. If someone signs
up with one of the new addresses meanwhile, the insert fails and the chunk is written again,
that supporter now known: the counts never count anyone twice. A chunk PostgreSQL cancels to
end a deadlock is written again too (up to ``WRITE_ATTEMPTS`` times) instead of failing the
import.

A row matches an existing supporter by email, else by phone; rows that repeat an address or
number earlier in the same file are counted as duplicates. An import never re-subscribes
someone who unsubscribed, bounced or complained.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from spilka.outreach.models import (
    ActionKind,
    Supporter,
    SupporterAction,
    SupporterConsent,
    SupporterImport,
    SupporterStatus,
    Tag,
)
from spilka.outreach.services.counts import Change, supporter_counts_change
from spilka.outreach.services.import_rows import CleanRow
from spilka.outreach.services.supporters import action_object_note

CHUNK = 5000
# A chunk is written again when a sign-up took one of its new addresses meanwhile, or
# when PostgreSQL ended a deadlock by cancelling it.
WRITE_ATTEMPTS = 3
DEADLOCK_DETECTED = "40P01"  # SQLSTATE
MAX_ERRORS_KEPT = 1000
_MATCH_FIELDS = ("id", "email", "phone", "name", "country", "status")


class _Known(NamedTuple):
    """The organisation's supporters a chunk's rows name, by address and by number."""

    by_email: dict[str, Supporter]
    by_phone: dict[str, Supporter]

    def match(self, row: CleanRow) -> Supporter | None:
        return self.by_email.get(row.email) or (self.by_phone.get(row.phone) if row.phone else None)


@dataclass
class _Matched:
    """A chunk's rows by what they do: add a supporter, or fill in a known one."""

    new: list[tuple[Supporter, CleanRow]] = field(default_factory=list)
    changed: list[tuple[Supporter, CleanRow]] = field(default_factory=list)
    status_before: dict[int, str] = field(default_factory=dict)  # of the changed ones

    def supporters(self) -> list[tuple[Supporter, CleanRow]]:
        return [*self.new, *self.changed]

    def count_changes(self) -> list[Change]:
        return [(s.organisation_id, None, s.status) for s, _row in self.new] + [
            (s.organisation_id, self.status_before[s.pk], s.status) for s, _row in self.changed
        ]


class ImportWriter:
    """What one run of an import remembers between chunks: the addresses and numbers seen,
    the failed rows not yet counted, the tags by name."""

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

    def write(self, rows: list[CleanRow]) -> None:
        """Write one chunk and add its counts to the import, in one transaction."""
        unique = self._first_sightings(rows)
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            tag_ids = dict(self.tag_ids)
            try:
                with transaction.atomic():
                    self._write_chunk(rows, unique)
                break
            except (IntegrityError, OperationalError) as error:
                # A sign-up added one of the new addresses (or numbers) meanwhile: look
                # again, it is a known supporter now. Or PostgreSQL chose this chunk to end
                # a deadlock: its locks are gone, write it again. Tags made in the attempt
                # are gone either way.
                if isinstance(error, OperationalError) and not _deadlocked(error):
                    raise
                self.tag_ids = tag_ids
                if attempt == WRITE_ATTEMPTS:
                    raise
        self.failed = 0

    def _write_chunk(self, rows: list[CleanRow], unique: list[CleanRow]) -> None:
        matched = self._write_rows(unique) if unique else _Matched()
        SupporterImport.objects.filter(pk=self.imp.pk).update(
            processed_rows=F("processed_rows") + len(rows) + self.failed,
            created_count=F("created_count") + len(matched.new),
            updated_count=F("updated_count") + len(matched.changed),
            duplicate_count=F("duplicate_count") + len(rows) - len(unique),
            failed_count=F("failed_count") + self.failed,
            errors=self.errors,
        )
        supporter_counts_change(matched.count_changes())

    def _first_sightings(self, rows: list[CleanRow]) -> list[CleanRow]:
        """The rows whose address and number no earlier row of the file carried."""
        unique: list[CleanRow] = []
        for row in rows:
            if self.seen_emails.get(row.email) or (
                self.seen_phones.get(row.phone) if row.phone else None
            ):
                continue
            self.seen_emails[row.email] = row.number
            if row.phone:
                self.seen_phones[row.phone] = row.number
            unique.append(row)
        return unique

    def _write_rows(self, rows: list[CleanRow]) -> _Matched:
        matched = self._match(rows, self._known(rows))
        _supporters_insert([supporter for supporter, _row in matched.new], self.org_id)
        _supporters_update([supporter for supporter, _row in matched.changed])
        ids = [supporter.pk for supporter, _row in matched.supporters()]
        self._history_add(ids)
        if self.imp.consent_given:
            self._consent_add(ids)
        self._groups_add(ids)
        self._row_tags_add(matched.supporters())
        return matched

    def _known(self, rows: list[CleanRow]) -> _Known:
        """The known supporters the rows name, locked (in id order, so two imports never
        wait on each other in a circle) until the chunk is written: the status an update
        replaces, and counts, is the one in the database."""
        emails = [r.email for r in rows]
        phones = [r.phone for r in rows if r.phone]
        named = Q(email__in=emails)
        if phones:
            # ``phone <> ''`` spelled out, so PostgreSQL can use the partial unique index.
            named |= Q(phone__in=phones) & ~Q(phone="")
        supporters = list(
            Supporter.objects.select_for_update()
            .filter(named, organisation_id=self.org_id)
            .only(*_MATCH_FIELDS, "organisation_id")
            .order_by("pk")
        )
        wanted_emails, wanted_phones = set(emails), set(phones)
        by_email = {s.email: s for s in supporters if s.email in wanted_emails}
        by_phone = {s.phone: s for s in supporters if s.phone and s.phone in wanted_phones}
        return _Known(by_email, by_phone)

    def _match(self, rows: list[CleanRow], known: _Known) -> _Matched:
        matched = _Matched()
        touched: set[int] = set()
        for row in rows:
            existing = known.match(row)
            if existing is None:
                matched.new.append((self._new_supporter(row), row))
            elif existing.pk not in touched:  # else matched by email here, by phone there
                matched.status_before[existing.pk] = existing.status
                self._fill_in(existing, row, phone_taken=row.phone in known.by_phone)
                touched.add(existing.pk)
                matched.changed.append((existing, row))
        return matched

    def _new_supporter(self, row: CleanRow) -> Supporter:
        return Supporter(
            organisation_id=self.org_id,
            email=row.email,
            phone=row.phone,
            name=row.name,
            language=row.language,
            country=row.country,
            status=SupporterStatus.SUBSCRIBED
            if self.imp.consent_given
            else SupporterStatus.NO_CONSENT,
            source=ActionKind.IMPORTED,
            created_at=self.now,
            updated_at=self.now,
            last_action_at=self.now,
        )

    def _fill_in(self, existing: Supporter, row: CleanRow, *, phone_taken: bool) -> None:
        """Fill the known supporter's empty fields from the row; a consent given with the
        import subscribes only someone who never gave or refused one."""
        if not existing.name and row.name:
            existing.name = row.name
        if not existing.country and row.country:
            existing.country = row.country
        if not existing.phone and row.phone and not phone_taken:
            existing.phone = row.phone
        if self.imp.consent_given and existing.status == SupporterStatus.NO_CONSENT:
            existing.status = SupporterStatus.SUBSCRIBED
        existing.last_action_at = self.now
        existing.updated_at = self.now

    # History, consent and list rows come straight from the supporter ids in SQL
    # (INSERT … SELECT): no Python object per row.
    def _history_add(self, ids: list[int]) -> None:
        action_object_note(
            organisation_id=self.org_id,
            object_key=f"outreach.import:{self.imp.pk}",
            object_label=f"CSV import #{self.imp.pk}",
        )
        _insert_select(
            SupporterAction,
            ["supporter_id", "kind", "object_key", "object_label", "occurred_at"],
            "s.id, %s, %s, %s, %s",
            [
                ActionKind.IMPORTED,
                f"outreach.import:{self.imp.pk}",
                f"CSV import #{self.imp.pk}",
                self.now,
            ],
            ids,
        )

    def _consent_add(self, ids: list[int]) -> None:
        imp = self.imp
        _insert_select(
            SupporterConsent,
            ["supporter_id", "granted", "wording", "language", "source", "recorded_at"],
            "s.id, %s, %s, %s, %s, %s",
            [
                True,
                imp.consent_wording,
                imp.default_language,
                f"import:{imp.consent_source}"[:200],
                self.now,
            ],
            ids,
            where=(" AND s.status = %s", [SupporterStatus.SUBSCRIBED]),
        )

    def _groups_add(self, ids: list[int]) -> None:
        """The tag and the list chosen for the whole import."""
        if self.imp.tag_id:
            _insert_select(
                Supporter.tags.through,
                ["supporter_id", "tag_id"],
                "s.id, %s",
                [self.imp.tag_id],
                ids,
                ignore_conflicts=True,
            )
        if self.imp.target_list_id:
            _insert_select(
                Supporter.lists.through,
                ["supporter_id", "supporterlist_id"],
                "s.id, %s",
                [self.imp.target_list_id],
                ids,
                ignore_conflicts=True,
            )

    def _row_tags_add(self, supporters: list[tuple[Supporter, CleanRow]]) -> None:
        """The tags each row names in its own column."""
        tag_through = Supporter.tags.through
        tag_links = [
            tag_through(supporter_id=supporter.pk, tag_id=self._tag_id(name))
            for supporter, row in supporters
            for name in set(row.tags)
        ]
        if tag_links:
            tag_through.objects.bulk_create(tag_links, batch_size=CHUNK, ignore_conflicts=True)

    def _tag_id(self, name: str) -> int:
        if name not in self.tag_ids:
            tag, _created = Tag.objects.get_or_create(organisation_id=self.org_id, name=name)
            self.tag_ids[name] = tag.pk
        return self.tag_ids[name]


def _deadlocked(error: OperationalError) -> bool:
    """Was the chunk's transaction the one PostgreSQL cancelled to break a deadlock?"""
    return getattr(error.__cause__, "sqlstate", None) == DEADLOCK_DETECTED


def _supporters_insert(new: list[Supporter], org_id: int) -> None:
    if not new:
        return
    # No ON CONFLICT: an address a sign-up added meanwhile fails the chunk, which is then
    # written again with that supporter known (``ImportWriter.write``).
    Supporter.objects.bulk_create(new, batch_size=CHUNK)
    if any(s.pk is None for s in new):  # backends that return no ids from an insert
        known_ids = dict(
            Supporter.objects.filter(
                organisation_id=org_id, email__in=[s.email for s in new]
            ).values_list("email", "pk")
        )
        for supporter in new:
            supporter.pk = supporter.id = known_ids[supporter.email]


def _supporters_update(changed: list[Supporter]) -> None:
    if changed:
        Supporter.objects.bulk_update(
            changed,
            ["name", "country", "phone", "status", "last_action_at", "updated_at"],
            batch_size=1000,
        )


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
