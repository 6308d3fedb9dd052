"""Every uploaded picture (logos, publication pictures, handover photos) is re-drawn here.

A photo straight from a phone carries EXIF metadata: where it was taken (GPS), when, on
which device. For people at risk that is a leak, so only the pixels are kept and the file
gets a random name (``branch-office-kharkiv.jpg`` says too much as well). Phones also
store most photos sideways with an EXIF "orientation" tag saying how to turn them; since
the tag is dropped, the pixels are turned upright first (``ImageOps.exif_transpose``).

One pixel cap for every upload, checked from the header before anything is decoded, keeps
"decompression bombs" (a small file that decodes to gigabytes) out.
"""

from __future__ import annotations

import io
import secrets
import warnings
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from spilka.lib.types import StrOrPromise

ACCEPTED_FORMATS = frozenset({"PNG", "JPEG", "GIF", "WEBP"})
# 40 megapixels: more than any phone camera; about 160 MB once decoded.
MAX_PIXELS = 40_000_000
NOT_AN_IMAGE = _("This file is not a picture we can use: upload a PNG, JPEG, GIF or WebP image.")


def image_reencode(
    upload: Any,
    *,
    max_side: int,
    output: Literal["png", "jpeg", "auto"] = "auto",
    not_an_image: StrOrPromise = NOT_AN_IMAGE,
) -> tuple[ContentFile, int, int]:
    """The upload turned upright, shrunk to ``max_side``, re-encoded without metadata.

    ``output``: always PNG, always JPEG (transparency flattened), or ``auto`` (PNG when
    the picture has transparency, JPEG otherwise). Returns the file under a random name,
    and its width and height. Anything that is not an accepted picture, or is larger than
    :data:`MAX_PIXELS`, raises ``ValidationError(not_an_image)``.
    """
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as source:
                if source.format not in ACCEPTED_FORMATS:
                    raise ValidationError(not_an_image, code="invalid_image")
                if source.width * source.height > MAX_PIXELS:
                    raise ValidationError(not_an_image, code="invalid_image")
                source.seek(0)  # the first frame of an animation
                source.load()
                upright = ImageOps.exif_transpose(source)
                has_alpha = upright.mode in {"RGBA", "LA", "PA"} or (
                    upright.mode == "P" and "transparency" in upright.info
                )
                if output == "jpeg":
                    has_alpha = False
                image = upright.convert("RGBA" if has_alpha else "RGB")
    except ValidationError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        raise ValidationError(not_an_image, code="invalid_image") from None
    image.thumbnail((max_side, max_side))
    image.info = {}  # no EXIF, ICC profile or text chunks travel along
    out = io.BytesIO()
    if output == "png" or (output == "auto" and has_alpha):
        image.save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        image.save(out, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    name = f"{secrets.token_hex(16)}.{extension}"
    return ContentFile(out.getvalue(), name=name), image.width, image.height
