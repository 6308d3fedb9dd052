"""`manage.py load_demo` refuses to run in production unless told so explicitly."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from spilka.network.models import Organisation

pytestmark = pytest.mark.django_db


def test_load_demo_refuses_to_run_when_debug_is_off(settings, monkeypatch):
    settings.DEBUG = False
    called = []
    monkeypatch.setattr(
        "spilka.lib.management.commands.load_demo.load_all", lambda: called.append(1) or {}
    )
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo")
    assert called == []


def test_load_demo_runs_in_production_only_with_allow_production(settings, demo, capsys):
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--allow-production")
    assert "Demo network loaded" in capsys.readouterr().out
    assert Organisation.objects.filter(slug="ukraine-solidarity-campaign").exists()


def test_load_demo_runs_in_debug(settings, demo, capsys):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo")
    assert "admin@spilka.example" in capsys.readouterr().out
