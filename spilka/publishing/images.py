"""Pictures authors upload for publications are re-drawn before they are stored (see
:mod:`spilka.lib.images`): upright, without metadata, under a random name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from spilka.lib import images

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 2000  # wide enough for a full-width picture; larger only costs bandwidth


def image_reencode(upload: UploadedFile) -> tuple[ContentFile, int, int]:
    """The upload re-drawn without metadata (JPEG for photos, PNG with transparency)."""
    if upload.size and upload.size > MAX_BYTES:
        raise ValidationError(
            _("The picture is too large: at most %(size)d MB."),
            code="too_large",
            params={"size": MAX_BYTES // (1024 * 1024)},
        )
    return images.image_reencode(upload, max_side=MAX_SIDE, output="auto")
