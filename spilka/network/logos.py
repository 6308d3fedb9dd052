"""Uploaded logos are re-drawn before they are stored (see :mod:`spilka.lib.images`):
upright, without metadata, as a PNG under a random name."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from spilka.lib.images import NOT_AN_IMAGE, image_reencode

__all__ = ["MAX_SIDE", "NOT_AN_IMAGE", "logo_reencode"]

# Logos are shown at 96 px; anything larger only costs storage and bandwidth.
MAX_SIDE = 512


def logo_reencode(upload: UploadedFile) -> ContentFile:
    """The upload, re-drawn as a PNG without metadata, under a random name."""
    content, _width, _height = image_reencode(upload, max_side=MAX_SIDE, output="png")
    return content
