"""Queue again the tasks whose worker died mid-run (the worker also does this every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from spilka.lib.worker import tasks_reap


class Command(BaseCommand):
    help = "Queue again tasks RUNNING past the lease whose worker stopped sending heartbeats."

    def handle(self, *args: Any, **options: Any) -> None:
        count = tasks_reap()
        self.stdout.write(f"{count} task(s) queued again.")
