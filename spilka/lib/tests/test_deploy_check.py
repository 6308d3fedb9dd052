"""Django's deployment checklist passes with the production environment variables."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]


def _production_env(var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SPILKA_", "DATABASE_", "DJANGO_"))
    }
    alphabet = string.ascii_letters + string.digits + string.punctuation
    env.update(
        {
            "SPILKA_DEBUG": "false",
            "SPILKA_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(64)),
            "SPILKA_ALLOWED_HOSTS": "spilka.example.org",
            "SPILKA_VAR_DIR": str(var_dir),
        }
    )
    return env


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output


def test_private_files_live_outside_the_served_media_folder(settings):
    from pathlib import Path

    from spilka.lib.storage import private_storage

    storage = private_storage()
    assert Path(storage.location).resolve() != Path(settings.MEDIA_ROOT).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() not in Path(storage.location).resolve().parents
    with pytest.raises(ValueError):
        storage.url("receipts/2022/03/fuel.pdf")
