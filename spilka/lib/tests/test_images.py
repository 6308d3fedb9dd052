"""The one re-encoder for uploaded pictures: upright, no metadata, one pixel cap."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from spilka.lib import images
from spilka.lib.testing import assert_upright, sideways_jpeg


@pytest.mark.parametrize("output", ["png", "jpeg", "auto"])
def test_a_sideways_photo_is_stored_upright_without_its_orientation_tag(output):
    content, width, height = images.image_reencode(
        SimpleUploadedFile("p.jpg", sideways_jpeg()), max_side=2000, output=output
    )
    assert (width, height) == (30, 60)
    assert_upright(content.read())


def test_one_pixel_cap_refuses_pictures_before_decoding(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    with pytest.raises(ValidationError) as caught:
        images.image_reencode(SimpleUploadedFile("p.jpg", sideways_jpeg()), max_side=100)
    assert caught.value.code == "invalid_image"
