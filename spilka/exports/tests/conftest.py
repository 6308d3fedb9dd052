from __future__ import annotations

import pytest

from spilka.lib.storage import private_storage
from spilka.lib.testing import storages_moved


@pytest.fixture(autouse=True)
def _private_files(tmp_path):
    # Export files go to a private directory per test, never MEDIA_ROOT.
    storage = private_storage()
    with storages_moved([(storage, str(tmp_path / "private"))]):
        yield storage
