"""One background export written as its task writes it, on the 100x database: rows a second.

    .venv/bin/python bench/scale_export.py          # funds.books: the 996,014-entry fund
    .venv/bin/python bench/scale_export.py --kind campaigns.signatures --params '{"slug": "…"}'
    .venv/bin/python bench/scale_export.py --format xlsx --language uk

Database: ``SCALE_DATABASE_URL`` (default postgresql://postgres@127.0.0.1:5432/spilka_scale),
built by ``bench/scale.py``. The requester is the organiser ``bench/scale.py`` gives the big
organisation's roles (run it once with ``--reuse`` first). Does what ``export_build`` does
between claiming the export and storing the file: the kind's access check, ``count``, then
``rows`` through the task's progress counter (its UPDATEs included) into ``export_write``,
to a temporary file. Writes no export row, stores no file, sends no mail.

Prints the rows, the seconds, rows/s, the queries and the file's sha256: a change that
should leave the file as it was must print the same digest (the file names no date).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BIG_URL = "postgresql://postgres@127.0.0.1:5432/spilka_scale"
ORGANISER = "organiser@usc.example"
BOOKS = {"org": "ukraine-solidarity-campaign", "fund": "solidarity-fund"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kind", default="funds.books")
    parser.add_argument("--params", help="the export's parameters as JSON")
    parser.add_argument("--format", default="csv", choices=["csv", "xlsx"])
    parser.add_argument("--language", default="en")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = os.environ.get("SCALE_DATABASE_URL", BIG_URL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "scale_settings"
    os.environ.setdefault("SPILKA_DEBUG", "false")
    os.environ.setdefault("SPILKA_SECRET_KEY", "scale-bench-" + "x" * 40)
    os.environ.setdefault("SPILKA_ALLOWED_HOSTS", "localhost")
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from spilka.exports.registry import export_kind_get
    from spilka.exports.services import _counted
    from spilka.lib.exports import export_write

    kind = export_kind_get(args.kind)
    params = json.loads(args.params) if args.params else BOOKS
    user = get_user_model().objects.get(email=ORGANISER)
    with (
        translation.override(args.language),
        tempfile.TemporaryFile() as output,
        CaptureQueriesContext(connection) as queries,
    ):
        start = time.perf_counter()
        subject = kind.subject(user, params)
        total = kind.count(subject, params)
        rows = _counted(kind.rows(subject, params), export_id=0, skip=kind.header_rows)
        export_write(rows, output, fmt=args.format, sheet_title=str(kind.sheet_title))
        seconds = time.perf_counter() - start
        output.seek(0)
        digest = hashlib.file_digest(output, "sha256").hexdigest()
        size = output.seek(0, 2)
    print(
        f"{args.kind} {args.format} ({args.language}): {total:,} rows in {seconds:.1f} s "
        f"= {total / seconds:,.0f} rows/s; {len(queries.captured_queries)} queries "
        f"(progress UPDATEs included); {size / 1e6:.1f} MB; sha256 {digest}"
    )


if __name__ == "__main__":
    main()
