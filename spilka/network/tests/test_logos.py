"""Uploaded logos are re-drawn without metadata and stored under a random name."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.lib.testing import assert_upright, sideways_jpeg
from spilka.network.models import Organisation

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"
NOT_AN_IMAGE = "This file is not a picture we can use"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


def _photo_with_gps(fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", (1200, 800), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010E] = "Secret meeting place"  # ImageDescription
    exif[0x0110] = "Phone of Olena"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (50.0, 0.0, 0.0)  # Kharkiv's latitude
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def _post(client, org: Organisation, upload: SimpleUploadedFile):
    data: dict[str, object] = {
        "original_language": org.original_language,
        "kind": org.kind,
        "country": org.country.code,  # type: ignore[attr-defined]  # a django-countries Country
        "city": org.city,
        "languages": list(org.languages),
        "is_public": "on",
        "logo": upload,
    }
    for code in CONTENT_LANGUAGES:
        data[f"name_{code}"] = org.name.get(code, "")
    return client.post(reverse("network:organisation_edit", kwargs={"slug": org.slug}), data)


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "PNG"])
def test_a_photo_loses_its_metadata_and_its_name(login, usc_admin, usc, settings, fmt):
    raw = _photo_with_gps(fmt)
    assert b"Secret meeting place" in raw  # the control: the upload does carry it
    upload = SimpleUploadedFile("kharkiv-office.jpg", raw, content_type="image/jpeg")
    response = _post(login(usc_admin), usc, upload)
    assert response.status_code == 302
    usc.refresh_from_db()
    name = usc.logo.name
    assert name.startswith("logos/") and name.endswith(".png")
    assert "kharkiv" not in name
    stored = (Path(settings.MEDIA_ROOT) / name).read_bytes()
    assert b"Secret meeting place" not in stored
    assert b"Phone of Olena" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG"
        assert not image.getexif()
        assert max(image.size) <= 512


def test_a_sideways_phone_photo_is_stored_upright(login, usc_admin, usc, settings):
    upload = SimpleUploadedFile("logo.jpg", sideways_jpeg(), content_type="image/jpeg")
    assert _post(login(usc_admin), usc, upload).status_code == 302
    usc.refresh_from_db()
    assert_upright((Path(settings.MEDIA_ROOT) / usc.logo.name).read_bytes())


def test_two_uploads_of_the_same_file_get_different_names(login, usc_admin, usc):
    client = login(usc_admin)
    names = []
    for _ in range(2):
        upload = SimpleUploadedFile("logo.png", _photo_with_gps("PNG"), content_type="image/png")
        assert _post(client, Organisation.objects.get(slug=USC), upload).status_code == 302
        names.append(Organisation.objects.get(slug=USC).logo.name)
    assert names[0] != names[1]


def test_transparency_is_kept(login, usc_admin, usc, settings):
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    upload = SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")
    assert _post(login(usc_admin), usc, upload).status_code == 302
    usc.refresh_from_db()
    with Image.open(Path(settings.MEDIA_ROOT) / usc.logo.name) as stored:
        assert stored.mode == "RGBA"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.png", b"this is not a picture"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.png", b"%PDF-1.4 not an image"),
    ],
)
def test_a_file_that_is_not_a_picture_is_refused_with_a_clear_message(
    login, usc_admin, usc, name, content
):
    response = _post(login(usc_admin), usc, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert NOT_AN_IMAGE in response.content.decode()
    assert not Organisation.objects.get(pk=usc.pk).logo


def test_a_picture_in_another_format_is_refused(login, usc_admin, usc):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")
    response = _post(login(usc_admin), usc, SimpleUploadedFile("logo.bmp", out.getvalue()))
    assert response.status_code == 400
    assert NOT_AN_IMAGE in response.content.decode()
