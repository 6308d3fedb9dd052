"""Run the task worker: every queue, a lane of its own for mail, heartbeat and reaper.

    manage.py spilka_worker                    # all queues + a mail-only lane (the default)
    manage.py spilka_worker --queue-name email --no-mail-lane   # a mail-only process

Unlike ``db_worker`` it does not exit when the database goes away: it backs off (1 s, 2 s,
4 s … up to 30 s) and carries on when the database answers again.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sys
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string

from spilka.lib.worker import MAIL_QUEUE, Keeper, Lane

log = logging.getLogger("spilka.lib.worker")


def default_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"[:64]


class Command(BaseCommand):
    help = "Run the task worker (survives database outages; mail has a lane of its own)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue-name",
            default="*",
            help="Queues for the main lane, comma-separated; '*' for all (default).",
        )
        parser.add_argument(
            "--mail-lane",
            action=argparse.BooleanOptionalAction,
            default=True,
            help=f"Also run a lane serving only the {MAIL_QUEUE!r} queue (default: yes).",
        )
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--worker-id", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        worker_id = options["worker_id"] or default_worker_id()
        queues = [name.strip() for name in options["queue_name"].split(",") if name.strip()]
        lanes = [Lane(queue_names=queues, interval=options["interval"], worker_id=worker_id)]
        if options["mail_lane"] and queues != [MAIL_QUEUE]:
            lanes.append(
                Lane(queue_names=[MAIL_QUEUE], interval=options["interval"], worker_id=worker_id)
            )
        keeper = Keeper(worker_id=worker_id, queues=",".join(queues))
        self.install_signals(lanes, keeper)

        threads = [threading.Thread(target=keeper.run, name="heartbeat", daemon=True)]
        threads += [
            threading.Thread(target=lane.run, name=f"lane-{i}", daemon=True)
            for i, lane in enumerate(lanes[1:], start=1)
        ]
        for thread in threads:
            thread.start()
        lanes[0].run()
        for lane in lanes[1:]:
            lane.stop()
        for thread in threads[1:]:
            thread.join()  # let the other lanes finish the task in hand
        keeper.stopped.set()

    def install_signals(self, lanes: list[Lane], keeper: Keeper) -> None:
        def shutdown(signum: int, frame: FrameType | None) -> None:
            if not lanes[0].running:
                log.warning("%s again: stopping now", signal.strsignal(signum))
                sys.exit(1)
            log.warning("%s: finishing the tasks in hand, then stopping", signal.strsignal(signum))
            for lane in lanes:
                lane.stop()
            keeper.stopped.set()

        signal.signal(signal.SIGINT, shutdown)
        signal.signal(signal.SIGTERM, shutdown)

    def configure_logging(self, verbosity: int) -> None:
        level = logging.WARNING if verbosity == 0 else logging.INFO
        for name in ("spilka.lib.worker", "django_tasks", "django_tasks_db"):
            logger = logging.getLogger(name)
            logger.setLevel(level)
            if not logger.hasHandlers():
                logger.addHandler(logging.StreamHandler(self.stdout))
