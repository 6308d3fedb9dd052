"""Uploaded logos are re-drawn before they are stored.

A photo straight from a phone carries EXIF metadata: where it was taken (GPS), when, on
which device. For people at risk that is a leak. Re-encoding keeps the pixels only, and
the file gets a random name (an uploaded name like ``branch-office-kharkiv.jpg`` says
too much as well).
"""

from __future__ import annotations

import io
import secrets
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

ACCEPTED_FORMATS = frozenset({"PNG", "JPEG", "GIF", "WEBP"})
# Logos are shown at 96 px; anything larger only costs storage and bandwidth.
MAX_SIDE = 512
# Refuse images that would take too much memory to decode ("decompression bombs").
MAX_PIXELS = 40_000_000
NOT_AN_IMAGE = _("This file is not a picture we can use: upload a PNG, JPEG, GIF or WebP image.")


def logo_reencode(upload: UploadedFile) -> ContentFile:
    """The upload, re-drawn as a PNG without metadata, under a random name."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as source:
                if source.format not in ACCEPTED_FORMATS:
                    raise ValidationError(NOT_AN_IMAGE, code="invalid_image")
                if source.width * source.height > MAX_PIXELS:
                    raise ValidationError(NOT_AN_IMAGE, code="invalid_image")
                source.seek(0)  # the first frame of an animation
                source.load()
                has_alpha = source.mode in {"RGBA", "LA", "PA"} or (
                    source.mode == "P" and "transparency" in source.info
                )
                image = source.convert("RGBA" if has_alpha else "RGB")
    except ValidationError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    image.info = {}  # no EXIF, ICC profile or text chunks travel along
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(16)}.png")
