"""Pictures authors upload for publications are re-drawn before they are stored.

A phone photo carries EXIF: where (GPS), when, which device. Re-encoding keeps only the
pixels; the file gets a random name.
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
MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 2000  # wide enough for a full-width picture; larger only costs bandwidth
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
NOT_AN_IMAGE = _("This file is not a picture we can use: upload a PNG, JPEG, GIF or WebP image.")


def image_reencode(upload: UploadedFile) -> tuple[ContentFile, int, int]:
    """The upload re-drawn without metadata (JPEG for photos, PNG with transparency)."""
    if upload.size and upload.size > MAX_BYTES:
        raise ValidationError(
            _("The picture is too large: at most %(size)d MB."),
            code="too_large",
            params={"size": MAX_BYTES // (1024 * 1024)},
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as source:
                if source.format not in ACCEPTED_FORMATS:
                    raise ValidationError(NOT_AN_IMAGE, code="invalid_image")
                if source.width * source.height > MAX_PIXELS:
                    raise ValidationError(NOT_AN_IMAGE, code="invalid_image")
                source.seek(0)
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
    image.info = {}
    out = io.BytesIO()
    if has_alpha:
        image.save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        image.save(out, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    name = f"{secrets.token_hex(16)}.{extension}"
    return ContentFile(out.getvalue(), name=name), image.width, image.height
