"""The API personas (see ``spilka/api/tests/conftest.py``)."""

from spilka.api.tests.conftest import razem, razem_reader, usc_reader, usc_writer  # noqa: F401
