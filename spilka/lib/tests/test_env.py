"""The typed environment helpers, and settings failing loudly on bad values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from spilka.lib.env import env_bool, env_choice, env_int, env_list, env_str

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("yes", True),
        ("on", True),
        ("1", True),
        (" true ", True),
        ("false", False),
        ("No", False),
        ("off", False),
        ("0", False),
    ],
)
def test_env_bool_reads_common_spellings(raw, expected):
    assert env_bool("SPILKA_FLAG", not expected, environ={"SPILKA_FLAG": raw}) is expected


def test_env_bool_falls_back_to_default_when_unset_or_blank():
    assert env_bool("SPILKA_FLAG", True, environ={}) is True
    assert env_bool("SPILKA_FLAG", False, environ={"SPILKA_FLAG": "  "}) is False


def test_env_bool_rejects_maybe_naming_the_variable():
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_bool("SPILKA_DEBUG", False, environ={"SPILKA_DEBUG": "maybe"})
    assert "SPILKA_DEBUG" in str(excinfo.value)
    assert "maybe" in str(excinfo.value)


def test_env_int_reads_whole_numbers_and_defaults():
    assert env_int("SPILKA_PORT", 25, environ={"SPILKA_PORT": "587"}) == 587
    assert env_int("SPILKA_PORT", 25, environ={}) == 25
    assert env_int("SPILKA_PORT", 25, minimum=1, maximum=65535, environ={"SPILKA_PORT": "1"}) == 1
    assert (
        env_int("SPILKA_PORT", 25, minimum=1, maximum=65535, environ={"SPILKA_PORT": "65535"})
        == 65535
    )


def test_env_int_rejects_words_naming_the_variable():
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_int("SPILKA_LOGIN_ATTEMPTS", 5, environ={"SPILKA_LOGIN_ATTEMPTS": "ten"})
    assert "SPILKA_LOGIN_ATTEMPTS" in str(excinfo.value)
    assert "ten" in str(excinfo.value)


def test_env_int_rejects_a_number_below_the_minimum():
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_int("SPILKA_LOGIN_ATTEMPTS", 5, minimum=1, environ={"SPILKA_LOGIN_ATTEMPTS": "0"})
    assert "SPILKA_LOGIN_ATTEMPTS" in str(excinfo.value)
    assert "1" in str(excinfo.value)


def test_env_int_rejects_a_number_above_the_maximum():
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_int("SPILKA_EMAIL_PORT", 25, maximum=65535, environ={"SPILKA_EMAIL_PORT": "70000"})
    assert "SPILKA_EMAIL_PORT" in str(excinfo.value)
    assert "65535" in str(excinfo.value)


def test_env_list_splits_on_commas_and_drops_blanks():
    environ = {"SPILKA_ALLOWED_HOSTS": " a.example.org, ,b.example.org ,"}
    assert env_list("SPILKA_ALLOWED_HOSTS", environ=environ) == ["a.example.org", "b.example.org"]


def test_env_list_defaults_to_a_copy_of_the_default():
    default = ["localhost"]
    result = env_list("SPILKA_ALLOWED_HOSTS", default, environ={})
    assert result == ["localhost"]
    result.append("other")
    assert default == ["localhost"]
    assert env_list("SPILKA_ALLOWED_HOSTS", environ={}) == []


def test_env_choice_accepts_a_listed_value_and_defaults():
    choices = ("outbox", "smtp", "console")
    assert env_choice("SPILKA_EMAIL_BACKEND", choices, "outbox", environ={}) == "outbox"
    assert (
        env_choice(
            "SPILKA_EMAIL_BACKEND", choices, "outbox", environ={"SPILKA_EMAIL_BACKEND": "smtp"}
        )
        == "smtp"
    )


def test_env_choice_rejects_an_unknown_value_naming_the_variable_and_choices():
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_choice(
            "SPILKA_EMAIL_BACKEND",
            ("outbox", "smtp"),
            "outbox",
            environ={"SPILKA_EMAIL_BACKEND": "carrier-pigeon"},
        )
    message = str(excinfo.value)
    assert "SPILKA_EMAIL_BACKEND" in message
    assert "carrier-pigeon" in message
    assert "outbox" in message and "smtp" in message


def test_env_str_returns_the_stripped_value_or_the_default():
    assert env_str("SPILKA_SITE_URL", environ={"SPILKA_SITE_URL": " https://x.org "}) == (
        "https://x.org"
    )
    assert env_str("SPILKA_SITE_URL", "fallback", environ={}) == "fallback"
    assert env_str("SPILKA_SITE_URL", "fallback", environ={"SPILKA_SITE_URL": ""}) == "fallback"
    assert env_str("SPILKA_SITE_URL", environ={}) is None


def test_helpers_read_the_process_environment_without_environ(monkeypatch):
    monkeypatch.setenv("SPILKA_TEST_ONLY_FLAG", "yes")
    assert env_bool("SPILKA_TEST_ONLY_FLAG", False) is True


# The settings module is imported in a fresh process, as a server's start-up imports it: every
# check below is made there (spilka/settings.py). Loading the apps as well (django.setup())
# would add 1.2 CPU-seconds a test and check nothing more.
LOAD_SETTINGS = (
    "import os; os.environ['DJANGO_SETTINGS_MODULE']='spilka.settings'; "
    "from django.conf import settings; settings.INSTALLED_APPS"
)


def _load_settings(
    tmp_path: Path, then: str = "", **overrides: str
) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh process with ``overrides`` in its environment, then
    run the Python statement ``then``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SPILKA_", "DATABASE_", "DJANGO_"))
    }
    env["SPILKA_VAR_DIR"] = str(tmp_path)
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-c", f"{LOAD_SETTINGS}; {then}" if then else LOAD_SETTINGS],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_settings_refuse_a_debug_flag_of_maybe(tmp_path):
    result = _load_settings(tmp_path, SPILKA_DEBUG="maybe")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SPILKA_DEBUG='maybe' is not a boolean" in result.stderr


def test_settings_in_production_require_a_secret_key(tmp_path):
    result = _load_settings(
        tmp_path, SPILKA_DEBUG="false", SPILKA_ALLOWED_HOSTS="spilka.example.org"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SPILKA_SECRET_KEY" in result.stderr.strip().splitlines()[-1]


def test_settings_load_with_good_values(tmp_path):
    # The control for the two tests above: the same command works with sane values.
    result = _load_settings(tmp_path, SPILKA_DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_settings_in_production_refuse_the_outbox(tmp_path):
    # The outbox shows every mail, password-reset links included, in a web page.
    result = _load_settings(
        tmp_path,
        SPILKA_DEBUG="false",
        SPILKA_SECRET_KEY="x" * 60,
        SPILKA_ALLOWED_HOSTS="spilka.example.org",
        SPILKA_EMAIL_BACKEND="outbox",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SPILKA_EMAIL_BACKEND=outbox" in result.stderr.strip().splitlines()[-1]


def test_settings_in_production_accept_smtp(tmp_path):
    result = _load_settings(
        tmp_path,
        SPILKA_DEBUG="false",
        SPILKA_SECRET_KEY="x" * 60,
        SPILKA_ALLOWED_HOSTS="spilka.example.org",
    )
    assert result.returncode == 0, result.stderr


def _cache_backend(tmp_path: Path, **overrides: str) -> str:
    result = _load_settings(tmp_path, "print(settings.CACHES['default']['BACKEND'])", **overrides)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


PRODUCTION = {
    "SPILKA_DEBUG": "false",
    "SPILKA_SECRET_KEY": "x" * 60,
    "SPILKA_ALLOWED_HOSTS": "spilka.example.org",
}


def test_production_without_redis_shares_the_cache_through_the_database(tmp_path):
    # Rate limits and replay marks must be shared by every process, not kept in each.
    backend = _cache_backend(tmp_path, **PRODUCTION)
    assert backend == "django.core.cache.backends.db.DatabaseCache"


def test_production_with_redis_uses_redis(tmp_path):
    backend = _cache_backend(tmp_path, **PRODUCTION, SPILKA_CACHE_URL="redis://127.0.0.1:6379/0")
    assert backend.endswith("RedisCache")


def test_debug_keeps_the_cache_in_memory(tmp_path):
    backend = _cache_backend(tmp_path, SPILKA_DEBUG="true")
    assert backend == "django.core.cache.backends.locmem.LocMemCache"


def test_createcachetable_creates_the_database_cache_table(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SPILKA_", "DATABASE_", "DJANGO_"))
    }
    env.update(PRODUCTION, SPILKA_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "createcachetable"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "spilka.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "spilka_cache" in tables
