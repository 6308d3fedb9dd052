"""Restore an archive written by spilka_backup into an empty instance (spilka/lib/restore.py).

createdb spilka && manage.py spilka_restore /srv/backups/spilka-2026-12-07.tar.gz
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from spilka.lib.backup import BackupError
from spilka.lib.restore import restore_read


class Command(BaseCommand):
    help = "Restore the database and files from a spilka_backup archive into an empty instance."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="Path of the archive (.tar.gz).")
        parser.add_argument(
            "--database", default="default", help="Database alias (default: default)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what the target database and storages hold instead of refusing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist.")
        connection = connections[options["database"]]
        connection.close()  # SQLite: the file is replaced under this process
        try:
            restored = restore_read(
                archive,
                settings_dict=connection.settings_dict,
                force=options["force"],
                report=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        differences = restored.differences()
        width = max((len(label) for label in restored.counts), default=10)
        self.stdout.write(f"{'model':{width}}  {'backup':>9}  {'restored':>9}")
        for label in sorted(set(restored.counts) | set(restored.manifest.counts)):
            mark = "  DIFFERS" if label in differences else ""
            self.stdout.write(
                f"{label:{width}}  {restored.manifest.counts.get(label, '-'):>9}  "
                f"{restored.counts.get(label, '-'):>9}{mark}"
            )
        if differences:
            raise CommandError(f"{len(differences)} models have other counts than the backup.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(restored.counts.values())} rows and "
                f"{len(restored.manifest.files)} files; every count matches the backup."
            )
        )
