"""Import exchange rates from a file: the ECB's CSV or the NBU's JSON. No network.

These reference rates are instance data that every organisation's books use: this command
(or instance staff with a verified second factor, on /money/reference-rates/) loads them,
never an organisation's treasurer. Each import writes an instance-level audit row.

manage.py import_rates ecb path/to/eurofxref-hist.csv
manage.py import_rates nbu path/to/nbu-exchange.json
manage.py import_rates --samples        # the small files shipped in funds/rates_samples
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from spilka.funds.services.rate_imports import rates_import

SAMPLES = Path(__file__).resolve().parents[2] / "rates_samples"
SAMPLE_FILES = (
    ("ecb", SAMPLES / "eurofxref-hist-sample.csv"),
    ("nbu", SAMPLES / "nbu-exchange-sample.json"),
)


class Command(BaseCommand):
    help = "Import dated exchange rates from an ECB CSV or an NBU JSON file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("format", nargs="?", choices=["ecb", "nbu"])
        parser.add_argument("path", nargs="?")
        parser.add_argument("--samples", action="store_true", help="Import the shipped samples.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["samples"]:
            jobs = list(SAMPLE_FILES)
        elif options["format"] and options["path"]:
            jobs = [(options["format"], Path(options["path"]))]
        else:
            raise CommandError("Give a format and a file, or --samples.")
        for fmt, path in jobs:
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Cannot read {path}: {error}") from None
            try:
                result = rates_import(text=text, fmt=fmt, by="import_rates")
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
            self.stdout.write(
                f"{fmt}: {result.created} rates added, {result.skipped} already present, "
                f"{result.dates} dates"
            )
