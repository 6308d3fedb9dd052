"""One migrated test database with the demo per run, copied for each pytest-xdist worker.

Every worker used to migrate its own test database (about 12 CPU-seconds of Django's
migration state rendering) and load the demo into it (6 to 12 s more): with two workers in
each of CI's two passes, four times. Now the controlling process does it once, before the
workers start, and each worker copies the result, as pytest-django's documentation
suggests for a template database:

- PostgreSQL: the controller's test database (``test_spilka``) is the template; each worker
  gets ``test_spilka_gw0``, ``…_gw1`` from ``CREATE DATABASE … TEMPLATE`` (Django's
  ``clone_test_db``), a file copy inside the server.
- SQLite: the controller's in-memory database is written to a temporary file; each worker
  reads it into an in-memory database of its own with SQLite's backup API.

The workers are handed what the demo load returned and the row counts of the freshly
migrated tables, so ``tests/demo_snapshot.py`` can write the demo back for transactional
tests exactly as if the worker had loaded it itself. The migrations that build the
template are the real ones, as before.

Without pytest-xdist, with ``--reuse-db`` (``make test-fast`` keeps each worker's
database between runs), or with ``SPILKA_TEST_TEMPLATE=0`` (to compare), each process sets
up its own database as before.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

ALIAS = "default"
POSTGRESQL = "tests.postgresql"


@dataclass
class Template:
    vendor: str
    name: str  # PostgreSQL: the template database; SQLite: the file holding it
    empty_counts: dict[str, int]
    result: Any  # what the demo loader returned


def applies(config: pytest.Config) -> bool:
    """In the controller of a pytest-xdist run that creates its databases afresh."""
    if hasattr(config, "workerinput") or os.environ.get("SPILKA_TEST_TEMPLATE") == "0":
        return False
    if config.pluginmanager.getplugin("dsession") is None:
        return False
    return not (config.getvalue("reuse_db") and not config.getvalue("create_db"))


def test_database_options(database: dict[str, Any]) -> None:
    """What every test database of the run connects with (controller and workers): set
    once per process, by the root conftest's ``pytest_configure``, on the very settings
    every connection is made from."""
    if database["ENGINE"] in ("django.db.backends.postgresql", POSTGRESQL):
        # Django's backend, emptying the tables after a transactional test more cheaply
        # (tests/postgresql/base.py).
        database["ENGINE"] = POSTGRESQL
        # A commit waited for its fsync (about 15 ms here): the demo load, every
        # transactional and browser test and the live server commit thousands of times. The
        # test database need not survive a crash of the server; commits stay atomic and
        # visible to other connections as before.
        options = database.setdefault("OPTIONS", {})
        if "synchronous_commit" not in options.get("options", ""):
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


def build(config: pytest.Config) -> None:
    """Migrate one test database and load the demo into it (controller only)."""
    from django.db import connections
    from django.test.utils import setup_databases, setup_test_environment
    from pytest_django.plugin import blocking_manager_key

    from spilka.demo import load_all
    from tests.demo_snapshot import migrated_counts

    setup_test_environment(debug=False)  # as pytest-django's session fixture does
    blocker = config.stash[blocking_manager_key]
    with blocker.unblock():
        old_config = setup_databases(
            verbosity=0, interactive=False, aliases={ALIAS}, serialized_aliases=set()
        )
        connection = connections[ALIAS]
        empty_counts = migrated_counts()
        result = load_all()
        if connection.vendor == "postgresql":
            name = connection.settings_dict["NAME"]
            connection.close()  # no session may be connected to a template
        else:
            handle, path = tempfile.mkstemp(prefix="spilka-test-template-", suffix=".sqlite3")
            os.close(handle)
            connection.ensure_connection()
            with sqlite3.connect(path) as copy:
                connection.connection.backup(copy)
            copy.close()
            name = path
    config.spilka_template = Template(connection.vendor, name, empty_counts, result)  # type: ignore[attr-defined]
    config.spilka_template_old_config = old_config  # type: ignore[attr-defined]


def hand_to(node: Any) -> None:
    """Tell a worker where the template is (controller, before the worker starts)."""
    template = getattr(node.config, "spilka_template", None)
    if template is not None:
        node.workerinput["spilka_template"] = asdict(template)


def given(config: pytest.Config) -> Template | None:
    """The template this worker was handed, if any."""
    data = getattr(config, "workerinput", {}).get("spilka_template")
    return Template(**data) if data else None


def copy_for_worker(template: Template, worker: str) -> str:
    """Point this worker's connection at its own copy of the template; returns the name
    to put back when the session ends."""
    from django.conf import settings
    from django.db import connections

    from spilka.demo import load_all
    from tests.demo_snapshot import remember

    connection = connections[ALIAS]
    original = connection.settings_dict["NAME"]
    if template.vendor == "postgresql":
        connection.close()
        connection.settings_dict["NAME"] = template.name
        connection.creation.clone_test_db(suffix=worker, verbosity=0, autoclobber=True)
        name = connection.creation.get_test_db_clone_settings(worker)["NAME"]
    else:
        # A shared-cache in-memory database lives while a connection to it is open: the
        # connection Django keeps for it (it never closes one to an in-memory database).
        name = f"file:spilka-test-{worker}?mode=memory&cache=shared"
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.ensure_connection()
        with sqlite3.connect(template.name) as source:
            source.backup(connection.connection)
        source.close()
    connection.settings_dict["NAME"] = name
    settings.DATABASES[ALIAS]["NAME"] = name
    connection.close()
    remember(load_all, template.empty_counts, template.result)
    return original


def drop_worker_copy(original: str) -> None:
    from django.db import connections

    connections[ALIAS].creation.destroy_test_db(old_database_name=original, verbosity=0)


def remove(config: pytest.Config) -> None:
    """Drop the template (controller, when the run ends)."""
    template = getattr(config, "spilka_template", None)
    if template is None:
        return
    from django.test.utils import teardown_databases, teardown_test_environment
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        teardown_databases(config.spilka_template_old_config, verbosity=0)  # type: ignore[attr-defined]
    teardown_test_environment()
    if template.vendor != "postgresql":
        Path(template.name).unlink(missing_ok=True)
