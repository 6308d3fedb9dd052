"""Backups: the demo network and a receipt, backed up and restored into a fresh instance.

The fresh instance is a new SQLite file, or on PostgreSQL a new database named from the
pytest worker, created and dropped here. Backup and restore need committed data (pg_dump
reads from its own connection), so these tests are transactional.
"""

from __future__ import annotations

import datetime
import io
import json
import sqlite3
import tarfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from spilka.lib.backup import BackupError, backup_write, postgres_tool
from spilka.lib.restore import restore_read
from spilka.lib.testing import storages_moved

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
LOGO = b"\x89PNG\r\n\x1a\n" + b"\x01" * 40


@pytest.fixture
def source_files(tmp_path):
    """The instance's private and public storages, in a folder of this test."""
    from spilka.funds.models import Receipt

    private = str(tmp_path / "source" / "private")
    with storages_moved(
        [
            (storages["private"], private),
            (Receipt._meta.get_field("file").storage, private),
            (storages["default"], str(tmp_path / "source" / "media")),
        ]
    ):
        yield tmp_path / "source"


@pytest.fixture
def network_with_receipt(demo, source_files):
    """The demo network, a treasurer's fund, a volunteer's claim with a receipt, a logo file."""
    from django.contrib.auth import get_user_model

    from spilka.funds.services.expenses import expense_create, receipt_attach
    from spilka.funds.services.funds import fund_create
    from spilka.network.services import role_grant

    usc = demo["ukraine-solidarity-campaign"]
    people = {}
    for email, role in (("treasurer@usc.test", "treasurer"), ("volunteer@usc.test", "logistics")):
        people[role] = get_user_model().objects.create_user(email, "pass phrase 123")
        role_grant(by="test setup", user=people[role], organisation=usc, role=role)
    fund = fund_create(
        by=people["treasurer"],
        organisation=usc,
        slug="ferries",
        name={"en": "Ferries"},
        currency="GBP",
    )
    claim = expense_create(
        fund=fund,
        claimant=people["logistics"],
        title="Ferry",
        incurred_on=datetime.date(2026, 3, 15),
        currency="GBP",
        lines=[
            {"category": "ferry_tolls", "description": "Dover–Calais", "amount": Decimal("180")}
        ],
    )
    receipt = receipt_attach(
        expense=claim,
        upload=SimpleUploadedFile("ferry.pdf", PDF, content_type="application/pdf"),
        by=people["logistics"],
    )
    storages["default"].save("logos/usc.png", io.BytesIO(LOGO))
    return receipt


@pytest.fixture
def fresh_database(tmp_path, worker_id):
    """Settings of an empty database beside the test database, dropped afterwards."""
    source = connections["default"].settings_dict
    if source["ENGINE"] == "django.db.backends.sqlite3":
        yield {**source, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    import psycopg

    name = f"{source['NAME']}_restore_{worker_id}"[:63]
    admin = {"host": source["HOST"], "port": source["PORT"] or 5432, "user": source["USER"]}
    if source.get("PASSWORD"):
        admin["password"] = source["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield {**source, "NAME": name}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_files(tmp_path):
    return {
        "private": FileSystemStorage(location=tmp_path / "restored" / "private"),
        "default": FileSystemStorage(location=tmp_path / "restored" / "media"),
    }


def rows_per_table(settings_dict) -> dict[str, int]:
    """Counted here with the driver itself, not with the code under test."""
    tables = sorted(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed}
    )
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3" and not settings_dict[
        "NAME"
    ].startswith("file:"):
        with sqlite3.connect(settings_dict["NAME"]) as conn:
            return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    cursor: Any
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":  # the in-memory test database
        cursor = connections["default"].cursor()
    else:
        import psycopg

        cursor = psycopg.connect(
            dbname=settings_dict["NAME"],
            host=settings_dict["HOST"],
            port=settings_dict["PORT"] or 5432,
            user=settings_dict["USER"],
            password=settings_dict.get("PASSWORD") or None,
        ).cursor()
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    cursor.close()
    return counts


def files_in(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_backup_restored_into_a_fresh_instance_has_the_same_rows_and_files(
    network_with_receipt, source_files, fresh_database, fresh_files, tmp_path
):
    archive = tmp_path / "spilka.tar.gz"
    manifest = backup_write(archive)
    before = rows_per_table(connections["default"].settings_dict)
    assert before["funds_receipt"] == 1 and before["network_organisation"] > 5

    restored = restore_read(archive, settings_dict=fresh_database, file_storages=fresh_files)

    assert rows_per_table(fresh_database) == before
    assert restored.differences() == {}
    assert manifest.counts["funds.Receipt"] == 1
    assert files_in(tmp_path / "restored") == files_in(source_files)
    assert files_in(tmp_path / "restored" / "private") == {network_with_receipt.file.name: PDF}
    assert {(f["storage"], f["name"]) for f in manifest.files} == {
        ("private", network_with_receipt.file.name),
        ("default", "logos/usc.png"),
    }


def _rewrite(archive: Path, change) -> None:
    """Rewrite the archive with ``change(name, data)`` applied to each member."""
    members = []
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            extracted = tar.extractfile(member)
            assert extracted is not None
            members.append((member.name, change(member.name, extracted.read())))
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_a_tampered_receipt_is_refused_and_nothing_is_restored(
    network_with_receipt, fresh_database, fresh_files, tmp_path
):
    archive = tmp_path / "spilka.tar.gz"
    backup_write(archive)
    _rewrite(archive, lambda name, data: data + b"forged" if "receipts/" in name else data)

    with pytest.raises(BackupError, match="does not match its checksum"):
        restore_read(archive, settings_dict=fresh_database, file_storages=fresh_files)
    assert not (tmp_path / "restored").exists()
    assert sum(rows_per_table_or_empty(fresh_database).values()) == 0


def rows_per_table_or_empty(settings_dict) -> dict[str, int]:
    from spilka.lib.backup import standalone

    with standalone(settings_dict) as wrapper, wrapper.cursor() as cursor:
        if not wrapper.introspection.table_names(cursor):
            return {}
    return rows_per_table(settings_dict)


def test_a_backup_from_other_migrations_is_refused(
    network_with_receipt, fresh_database, fresh_files, tmp_path
):
    archive = tmp_path / "spilka.tar.gz"
    backup_write(archive)

    def newer(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"].append(["funds", "9999_from_the_future"])
        return json.dumps(manifest).encode()

    _rewrite(archive, newer)
    with pytest.raises(BackupError, match="Only in the backup: funds.9999_from_the_future"):
        restore_read(archive, settings_dict=fresh_database, file_storages=fresh_files)


def test_restore_refuses_a_target_that_is_not_empty_unless_forced(
    network_with_receipt, fresh_database, fresh_files, tmp_path
):
    archive = tmp_path / "spilka.tar.gz"
    backup_write(archive)
    restore_read(archive, settings_dict=fresh_database, file_storages=fresh_files)
    before = rows_per_table(fresh_database)

    with pytest.raises(
        BackupError, match="not empty .*the database has .*private storage has 1 files"
    ):
        restore_read(archive, settings_dict=fresh_database, file_storages=fresh_files)
    restored = restore_read(
        archive, settings_dict=fresh_database, file_storages=fresh_files, force=True
    )
    assert restored.differences() == {}
    assert rows_per_table(fresh_database) == before
    assert len(files_in(tmp_path / "restored")) == 2


def test_the_commands_back_up_and_refuse_to_restore_over_the_running_instance(
    network_with_receipt, tmp_path
):
    archive = tmp_path / "spilka.tar.gz"
    out = io.StringIO()
    call_command("spilka_backup", str(archive), stdout=out)
    assert "2 files" in out.getvalue()
    with pytest.raises(CommandError, match="exists already"):
        call_command("spilka_backup", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty .*the database has"):
        call_command("spilka_restore", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="does not exist"):
        call_command("spilka_restore", str(tmp_path / "missing.tar.gz"), stdout=io.StringIO())


def test_without_pg_dump_the_error_names_the_debian_package(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(BackupError, match="apt install postgresql-client"):
        postgres_tool("pg_dump")
