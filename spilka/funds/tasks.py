"""Background work for funds. Each task is defined beside the service it runs; this module
names them under the path jobs already queued were stored with."""

from spilka.funds.services.imports import import_statement

__all__ = ["import_statement"]
