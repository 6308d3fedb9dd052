"""The supporter import recognises headings in en/uk/pl/ru, however typed, and the site's
own export headings in every interface language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from spilka.outreach.headings import guess_mapping, heading_fields, normalise_heading
from spilka.outreach.models import ImportStatus, Supporter
from spilka.outreach.services import imports

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("  E-Mail: ", "e-mail"),
        ("Ім’я", "ім'я"),
        ("ЭЛ. ПОЧТА", "эл почта"),
        ("Ёлка", "елка"),
        ("Adres  e–mail", "adres e-mail"),
    ],
)
def test_headings_are_normalised(typed, normal):
    assert normalise_heading(typed) == normal


@pytest.mark.parametrize(
    "heading",
    [
        "Email",
        "E-mail",
        "mail",
        "Електронна пошта",
        "ел. пошта",
        "Пошта",
        "email адреса",
        "Adres e-mail",
        "poczta",
        "Электронная почта",
        "эл. почта",
        "Почта",
        "EMAIL:",
    ],
)
def test_every_common_email_heading_is_recognised(heading):
    assert heading_fields(heading)[0] == "email"


def test_the_ukrainian_site_heading_electronna_poshta_is_recognised():
    # The bug: the site's own Ukrainian heading was not recognised.
    assert guess_mapping(["Електронна пошта", "Ім'я"]) == {
        "email": "Електронна пошта",
        "name": "Ім'я",
    }


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["Електронна пошта", "Ім’я", "Прізвище", "Телефон", "Країна", "Мова", "Організація"],
            {
                "email": "Електронна пошта",
                "first_name": "Ім’я",
                "last_name": "Прізвище",
                "phone": "Телефон",
                "country": "Країна",
                "language": "Мова",
            },
        ),
        (
            ["Adres e-mail", "Imię", "Nazwisko", "Telefon", "Kraj", "Język", "Kod pocztowy"],
            {
                "email": "Adres e-mail",
                "first_name": "Imię",
                "last_name": "Nazwisko",
                "phone": "Telefon",
                "country": "Kraj",
                "language": "Język",
            },
        ),
        (
            ["Электронная почта", "Имя", "Фамилия", "Телефон", "Страна", "Язык", "Город"],
            {
                "email": "Электронная почта",
                "first_name": "Имя",
                "last_name": "Фамилия",
                "phone": "Телефон",
                "country": "Страна",
                "language": "Язык",
            },
        ),
    ],
    ids=["uk", "pl", "ru"],
)
def test_headings_in_each_language_find_their_fields(headers, expected):
    assert guess_mapping(headers) == expected


PETITION_EXPORT = ("Name", "Email", "Country", "Postcode", "Organisation", "Public", "Language")


@pytest.mark.parametrize("language", ["en", "uk", "pl", "ru"])
def test_the_sites_own_export_is_reimported_in_each_language(
    language, usc, usc_admin, django_capture_on_commit_callbacks
):
    from django.utils.translation import gettext

    with translation.override(language):
        header = [gettext(label) for label in PETITION_EXPORT]
    csv = ",".join(header) + "\n" + "Olena Petrenko,olena.p@example.org,UA,01001,USC,yes,uk\n"
    upload = imports.import_upload(
        organisation=usc,
        by=usc_admin,
        filename="signatures.csv",
        data=csv.encode(),
        consent_given=False,
        consent_source="",
    )
    assert upload.mapping == {
        "name": header[0],
        "email": header[1],
        "country": header[2],
        "language": header[6],
    }
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_queue(supporter_import=upload, by=usc_admin)
    upload.refresh_from_db()
    assert upload.status == ImportStatus.DONE and upload.created_count == 1
    supporter = Supporter.objects.get(organisation=usc, email="olena.p@example.org")
    assert (supporter.name, supporter.country, supporter.language) == ("Olena Petrenko", "UA", "uk")


def test_the_preview_says_which_column_fills_which_field_and_the_mapping_can_change(
    login, usc, usc_admin
):
    client = login(usc_admin)
    upload = imports.import_upload(
        organisation=usc,
        by=usc_admin,
        filename="people.csv",
        data="Електронна пошта,Ім'я,Прізвище,Місто,Нотатки\na@example.org,Анна,Коваль,Київ,x\n".encode(),
        consent_given=False,
        consent_source="",
    )
    url = reverse("outreach:import", kwargs={"slug": usc.slug, "pk": upload.pk})
    page = client.get(url).content.decode()
    assert 'data-column="Електронна пошта" data-field="email"' in page
    assert 'data-column="Прізвище" data-field="last_name"' in page
    assert 'data-column="Місто" data-field=""' in page  # recognised, not kept
    assert "not imported (City)" in page
    # The organiser changes the mapping: the surname column is left out.
    response = client.post(
        url, {"email": "Електронна пошта", "first_name": "Ім'я", "last_name": "", "preview": "1"}
    )
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.mapping == {"email": "Електронна пошта", "first_name": "Ім'я"}
