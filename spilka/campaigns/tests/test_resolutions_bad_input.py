"""Odd, oversized and hostile input on resolution pages: a clear message and a 4xx, never a
500, never a change; hostile text shown as text on every page and in the SVG."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from spilka.campaigns.models import Adoption, Resolution
from spilka.campaigns.services import resolutions as services
from spilka.lib.models import AuditEntry
from spilka.network.models import Organisation

pytestmark = pytest.mark.django_db

SLUG = "full-support-for-ukraine"
XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
LONG = "x" * 10000
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def organiser(login, usc_admin):
    return login(usc_admin)


@pytest.fixture
def resolution(demo):
    return Resolution.objects.select_related("campaign").get(slug=SLUG)


@pytest.fixture
def durham(resolution):
    return Adoption.objects.get(resolution=resolution, body__slug="num-durham")


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def _counts():
    return (Adoption.objects.count(), Organisation.objects.count(), AuditEntry.objects.count())


def _report(client, **data):
    return client.post(reverse("campaigns:adoption_report", args=[SLUG]), data)


# --- Unknown addresses ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/en/resolutions/no-such-text/",
        "/uk/resolutions/no-such-text/",
        "/en/resolutions/no-such-text/timeline.svg",
        "/en/resolutions/no-such-text/countries.svg",
        "/en/resolutions/no-such-text/report/",
        "/en/resolutions/no-such-text/versions/new/",
        "/en/resolutions/no-such-text/adoptions/1/",
        f"/en/resolutions/{SLUG}/adoptions/999999/",
        "/en/campaigns/no-such-campaign/resolutions/new/",
    ],
)
def test_unknown_addresses_are_not_found(organiser, path):
    assert organiser.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/en/resolutions/no-such-text/report/",
        "/en/resolutions/no-such-text/adoptions/1/verify/",
        f"/en/resolutions/{SLUG}/adoptions/999999/verify/",
        f"/en/resolutions/{SLUG}/adoptions/999999/",
    ],
)
def test_posting_to_unknown_addresses_is_not_found(organiser, path):
    before = _counts()
    assert organiser.post(path, {"status": "adopted"}).status_code == 404
    assert _counts() == before


def test_an_adoption_of_another_resolution_is_not_found_under_this_one(
    organiser, usc_admin, durham
):
    other = services.resolution_create(
        by=usc_admin,
        campaign=durham.resolution.campaign,
        slug="other-text",
        title={"en": "Other"},
        text={"en": "Other."},
    )
    assert organiser.get(f"/en/resolutions/{other.slug}/adoptions/{durham.pk}/").status_code == 404
    response = organiser.post(f"/en/resolutions/{other.slug}/adoptions/{durham.pk}/verify/")
    assert response.status_code == 404


def test_verifying_by_get_is_not_allowed(organiser, durham):
    assert organiser.get(f"/en/resolutions/{SLUG}/adoptions/{durham.pk}/verify/").status_code == 405


# --- Filters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("country=XX", "Unknown country code: XX."),
        ("country=GBR", "at most 2 characters"),
        ("status=bogus", "Select a valid choice"),
        ("page=abc", "Enter a whole number"),
        ("page=0", "greater than or equal to 1"),
        ("country=%3Cscript%3E", "at most 2 characters"),
    ],
)
def test_malformed_filters_are_explained_with_a_400(anon, demo, query, message):
    response = anon.get(f"/en/resolutions/{SLUG}/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Some filters could not be used:" in page
    assert message in page
    # The rest of the page still works.
    assert 'id="headline"' in page
    assert 'id="adoptions"' in page


def test_a_hostile_country_code_is_shown_as_text(anon, demo):
    response = anon.get(f"/en/resolutions/{SLUG}/", {"country": "<b"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Unknown country code: &lt;B." in page
    assert "<B" not in page


def test_valid_filters_still_apply_next_to_a_bad_one(anon, demo):
    response = anon.get(f"/en/resolutions/{SLUG}/?country=US&status=nonsense")
    assert response.status_code == 400
    rows = [a.body.slug for a in response.context["page"]]
    assert rows == ["san-francisco-labor-council"]


def test_a_page_past_the_end_shows_the_last_page(anon, demo):
    assert anon.get(f"/en/resolutions/{SLUG}/?page=99").status_code == 200


# --- Oversized fields -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("note", LONG, "at most 1000 characters"),
        ("evidence_url", "https://example.org/" + LONG, "at most 500 characters"),
        ("amended_text", "y" * 30001, "at most 30000 characters"),
        ("new_body_name", LONG, "at most 200 characters"),
    ],
)
def test_oversized_report_fields_are_refused(organiser, demo, field, value, message):
    before = _counts()
    data = {"status": "tabled", "new_body_name": "Leeds Trades Council", "new_body_country": "GB"}
    data[field] = value
    response = _report(organiser, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _counts() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title_en", LONG, "the limit is 200"),
        ("text_en", "z" * 30001, "the limit is 30000"),
        ("slug", LONG, "at most 80 characters"),
        ("slug", "not a slug!", "Use letters, numbers, hyphens or underscores."),
        ("slug", SLUG, "already exists"),
    ],
)
def test_oversized_or_bad_resolution_fields_are_refused(organiser, demo, field, value, message):
    before = _counts()
    data = {"slug": "new-text", "original_language": "en", "title_en": "T", "text_en": "Text."}
    data[field] = value
    response = organiser.post(f"/en/campaigns/{SLUG}/resolutions/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _counts() == before


def test_a_version_with_an_oversized_note_is_refused(organiser, resolution):
    url = f"/en/resolutions/{SLUG}/versions/new/"
    response = organiser.post(url, {"text_en": "New text.", "note": LONG})
    assert response.status_code == 400
    assert "at most 300 characters" in response.content.decode()
    response = organiser.post(url, {"text_uk": "Лише українською.", "note": ""})
    assert response.status_code == 400
    assert "Give the text in English, the original language." in response.content.decode()
    assert resolution.versions.count() == 2


# --- Report form rules ----------------------------------------------------------------


def test_a_report_needs_a_body(organiser, demo):
    response = _report(organiser, status="tabled")
    assert response.status_code == 400
    assert "Choose the body this report is about." in response.content.decode()


def test_a_report_cannot_name_two_bodies(organiser, demo):
    before = _counts()
    response = _report(
        organiser,
        body=demo["aslef"].pk,
        new_body_name="Leeds Trades Council",
        new_body_country="GB",
        status="tabled",
    )
    assert response.status_code == 400
    assert "not both" in response.content.decode()
    assert _counts() == before


def test_a_new_body_needs_a_country(organiser, demo):
    response = _report(organiser, new_body_name="Leeds Trades Council", status="tabled")
    assert response.status_code == 400
    assert "Give the new body&#x27;s country." in response.content.decode()


def test_a_new_body_already_in_the_directory_is_pointed_out(organiser, demo):
    before = _counts()
    response = _report(
        organiser,
        new_body_name="University and College Union",
        new_body_country="GB",
        status="tabled",
    )
    assert response.status_code == 400
    assert "already in the directory" in response.content.decode()
    assert _counts() == before


def test_a_failed_report_does_not_leave_a_new_body_behind(organiser, demo):
    before = _counts()
    response = _report(
        organiser,
        new_body_name="Leeds Trades Council",
        new_body_country="GB",
        status="adopted",
        meeting_date="2999-01-01",
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert _counts() == before
    # What was typed is still in the form.
    assert 'value="Leeds Trades Council"' in response.content.decode()


@pytest.mark.parametrize("value", ["2022-13-45", "yesterday", "0001-01-01"])
def test_a_bad_meeting_date_is_refused(organiser, durham, value):
    response = organiser.post(
        f"/en/resolutions/{SLUG}/adoptions/{durham.pk}/",
        {"status": "adopted", "meeting_date": value},
    )
    assert response.status_code == 400
    durham.refresh_from_db()
    assert str(durham.meeting_date) == "2022-04-06"


def test_an_unknown_status_is_refused(organiser, durham):
    response = organiser.post(f"/en/resolutions/{SLUG}/adoptions/{durham.pk}/", {"status": "won"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


# --- Uploads --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("minutes.pdf", PDF),
        ("Minutes.JPG", JPEG),
        ("minutes.jpeg", JPEG),
        ("scan.png", PNG),
        ("minutes.odt", ODT),
        ("minutes.docx", DOCX),
    ],
)
def test_evidence_in_an_accepted_format_is_stored(organiser, durham, name, content):
    upload = SimpleUploadedFile(name, content)
    response = organiser.post(
        f"/en/resolutions/{SLUG}/adoptions/{durham.pk}/",
        {"status": "adopted", "meeting_date": "2022-04-06", "evidence_file": upload},
    )
    assert response.status_code == 302
    durham.refresh_from_db()
    assert durham.evidence_file.name.startswith("evidence/")
    assert durham.evidence_file.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("minutes.exe", b"MZ\x90\x00"),
        ("minutes.pdf", b"MZ\x90\x00 pretending"),
        ("minutes.html", b"<html><script>alert(1)</script></html>"),
        ("minutes.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"),
        ("minutes.docx", _zip({"hello.txt": b"not a document"})),
        ("minutes.odt", _zip({"mimetype": b"application/zip"})),
        ("minutes.docx", b"PK\x03\x04 broken zip"),
        ("minutes.png", PDF),
        ("minutes", PDF),
    ],
)
def test_evidence_of_the_wrong_type_is_refused_with_a_message(organiser, durham, name, content):
    before = _counts()
    response = organiser.post(
        f"/en/resolutions/{SLUG}/adoptions/{durham.pk}/",
        {
            "status": "adopted",
            "meeting_date": "2022-04-06",
            "evidence_file": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 400
    assert "Upload the minutes as a PDF, JPEG, PNG, ODT or DOCX file." in response.content.decode()
    assert _counts() == before
    durham.refresh_from_db()
    assert not durham.evidence_file


def test_oversized_evidence_is_refused_with_a_message(organiser, durham):
    before = _counts()
    big = SimpleUploadedFile("minutes.pdf", PDF + b"0" * (10 * 1024 * 1024))
    response = organiser.post(
        f"/en/resolutions/{SLUG}/adoptions/{durham.pk}/",
        {"status": "adopted", "meeting_date": "2022-04-06", "evidence_file": big},
    )
    assert response.status_code == 400
    assert "The file is too large: at most 10 MB." in response.content.decode()
    assert _counts() == before


def test_evidence_of_exactly_ten_megabytes_is_accepted(organiser, durham):
    exact = SimpleUploadedFile("minutes.pdf", PDF + b"0" * (10 * 1024 * 1024 - len(PDF)))
    response = organiser.post(
        f"/en/resolutions/{SLUG}/adoptions/{durham.pk}/",
        {"status": "adopted", "meeting_date": "2022-04-06", "evidence_file": exact},
    )
    assert response.status_code == 302


# --- Hostile text ---------------------------------------------------------------------


def test_hostile_text_is_escaped_on_every_page_and_in_both_charts(organiser, anon, usc_admin, demo):
    response = _report(
        organiser,
        new_body_name=f"Evil {XSS} Council",
        new_body_country="GB",
        status="adopted_amended",
        meeting_date="2023-01-05",
        amended_text=f"Amended {XSS}",
        note=f"Note {XSS}",
        evidence_url="javascript:alert(1)",
    )
    assert response.status_code == 400  # not a web address
    assert "Enter a valid URL." in response.content.decode()
    response = _report(
        organiser,
        new_body_name=f"Evil {XSS} Council",
        new_body_country="GB",
        status="adopted_amended",
        meeting_date="2023-01-05",
        amended_text=f"Amended {XSS}",
        note=f"Note {XSS}",
    )
    assert response.status_code == 302
    adoption = Adoption.objects.get(body__name__en=f"Evil {XSS} Council")
    services.adoption_verify(by=usc_admin, adoption=adoption)
    services.resolution_version_add(
        by=usc_admin, resolution=adoption.resolution, text={"en": f"Text {XSS}"}, note=f"v {XSS}"
    )
    pages = [
        anon.get(f"/en/resolutions/{SLUG}/"),
        anon.get(f"/uk/resolutions/{SLUG}/"),
        anon.get(f"/en/resolutions/{SLUG}/timeline.svg"),
        anon.get(f"/en/resolutions/{SLUG}/countries.svg"),
        organiser.get(f"/en/resolutions/{SLUG}/"),
        organiser.get(f"/en/resolutions/{SLUG}/adoptions/{adoption.pk}/"),
        organiser.get(f"/en/resolutions/{SLUG}/report/"),
        organiser.get(f"/en/resolutions/{SLUG}/versions/new/"),
    ]
    for response in pages:
        assert response.status_code == 200
        content = response.content.decode()
        assert XSS not in content, response.request["PATH_INFO"]
    public = pages[0].content.decode()
    assert f"Evil {XSS_ESCAPED} Council" in public
    assert f"Amended {XSS_ESCAPED}" in public
    assert f"Text {XSS_ESCAPED}" in public
    assert f"Evil {XSS_ESCAPED} Council" in pages[2].content.decode()  # the dot's tooltip


def test_a_hostile_resolution_title_is_escaped(anon, usc_admin, resolution):
    hostile = services.resolution_create(
        by=usc_admin,
        campaign=resolution.campaign,
        slug="hostile-title",
        title={"en": f"Title {XSS}"},
        text={"en": "Text."},
    )
    for suffix in ("", "timeline.svg", "countries.svg"):
        response = anon.get(hostile.get_absolute_url() + suffix)
        assert response.status_code == 200
        assert XSS not in response.content.decode()
    assert f"Title {XSS_ESCAPED}" in anon.get(hostile.get_absolute_url()).content.decode()


def test_a_new_body_named_like_a_private_organisation_is_answered_like_any_new_name(
    organiser, demo
):
    # Issue 13: the report must not say whether a private organisation has this name.
    from spilka.lib.testing import answer_of

    private = demo["usc-convoy-team"]
    assert not private.is_public
    answers = [
        answer_of(
            _report(organiser, new_body_name=name, new_body_country="GB", status="tabled"),
            inputs=[name],
        )
        for name in ("USC convoy coordination team", "Leeds Trades Council")
    ]
    assert (answers[0].status, answers[0].location) == (answers[1].status, answers[1].location)
    assert answers[0].status == 302
    assert not Adoption.objects.filter(body=private).exists()


def test_a_new_body_named_like_a_private_organisations_address_gets_the_usual_address(
    organiser, demo
):
    # Issue 13: "usc-convoy-team" is a private organisation's address; a "-2" tail on the
    # new body's public address would say so.
    import re

    assert not demo["usc-convoy-team"].is_public
    for name in ("USC convoy team", "Leeds Trades Council"):
        response = _report(organiser, new_body_name=name, new_body_country="GB", status="tabled")
        assert response.status_code == 302
    slugs = list(
        Adoption.objects.filter(body__name__en__in=["USC convoy team", "Leeds Trades Council"])
        .order_by("body__name__en")
        .values_list("body__slug", flat=True)
    )
    assert re.fullmatch(r"leeds-trades-council-[0-9a-f]{6}", slugs[0])
    assert re.fullmatch(r"usc-convoy-team-[0-9a-f]{6}", slugs[1])
