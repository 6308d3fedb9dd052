"""Shared fixtures: named personas built by calling services, never by raw inserts.

- ``usc_admin``: administrator (and organiser) of the Ukraine Solidarity Campaign.
- ``razem_organiser``: organiser of Razem, another organisation: sees none of USC's private data.
- ``ussc_translator``: translator of the US campaign.
- ``anon``: an anonymous visitor (a plain test client).
"""

from __future__ import annotations

import gc
import shutil
import tempfile
from pathlib import Path

import pytest
from django.test import Client

from spilka.lib.storage import private_storage
from spilka.lib.testing import TEST_PASSWORD, private_storage_move, user_with_roles
from spilka.network.models import Organisation
from tests import template_db

PASSWORD = TEST_PASSWORD

# Argon2 at production cost takes about 0.2 s of CPU per hash (and more in wall time on a
# busy machine): every persona, every demo account and every sign-in with a password paid
# it. Tests use the same Argon2 at its smallest cost in its place (a full-cost Argon2 hash
# still verifies: the cost is read from the hash). Production settings are untouched.
FAST_PASSWORD_HASHER = "spilka.lib.testing.FastArgon2PasswordHasher"

# Python's cyclic garbage collector, at its default thresholds, ran a full collection about
# thirty times in each worker, each one walking every object the process holds: the test
# modules, Django's registries, the demo's copy. That was 12-14 CPU-seconds per worker in
# the SQLite pass, 7% of its CPU. Once the session's database is ready, what exists then is
# moved out of the collector's sight for good (``gc.freeze()``: it lives until the process
# ends anyway), and the youngest generation is collected every 10,000 allocations rather
# than 700. Measured in the SQLite pass: 26.5 -> 11.8 CPU-seconds of collection over both
# workers. Tests only; the application keeps Python's defaults.
GC_THRESHOLDS = (10_000, 10, 10)


def pytest_configure(config):
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    gc.set_threshold(*GC_THRESHOLDS)
    settings.PASSWORD_HASHERS = [FAST_PASSWORD_HASHER] + [
        h for h in settings.PASSWORD_HASHERS if not h.endswith(".Argon2PasswordHasher")
    ]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()
    # A PostgreSQL test database uses the suite's backend, with its options
    # (tests/template_db.py): the connection Django's start-up opened is made again.
    from django.db import connections

    template_db.test_database_options(settings.DATABASES["default"])
    if any(conn.alias == "default" for conn in connections.all(initialized_only=True)):
        connections["default"].close()
        del connections["default"]
    # Private files (exports, receipts, statements) written by any test go to a temporary
    # directory of this process, never into the checkout's var/private.
    if settings.STORAGES.get("private", {}).get("BACKEND", "").endswith("FileSystemStorage"):
        config.spilka_private_root = tempfile.mkdtemp(prefix="spilka-private-")
        private_storage_move(private_storage(), config.spilka_private_root)


def pytest_unconfigure(config):
    root = getattr(config, "spilka_private_root", None)
    if root:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    # Tasks run in-process in tests; they still only start after the transaction commits.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "email"],
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tests see a petition's new count or status at once (production reuses it for a second).
    settings.SPILKA_PETITION_STATE_SECONDS = 0


@pytest.fixture(autouse=True)
def _english():
    # Requests activate their language in this thread; start every test from English.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    from spilka.lib import process_cache

    for cache in caches.all():
        cache.clear()
    process_cache.clear_all()
    yield
    for cache in caches.all():
        cache.clear()
    process_cache.clear_all()


def pytest_sessionstart(session):
    # pytest-xdist's controller: one migrated test database with the demo for all workers.
    if template_db.applies(session.config):
        template_db.build(session.config)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    template_db.hand_to(node)


def pytest_sessionfinish(session):
    template_db.remove(session.config)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request):
    # `--reuse-db` (`make test-fast`) keeps the test database between runs. SQLite's test
    # database otherwise lives in memory and dies with the process: give it a file in var/
    # then (one per pytest-xdist worker, by the suffix below). CI never passes --reuse-db.
    from django.conf import settings

    config = request.config
    database = settings.DATABASES["default"]
    if config.getvalue("reuse_db") and not config.getvalue("create_db"):
        test = database.setdefault("TEST", {})
        if database["ENGINE"] == "django.db.backends.sqlite3" and not test.get("NAME"):
            test["NAME"] = str(Path(settings.VAR_DIR) / "test-spilka.sqlite3")
    request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    # The demo network is loaded once; each test runs in a transaction rolled back after it.
    # Its copy is kept for the transactional tests (tests/demo_snapshot.py), which empty the
    # tables and load the same demo again. Under pytest-xdist the database (migrated, with
    # the demo) is a copy of the one the controller made (tests/template_db.py); otherwise
    # this process makes its own, as pytest-django's fixture would.
    from django.test.utils import setup_databases, teardown_databases

    from spilka.demo import load_all
    from tests.demo_snapshot import load_demo_remembered

    config = request.config
    template = template_db.given(config)
    with django_db_blocker.unblock():
        if template is not None:
            original = template_db.copy_for_worker(template, config.workerinput["workerid"])
        else:
            keepdb = bool(config.getvalue("reuse_db") and not config.getvalue("create_db"))
            old_config = setup_databases(
                verbosity=0, interactive=False, keepdb=keepdb, serialized_aliases=set()
            )
            load_demo_remembered(load_all)
    gc.collect()
    gc.freeze()  # see GC_THRESHOLDS
    yield
    with django_db_blocker.unblock():
        if template is not None:
            template_db.drop_worker_copy(original)
        elif not keepdb:
            teardown_databases(old_config, verbosity=0)


_emptied_for_transactional_tests = False


def _transactional(item: pytest.Item) -> bool:
    # As pytest-django decides (it runs these after the tests that roll back).
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.fixture(autouse=True)
def _transactional_tests_start_emptied(request, django_db_blocker):
    # A transactional test empties every table after it runs, so each one starts from the
    # tables the one before it emptied. The first one in a process would instead see the
    # demo loaded for the whole session, and with pytest-xdist which test that is depends
    # on how the tests were shared out: empty the tables for it too.
    global _emptied_for_transactional_tests
    if not _emptied_for_transactional_tests and _transactional(request.node):
        from django.core.management import call_command

        with django_db_blocker.unblock():
            call_command("flush", verbosity=0, interactive=False)
        _emptied_for_transactional_tests = True


@pytest.fixture
def demo(db):
    # Transactional tests (run last) empty the tables; the network is loaded again for them,
    # from this process's copy after the first time (tests/demo_snapshot.py).
    if not Organisation.objects.exists():
        from spilka.network.demo import load_demo
        from tests.demo_snapshot import load_demo_fresh

        load_demo_fresh(load_demo)
    return {org.slug: org for org in Organisation.objects.all()}


@pytest.fixture
def usc(demo):
    return demo["ukraine-solidarity-campaign"]


@pytest.fixture
def usc_admin(demo):
    return user_with_roles(
        "admin@usc.test",
        [
            (demo["ukraine-solidarity-campaign"], "admin"),
            (demo["ukraine-solidarity-campaign"], "organiser"),
        ],
    )


@pytest.fixture
def razem_organiser(demo):
    return user_with_roles("organiser@razem.test", [(demo["razem"], "organiser")])


@pytest.fixture
def ussc_translator(demo):
    return user_with_roles("translator@ussc.test", [(demo["ussc"], "translator")])


@pytest.fixture
def anon():
    return Client()


def client_for(user, *, verified: bool = True) -> Client:
    """A client signed in as ``user``.

    ``verified``: with a second factor verified in the session, as administrators,
    treasurers and staff need before any page (``spilka.accounts.middleware``). Pass
    ``verified=False`` to test that requirement itself.
    """
    from spilka.accounts.tests.otp import mark_verified

    client = Client()
    if verified:
        return mark_verified(client, user)
    client.force_login(user)
    return client


@pytest.fixture
def login():
    return client_for
