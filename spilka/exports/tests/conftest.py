from __future__ import annotations

import pytest

from spilka.lib.storage import private_storage


@pytest.fixture(autouse=True)
def _private_files(tmp_path):
    # Export files go to a private directory per test, never MEDIA_ROOT.
    storage = private_storage()
    before = storage.__dict__.get("_location")
    storage._location = str(tmp_path / "private")
    for attr in ("base_location", "location"):
        storage.__dict__.pop(attr, None)
    yield storage
    storage._location = before
    for attr in ("base_location", "location"):
        storage.__dict__.pop(attr, None)
