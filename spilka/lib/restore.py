"""Restore an archive written by ``spilka.lib.backup`` into an empty instance.

Everything is checked before anything is written: the archive's checksums (database and
every file), that this code has exactly the migrations the backup had, and that the target
database and file storages are empty (``force`` replaces what is there). After writing, the
rows are counted again and compared with the manifest.
"""

from __future__ import annotations

import sqlite3
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db.migrations.loader import MigrationLoader
from django.db.utils import DatabaseError

from spilka.lib.backup import (
    MANIFEST,
    STORAGE_FOLDERS,
    BackupError,
    Manifest,
    database_state,
    engine_of,
    postgres_env,
    postgres_tool,
    run_tool,
    sha256_file,
    standalone,
    storage_files,
)


@dataclass
class Restored:
    manifest: Manifest
    counts: dict[str, int]

    def differences(self) -> dict[str, tuple[int | None, int | None]]:
        labels = set(self.manifest.counts) | set(self.counts)
        return {
            label: (self.manifest.counts.get(label), self.counts.get(label))
            for label in sorted(labels)
            if self.manifest.counts.get(label) != self.counts.get(label)
        }


def target_storages() -> dict[str, Storage]:
    return {"private": storages["private"], "default": storages["default"]}


def extract(archive: Path, into: Path) -> Manifest:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Cannot read {archive}: {error}") from error
    try:
        return Manifest.from_json((into / MANIFEST).read_text())
    except (OSError, ValueError, TypeError) as error:
        raise BackupError(
            f"{archive} has no readable {MANIFEST}: is it a Spilka backup?"
        ) from error


def verify(manifest: Manifest, root: Path) -> None:
    """Every file the manifest lists, with its checksum, and nothing else."""
    database = root / manifest.database_file
    if not database.is_file() or sha256_file(database) != manifest.database_sha256:
        raise BackupError(
            f"The database file {manifest.database_file} is missing or does not match its "
            "checksum: the archive was damaged or altered. Nothing was restored."
        )
    listed = set()
    for entry in manifest.files:
        path = root / STORAGE_FOLDERS[entry["storage"]] / entry["name"]
        listed.add(path)
        if not path.is_file():
            raise BackupError(
                f"{entry['name']} is listed in the manifest but missing. Nothing was restored."
            )
        if sha256_file(path) != entry["sha256"]:
            raise BackupError(
                f"{entry['name']} does not match its checksum: the archive was damaged or "
                "altered. Nothing was restored."
            )
    for folder in STORAGE_FOLDERS.values():
        extra = [p for p in (root / folder).rglob("*") if p.is_file() and p not in listed]
        if extra:
            raise BackupError(
                f"{extra[0].relative_to(root)} is in the archive but not in its manifest. "
                "Nothing was restored."
            )


def check_migrations(manifest: Manifest) -> None:
    code = {
        f"{app}.{name}"
        for app, name in MigrationLoader(None, ignore_no_migrations=True).graph.nodes
    }
    backup = {f"{app}.{name}" for app, name in manifest.migrations}
    if code == backup:
        return
    newer, older = sorted(backup - code), sorted(code - backup)
    lines = [
        f"This code's migrations differ from the backup's (made by Spilka {manifest.spilka_version}). "
        "Restore with the release that made the backup, then upgrade and migrate."
    ]
    if newer:
        lines.append(
            f"Only in the backup: {', '.join(newer[:10])}{' …' if len(newer) > 10 else ''}"
        )
    if older:
        lines.append(f"Only in this code: {', '.join(older[:10])}{' …' if len(older) > 10 else ''}")
    raise BackupError("\n".join(lines))


def target_contents(settings_dict: dict[str, Any], file_storages: dict[str, Storage]) -> list[str]:
    """What the target already holds (empty: nothing)."""
    found = []
    try:
        with standalone(settings_dict) as wrapper, wrapper.cursor() as cursor:
            tables = wrapper.introspection.table_names(cursor)
    except DatabaseError as error:
        raise BackupError(
            f"Cannot open the target database {settings_dict.get('NAME')}: {error}".strip()
            + "\nCreate it first (PostgreSQL: createdb), empty."
        ) from error
    if tables:
        found.append(f"the database has {len(tables)} tables")
    for alias, storage in file_storages.items():
        names = storage_files(storage)
        if names:
            found.append(f"the {alias} storage has {len(names)} files")
    return found


def restore_database(
    manifest: Manifest, dump: Path, settings_dict: dict[str, Any], force: bool
) -> None:
    if manifest.engine == "postgresql":
        pg_restore = postgres_tool("pg_restore")
        args = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error"]
        if force:
            args += ["--clean", "--if-exists"]
        args += ["--single-transaction", f"--dbname={settings_dict['NAME']}", str(dump)]
        run_tool(args, postgres_env(settings_dict))
        return
    name = str(settings_dict["NAME"])
    source = sqlite3.connect(dump)
    destination = sqlite3.connect(name, uri=name.startswith("file:"))
    try:
        source.backup(destination)  # replaces the whole target database
    finally:
        source.close()
        destination.close()


def restore_files(manifest: Manifest, root: Path, file_storages: dict[str, Storage]) -> None:
    for entry in manifest.files:
        storage = file_storages[entry["storage"]]
        if storage.exists(entry["name"]):
            storage.delete(entry["name"])
        with (root / STORAGE_FOLDERS[entry["storage"]] / entry["name"]).open("rb") as stream:
            saved = storage.save(entry["name"], File(stream))
        if saved != entry["name"]:
            raise BackupError(f"{entry['name']} was stored as {saved}: check the storage settings.")


def restore_read(
    archive: Path,
    *,
    settings_dict: dict[str, Any],
    file_storages: dict[str, Storage] | None = None,
    force: bool = False,
    report: Callable[[str], None] = lambda line: None,
) -> Restored:
    file_storages = file_storages if file_storages is not None else target_storages()
    engine = engine_of(settings_dict)
    with tempfile.TemporaryDirectory(prefix="spilka-restore-") as scratch:
        root = Path(scratch)
        manifest = extract(archive, root)
        report(
            f"backup of {manifest.created_at} by Spilka {manifest.spilka_version}: "
            f"{sum(manifest.counts.values())} rows, {len(manifest.files)} files"
        )
        if manifest.engine != engine:
            raise BackupError(
                f"This is a {manifest.engine} backup; the target database is {engine}."
            )
        verify(manifest, root)
        report("checksums: all match")
        check_migrations(manifest)
        found = target_contents(settings_dict, file_storages)
        if found and not force:
            raise BackupError(
                "The target is not empty ("
                + "; ".join(found)
                + "). Restore into an empty database and storage, or pass --force to replace it."
            )
        restore_database(manifest, root / manifest.database_file, settings_dict, force)
        restore_files(manifest, root, file_storages)
    _, counts = database_state(settings_dict)
    return Restored(manifest=manifest, counts=counts)
