"""One archive holding everything Spilka cannot rebuild: the database and the uploaded files.

    manage.py spilka_backup /srv/backups/spilka-2026-12-07.tar.gz
    manage.py spilka_restore /srv/backups/spilka-2026-12-07.tar.gz

The archive (tar.gz) holds:

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (a copy
  made with SQLite's online backup API, safe while the site runs);
- ``files/private/…`` (receipts, bank statements, delivery photos) and ``files/media/…``
  (logos, publication pictures), read through the storages, so S3 works as well;
- ``manifest.json``: Spilka's version, the applied migrations, rows per model and every
  file with its size and sha256.

On PostgreSQL the rows are counted in the very snapshot ``pg_dump`` writes (an exported
snapshot), so the counts describe the dump even while people sign. Files are read after the
dump: a file uploaded meanwhile is an extra, never a row pointing at nothing.

A restore checks everything before it writes anything: the archive's checksums, that this
code has the same migrations as the backup, and that the target database and storages are
empty (unless forced). Afterwards it counts the rows again and compares them.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files.storage import Storage, storages
from django.db import connections
from django.db.utils import load_backend

FORMAT = 1
MANIFEST = "manifest.json"
# Archive folder per storage alias: the private files and the public media.
STORAGE_FOLDERS = {"private": "files/private", "default": "files/media"}
CHUNK = 1024 * 1024

POSTGRES_TOOLS_MISSING = (
    "{tool} was not found. Install the PostgreSQL client tools (Debian: "
    "`apt install postgresql-client`; their major version must be at least the server's)."
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Manifest:
    spilka_version: str
    created_at: str
    engine: str
    database_file: str
    database_sha256: str
    migrations: list[list[str]]
    counts: dict[str, int]
    files: list[dict[str, Any]] = field(default_factory=list)
    format: int = FORMAT

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise BackupError(f"Unknown archive format {data.get('format')!r}.")
        return cls(**data)


def spilka_version() -> str:
    try:
        return metadata.version("spilka")
    except metadata.PackageNotFoundError:
        return "unknown"


def engine_of(settings_dict: dict[str, Any]) -> str:
    engine = settings_dict["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- Rows -------------------------------------------------------------------------------


def model_tables() -> dict[str, str]:
    """Every table a model owns, by model label (many-to-many tables included)."""
    tables: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.db_table not in tables.values():
            tables[meta.label] = meta.db_table
    return dict(sorted(tables.items()))


def count_rows(cursor: Any, quote: Callable[[str], str], existing: set[str]) -> dict[str, int]:
    counts = {}
    for label, table in model_tables().items():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (model tables)
            counts[label] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor: Any, existing: set[str]) -> list[list[str]]:
    if "django_migrations" not in existing:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[app, name] for app, name in cursor.fetchall()]


@contextmanager
def standalone(settings_dict: dict[str, Any]) -> Iterator[Any]:
    """A connection of its own to a database described like ``DATABASES`` entries."""
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(dict(settings_dict))
    try:
        yield wrapper
    finally:
        wrapper.close()


def database_state(settings_dict: dict[str, Any]) -> tuple[list[list[str]], dict[str, int]]:
    """(applied migrations, rows per model) of a database."""
    with standalone(settings_dict) as wrapper, wrapper.cursor() as cursor:
        existing = set(wrapper.introspection.table_names(cursor))
        return applied_migrations(cursor, existing), count_rows(
            cursor, wrapper.ops.quote_name, existing
        )


# --- Database dump ----------------------------------------------------------------------


def postgres_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's variables: the password never appears on a command line."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def postgres_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(POSTGRES_TOOLS_MISSING.format(tool=name))
    return path


def run_tool(args: list[str], env: dict[str, str]) -> None:
    completed = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603 (our own tool paths)
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip()
        raise BackupError(f"{Path(args[0]).name} failed: {detail}")


def dump_postgres(alias: str, target: Path) -> tuple[list[list[str]], dict[str, int]]:
    """pg_dump in a snapshot shared with the row counts taken here."""
    pg_dump = postgres_tool("pg_dump")
    connection = connections[alias]
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("Run the backup outside a transaction.")
    settings_dict = connection.settings_dict
    with standalone(settings_dict) as wrapper:
        wrapper.ensure_connection()
        wrapper.set_autocommit(False)
        with wrapper.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            run_tool(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                postgres_env(settings_dict),
            )
            existing = set(wrapper.introspection.table_names(cursor))
            state = (
                applied_migrations(cursor, existing),
                count_rows(cursor, wrapper.ops.quote_name, existing),
            )
        wrapper.rollback()
    return state


def dump_sqlite(alias: str, target: Path) -> tuple[list[list[str]], dict[str, int]]:
    connection = connections[alias]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    return database_state({**connection.settings_dict, "NAME": str(target), "OPTIONS": {}})


# --- Files ------------------------------------------------------------------------------


def storage_files(storage: Storage, skip_top: frozenset[str] = frozenset()) -> list[str]:
    """Every file name in a storage, found through its listdir (works on S3 as well)."""
    names: list[str] = []
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        for name in folders:
            if not (folder == "" and name in skip_top):
                pending.append(f"{folder}{name}/")
        names.extend(f"{folder}{name}" for name in files)
    return sorted(names)


def backed_up_storages() -> dict[str, tuple[Storage, frozenset[str]]]:
    """The storages to save, with top folders to skip in each (S3 keeps private files
    under ``private/`` in the same bucket as the media: save them once)."""
    private, media = storages["private"], storages["default"]
    skip: frozenset[str] = frozenset()
    bucket = getattr(private, "bucket_name", None)
    if (
        bucket
        and bucket == getattr(media, "bucket_name", None)
        and not getattr(media, "location", "")
    ):
        skip = frozenset({getattr(private, "location", "").strip("/")})
    return {"private": (private, frozenset()), "default": (media, skip)}


class _Hashing:
    """A readable stream that hashes what passes through it."""

    def __init__(self, stream: Any) -> None:
        self.stream, self.digest, self.size = stream, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


# --- Backup -----------------------------------------------------------------------------


def backup_write(
    archive: Path,
    *,
    alias: str = "default",
    file_storages: dict[str, tuple[Storage, frozenset[str]]] | None = None,
    report: Callable[[str], None] = lambda line: None,
) -> Manifest:
    """Write the archive; return its manifest."""
    settings_dict = connections[alias].settings_dict
    engine = engine_of(settings_dict)
    file_storages = file_storages if file_storages is not None else backed_up_storages()
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="spilka-backup-") as scratch:
        dump_name = "database.dump" if engine == "postgresql" else "database.sqlite3"
        dump = Path(scratch) / dump_name
        if engine == "postgresql":
            migrations, counts = dump_postgres(alias, dump)
        else:
            migrations, counts = dump_sqlite(alias, dump)
        report(f"database: {sum(counts.values())} rows in {len(counts)} tables")
        manifest = Manifest(
            spilka_version=spilka_version(),
            created_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            engine=engine,
            database_file=dump_name,
            database_sha256=sha256_file(dump),
            migrations=migrations,
            counts=counts,
        )
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(dump, arcname=dump_name)
            for alias_name, (storage, skip) in file_storages.items():
                folder = STORAGE_FOLDERS[alias_name]
                for name in storage_files(storage, skip):
                    with storage.open(name, "rb") as stream:
                        info = tarfile.TarInfo(f"{folder}/{name}")
                        info.size = storage.size(name)
                        info.mtime = int(datetime.datetime.now().timestamp())
                        hashing = _Hashing(stream)
                        tar.addfile(info, hashing)
                    manifest.files.append(
                        {
                            "storage": alias_name,
                            "name": name,
                            "size": hashing.size,
                            "sha256": hashing.digest.hexdigest(),
                        }
                    )
            report(f"files: {len(manifest.files)}")
            data = manifest.to_json().encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(datetime.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
        os.replace(partial, archive)
    return manifest
