"""Private files: receipts, bank statements, recipients' photos.

They live in their own storage (``STORAGES["private"]``), outside MEDIA_ROOT, so no web
server serves them; a view that checks who is asking streams them. On the filesystem they
have no URL at all; on S3 they sit under ``private/`` in the private bucket.
"""

from __future__ import annotations

import logging

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db.models.fields.files import FieldFile
from django.http import Http404

logger = logging.getLogger(__name__)


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no public URL: served only through an access-checked view."""

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL.")


def private_storage() -> Storage:
    return storages["private"]


def private_file_open(file: FieldFile) -> File:
    """``file`` opened for reading; the site's 404 page, not a server error, when its row
    outlived the file (a database restored without its files, a disk cleaned by hand), with
    a warning in the log for the admins."""
    try:
        return file.open("rb")
    except FileNotFoundError:
        logger.warning("private file missing from storage: %s", file.name)
        raise Http404("private file missing from storage") from None
