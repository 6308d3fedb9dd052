"""Mass email: 100,000 personalised messages rendered and handed to a local SMTP server.

    .venv/bin/python bench/mailing.py                      # 100,000 recipients, PostgreSQL
    .venv/bin/python bench/mailing.py --recipients 10000 --database sqlite

An aiosmtpd sink runs in a thread of this process and counts what it receives. The send
is ``mailing_send_run``, the function the task worker runs, with Django's SMTP backend:
one connection per batch of 500 (``send_messages`` on the list). Recipients speak en, uk,
pl and ru; the mailing is written in en, uk and pl (ru readers get the original), with
merge fields, and every message carries its own signed one-click unsubscribe link.
Target: under 5 minutes for 100,000 on this 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_supporters import organisation, setup_django  # noqa: E402


class Sink:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()
        self.sample: bytes = b""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.count += 1
            if not self.sample:
                self.sample = envelope.content
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    args = parser.parse_args()
    setup_django(args.database)

    import logging

    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.utils import timezone

    from spilka.outreach.models import Mailing, Supporter, SupporterStatus
    from spilka.outreach.selectors import mailing_recipient_count
    from spilka.outreach.services import mailings
    from spilka.outreach.services.counts import supporter_counts_rebuild

    logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's per-connection chatter
    sink = Sink()
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""

    org = organisation()
    rng = random.Random(5)
    names = ["Olena Petrenko", "Marta Nowak", "Sian Evans", "Taras Bondar", "", "Iryna Moroz"]
    now = timezone.now()
    Supporter.objects.bulk_create(
        (
            Supporter(
                organisation=org,
                email=f"reader{n:07d}@example.org",
                name=rng.choice(names),
                language=rng.choice(["en", "uk", "pl", "ru"]),
                status=SupporterStatus.SUBSCRIBED,
                created_at=now,
                updated_at=now,
            )
            for n in range(args.recipients)
        ),
        batch_size=5000,
    )
    supporter_counts_rebuild(organisation_id=org.pk)  # inserted in bulk, past the services
    mailing = mailings.mailing_create(
        organisation=org,
        by="bench",
        subject={
            "en": "News for {{ first_name|friend }}",
            "uk": "Новини для {{ first_name|друже }}",
            "pl": "Wiadomości dla {{ first_name|przyjaciela }}",
        },
        body={
            "en": "Dear {{ first_name|friend }},\n\n" + "Solidarity news. " * 60,
            "uk": "Дорогий {{ first_name|друже }},\n\n" + "Новини солідарності. " * 60,
            "pl": "Cześć {{ first_name|przyjacielu }},\n\n" + "Wiadomości solidarności. " * 60,
        },
        original_language="en",
    )
    mailings.mailing_queue(
        mailing=mailing,
        by="bench",
        base_url="https://spilka.example",
        confirmed_count=mailing_recipient_count(mailing),
    )
    print(
        f"database: {args.database}; recipients: {args.recipients:,}; batch: {args.batch}; "
        f"SMTP sink on 127.0.0.1:{port} (thread); load average: {os.getloadavg()[0]:.1f}"
    )

    started, cpu = time.perf_counter(), time.process_time()
    done = mailings.mailing_send_run(mailing_id=mailing.pk, batch_size=args.batch)
    total = time.perf_counter() - started
    deadline = time.time() + 30
    while sink.count < done.sent_count and time.time() < deadline:
        time.sleep(0.1)
    controller.stop()
    done = Mailing.objects.get(pk=mailing.pk)
    print(f"sent: {done.sent_count:,}; received by the sink: {sink.count:,}; status: {done.status}")
    print(
        f"total: {total:.1f} s; messages/s: {done.sent_count / total:,.0f}; "
        f"CPU of this process: {time.process_time() - cpu:.1f} s; "
        f"load average after: {os.getloadavg()[0]:.1f}"
    )
    import email

    sample = email.message_from_bytes(sink.sample)
    print("sample List-Unsubscribe:", " ".join(str(sample["List-Unsubscribe"]).split()))
    print("sample List-Unsubscribe-Post:", sample["List-Unsubscribe-Post"])


if __name__ == "__main__":
    main()
