"""Bad input on any outreach form or URL is answered with a message (or a 404), never a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from spilka.outreach.models import ImportStatus, Mailing, Segment, SupporterImport
from spilka.outreach.services import imports, mailings
from spilka.outreach.services.mailings import segment_save

pytestmark = pytest.mark.django_db

SLUG = "ukraine-solidarity-campaign"
BASE = f"/en/outreach/{SLUG}"
HUGE = "9" * 30  # beyond any database integer


@pytest.fixture
def client_500s_raise(usc_admin, login):
    client = login(usc_admin)
    client.raise_request_exception = True
    return client


def _upload(client, content: bytes, name: str = "people.csv"):
    return client.post(
        f"{BASE}/imports/new/",
        {"file": SimpleUploadedFile(name, content, "text/csv"), "default_language": "en"},
    )


@pytest.mark.parametrize(
    "content",
    [
        b'email,name\n"a@example.org,"Unclosed\n',
        "email;imię\nola@example.org;Óla\n".encode("cp1250"),
        "email,name\nola@example.org,Ola\n".encode("utf-16"),
        b"\x00\x00\x00",
        b"\n\n\n",
        b"email\n" + b"x" * 200_000 + b"\n",
        b'"' + b"a" * 200_000 + b"\n",
        b"\xef\xbb\xbf",
    ],
)
def test_a_malformed_or_wrongly_encoded_file_is_refused_or_kept_for_mapping(
    client_500s_raise, content
):
    response = _upload(client_500s_raise, content)
    assert response.status_code in {302, 400}
    if b"\x00" in content:  # PostgreSQL text cannot hold NUL: refused, not a 500
        assert response.status_code == 400 and b"UTF-8" in response.content
    if response.status_code == 302:
        assert client_500s_raise.get(response["Location"]).status_code == 200


def test_a_file_over_the_size_limit_is_refused(client_500s_raise, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    before = SupporterImport.objects.count()
    response = _upload(client_500s_raise, b"email\n" + b"a@example.org\n" * 20)
    assert response.status_code == 400 and b"larger than" in response.content
    assert SupporterImport.objects.count() == before


def test_an_upload_without_a_file_is_refused(client_500s_raise):
    response = client_500s_raise.post(f"{BASE}/imports/new/", {"default_language": "xx"})
    assert response.status_code == 400


def test_an_empty_or_foreign_mapping_is_refused(usc, usc_admin, client_500s_raise):
    imp = imports.import_upload(
        organisation=usc,
        by=usc_admin,
        filename="x.csv",
        data=b"email,name\nola@example.org,Ola\n",
        consent_given=False,
        consent_source="",
    )
    url = f"{BASE}/imports/{imp.pk}/"
    assert client_500s_raise.post(url, {}).status_code == 200  # nothing sent: the form again
    for data in ({"email": ""}, {"email": "not a column", "run": "1"}, {"phone": "name"}):
        response = client_500s_raise.post(url, data)
        assert response.status_code == 400, data
    imp.refresh_from_db()
    assert imp.status == ImportStatus.UPLOADED


def test_a_file_that_turns_unreadable_past_its_header_is_refused_before_it_runs(
    usc, usc_admin, client_500s_raise
):
    imp = imports.import_upload(
        organisation=usc,
        by=usc_admin,
        filename="x.csv",
        data=b'email,name\nola@example.org,Ola\n"b@example.org,' + b"x" * 200_000 + b"\n",
        consent_given=False,
        consent_source="",
    )
    response = client_500s_raise.post(
        f"{BASE}/imports/{imp.pk}/", {"email": "email", "name": "name", "run": "1"}
    )
    assert response.status_code == 400 and b"could not be read as CSV" in response.content
    imp.refresh_from_db()
    assert imp.status == ImportStatus.UPLOADED


@pytest.mark.parametrize(
    "data",
    [
        {"original_language": "en", "subject_en": "Hi", "body_en": "{{ first_name }} {{ iban }}"},
        {"original_language": "en", "subject_en": "{{ x }}", "body_en": "Hi"},
        {"original_language": "en"},
        {"original_language": "pl", "subject_en": "Hi", "body_en": "Hi"},
        {"original_language": "xx", "subject_en": "Hi", "body_en": "Hi"},
        {"original_language": "en", "subject_en": "Hi", "body_en": "Hi", "segment": HUGE},
        {"original_language": "en", "subject_en": "Hi", "body_en": "Hi", "segment": "x"},
        {"original_language": "en", "subject_en": "Hi", "body_en": "Hi", "reply_to": "nope"},
    ],
)
def test_a_bad_mailing_is_refused_with_a_message(client_500s_raise, data):
    response = client_500s_raise.post(f"{BASE}/mailings/new/", data)
    assert response.status_code == 400
    assert not Mailing.objects.filter(organisation__slug=SLUG, subject__en="Hi").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"name": "S", "action_after": "2024-13-45"},
        {"name": "S", "joined_before": "yesterday"},
        {"name": "S", "action_before": "99999-01-01"},
        {"name": "S", "object_key": "campaigns.petition:999999"},
        {"name": "S", "tags": [HUGE]},
        {"name": "S", "lists": ["x"]},
        {"name": "S", "languages": ["xx"]},
        {"name": "S", "action_kind": "hacked"},
        {"name": "x" * 500},
    ],
)
def test_a_bad_segment_is_refused_with_a_message(client_500s_raise, data):
    response = client_500s_raise.post(f"{BASE}/segments/new/", data)
    assert response.status_code == 400
    assert not Segment.objects.filter(organisation__slug=SLUG, name="S").exists()


def test_a_segment_saved_with_a_bad_date_opens_and_matches_nobody(
    usc, usc_admin, announce, client_500s_raise
):
    from spilka.outreach.selectors import segment_supporters

    announce(usc, "someone@example.org")
    segment = segment_save(organisation=usc, by=usc_admin, name="Old", filters={})
    Segment.objects.filter(pk=segment.pk).update(filters={"action_after": "2024-02-30"})
    assert client_500s_raise.get(f"{BASE}/segments/{segment.pk}/").status_code == 200
    assert client_500s_raise.get(f"{BASE}/segments/").status_code == 200
    segment.refresh_from_db()
    assert not segment_supporters(segment).exists()  # never widened to everyone


@pytest.mark.parametrize(
    "path",
    [
        f"/supporters/{HUGE}/",
        f"/segments/{HUGE}/",
        f"/imports/{HUGE}/",
        f"/imports/{HUGE}/progress.json",
        f"/mailings/{HUGE}/",
        f"/mailings/{HUGE}/edit/",
        f"/mailings/{HUGE}/progress.json",
        f"/merge/{HUGE}/1/",
    ],
)
def test_an_id_beyond_any_integer_is_not_found(client_500s_raise, path):
    assert client_500s_raise.get(BASE + path).status_code == 404


def test_bad_list_filters_and_pages_are_ignored(client_500s_raise):
    for query in ("?page=abc", "?page=99999", "?tag=abc", "?tag=" + HUGE, "?status=x&language=y"):
        assert client_500s_raise.get(f"{BASE}/{query}").status_code == 200, query


def test_a_supporter_cannot_be_given_groups_by_bad_ids(usc, usc_admin, announce, client_500s_raise):
    supporter = announce(usc, "groups@example.org")
    url = f"{BASE}/supporters/{supporter.pk}/"
    assert client_500s_raise.post(url, {"tags": [HUGE]}).status_code == 400
    assert client_500s_raise.post(url, {"lists": ["x"]}).status_code == 400


def test_unsubscribe_and_data_links_with_junk_are_refused():
    client = Client(raise_request_exception=True)
    for token in ("x", "1-2-3.abc", "." * 150, "a" * 199):
        assert client.post(f"/en/u/{token}/").status_code == 404
        assert client.get(f"/en/my-data/{token}/").status_code == 404
        assert client.get(f"/en/my-data/{token}/my-data.csv").status_code == 404
        assert client.get(f"/en/join/confirm/{token}/").status_code == 404


def test_a_mailing_with_no_text_in_any_language_cannot_be_queued(usc, usc_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        mailings.mailing_create(
            organisation=usc, by=usc_admin, subject={}, body={}, original_language="en"
        )
