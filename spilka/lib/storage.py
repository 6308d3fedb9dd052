"""Private files: receipts, bank statements, recipients' photos.

They live in their own storage (``STORAGES["private"]``), outside MEDIA_ROOT, so no web
server serves them; a view that checks who is asking streams them. On the filesystem they
have no URL at all; on S3 they sit under ``private/`` in the private bucket.
"""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no public URL: served only through an access-checked view."""

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL.")


def private_storage() -> Storage:
    return storages["private"]
