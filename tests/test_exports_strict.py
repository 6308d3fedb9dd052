"""Every feed, calendar and CSV export Spilka serves, read by a strict parser.

Feed readers, calendar apps and spreadsheets each forgive different faults, so a feed that
"works" in one can be dropped by another. The checkers in ``tests/strict_formats.py``
forgive nothing RFC 4287 (Atom), RSS 2.0, RFC 5545 (iCalendar) or the CSV rules of
``spilka.lib.csv_safe`` require; each test first shows its checker catching a broken
document, then runs it over every export of the demo network plus data made to be awkward:
Cyrillic titles long enough to fold mid-character, separators that need escaping, and
names that a spreadsheet would run as formulas.
"""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from conftest import client_for
from spilka.exports.testing import export_through_pages
from spilka.lib.csv_safe import csv_cell
from spilka.lib.testing import pow_solve_for_tests
from tests.strict_formats import atom_problems, csv_problems, csv_rows, rss_problems
from tests.strict_ics import ics_problems

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "uk", "pl", "ru"]
CYRILLIC_TITLE = "Нотатки з форуму «Соціальний рух»: профспілки, енергетика і відбудова"
FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(autouse=True)
def _easy_proof_of_work(settings):
    settings.SPILKA_POW_MAX_NUMBER = 500


def _solve(page: str) -> str:
    challenge = html.unescape(re.search(r'data-pow-challenge="([^"]+)"', page).group(1))
    return pow_solve_for_tests(challenge)


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# --- the checkers catch what they are for ----------------------------------------------------


def test_the_atom_checker_catches_what_rfc_4287_forbids():
    bad = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title type="markdown">t</title><id>x</id>'
        b"<updated>2024-01-01t10:00:00z</updated>"
        b"<entry><title>e</title><id>x</id><updated>2024-02-30T10:00:00Z</updated></entry>"
        b"<entry><title></title><id>x</id><updated>2024-01-01T10:00:00Z</updated>"
        b'<content src="http://a.example/x">not empty</content></entry></feed>'
    )
    problems = atom_problems(bad)
    assert "the feed id 'x' is not an absolute IRI" in problems
    assert "the feed has type 'markdown', not text, html or xhtml" not in problems
    assert "the feed atom:title has type 'markdown', not text, html or xhtml" in problems
    assert any("2024-01-01t10:00:00z" in p and "not an RFC 3339" in p for p in problems)
    assert any("2024-02-30" in p and "not a real date" in p for p in problems)
    assert "the feed has no rel=self link" in problems
    assert "entry 1 has neither atom:content nor a rel=alternate link" in problems
    assert "entry 1 has no author and neither has the feed" in problems
    assert "entry 2 has an empty title" in problems
    assert "entry 2 content has src and is not empty" in problems
    assert "entry 2 content has src but the entry has no summary" in problems
    assert "two entries share the id 'x'" in problems


def test_the_rss_checker_catches_bad_dates_and_shared_guids():
    bad = (
        b'<rss version="2.0"><channel><title>t</title><link>http://a.example/</link>'
        b"<item><title>a</title><guid>g</guid><pubDate>2024-01-01</pubDate></item>"
        b"<item><link>/relative/</link><guid>g</guid></item></channel></rss>"
    )
    problems = rss_problems(bad)
    assert "the channel has 0 description, not one" in problems
    assert "item 1 pubDate '2024-01-01' is not an RFC 822 date" in problems
    assert "item 2 has neither title nor description" in problems
    assert "item 2 link '/relative/' is not absolute" in problems
    assert "two items share the guid 'g'" in problems


def test_the_ics_checker_catches_what_rfc_5545_forbids():
    long_line = "DESCRIPTION:" + "ї" * 40  # 92 octets on one line
    bad = "\n".join(
        [
            "BEGIN:VCALENDAR",
            "PRODID:-//x//y//EN",
            "VERSION:2.1",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            "UID:a@x",
            "DTSTAMP:20240101T100000",
            "DTSTART;TZID=Europe/Kyiv:20240101T100000",
            "DTEND:20240101T110000",
            "SUMMARY:Forum; unions, energy",
            long_line,
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:a@x",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    ).encode()
    problems = ics_problems(bad)
    assert "a line does not end with CRLF" in problems
    assert "VERSION is ['2.1'], not 2.0" in problems
    assert any(p.startswith("line 11 is 92 octets") for p in problems)
    assert "VEVENT 1 DTSTAMP '20240101T100000' is not in UTC" in problems
    assert "VEVENT 1 DTSTART TZID Europe/Kyiv has no VTIMEZONE" in problems
    assert "VEVENT 1 DTEND '20240101T110000' is floating (no zone)" in problems
    assert "VEVENT 1 SUMMARY has an unescaped ; or , or \\" in problems
    assert "VEVENT 1 has 0 ORGANIZER, not exactly one" in problems
    assert "VEVENT 2 has 0 DTSTART, not exactly one" in problems
    assert "two VEVENTs share the UID 'a@x'" in problems
    # A fold that cuts a two-octet letter in half is refused too.
    split = "ї".encode()
    folded = (
        b"BEGIN:VCALENDAR\r\nX-A:" + split[:1] + b"\r\n " + split[1:] + b"\r\nEND:VCALENDAR\r\n"
    )
    assert "line 2 splits a UTF-8 character where it is folded" in ics_problems(folded)


def test_the_csv_checker_catches_formulas_exponents_and_a_missing_bom():
    bad = b'=SUM(A1),amount\r\n"@cmd",1E+2\r\n-12.50,short\r\nonly one\r\n'
    problems = csv_problems(bad)
    assert "no UTF-8 byte-order mark" in problems
    assert "the header cell '=SUM(A1)' would run as a formula" in problems
    assert "row 2 cell '@cmd' would run as a formula" in problems
    assert "row 2 cell '1E+2' is a number in exponent notation" in problems
    assert "row 4 has 1 cells, the header 2" in problems
    assert not any("-12.50" in p for p in problems)  # a negative number is no formula


# --- Atom and RSS: every organisation's feeds, in every language --------------------------------


@pytest.fixture
def cyrillic_publication(demo):
    from spilka.publishing.services import publications

    return publications.publication_create(
        by="test",
        organisation=demo["ussc"],
        slug="forum-notes-uk",
        kind="article",
        original_language="uk",
        title={"uk": CYRILLIC_TITLE},
        summary={"uk": "Що ми почули: «світло, тепло, зв'язок» & <не HTML>."},
        body={"uk": "Перший абзац.\n\nДругий абзац, з посиланням на https://example.org/."},
        tags=["forums"],
        status="published",
    )


def test_every_atom_and_rss_feed_meets_its_standard(anon, cyrillic_publication):
    from spilka.network.models import Organisation

    checked = 0
    for organisation in Organisation.objects.filter(is_public=True):
        for language in LANGUAGES:
            atom = anon.get(f"/{language}/feeds/{organisation.slug}/atom/")
            assert atom.status_code == 200
            assert atom["Content-Type"] == "application/atom+xml; charset=utf-8"
            assert atom_problems(atom.content) == [], (organisation.slug, language)
            rss = anon.get(f"/{language}/feeds/{organisation.slug}/rss/")
            assert rss_problems(rss.content) == [], (organisation.slug, language)
            checked += 1
    assert checked >= 4 * 3
    feed = anon.get("/uk/feeds/ussc/atom/").content.decode()
    assert f"<title>{CYRILLIC_TITLE}</title>" in feed  # as Ukrainian text, not escaped


# --- iCalendar: the public feeds, a registrant's file, and the mailed invitation ---------------


@pytest.fixture
def awkward_event(demo):
    """An online forum whose words need escaping and whose lines fold mid-Cyrillic."""
    from spilka.events.services import events

    start = timezone.now() + datetime.timedelta(days=5)
    return events.event_create(
        by="test",
        organiser=demo["ussc"],
        slug="forum-kyiv-energy",
        kind="online_forum",
        original_language="uk",
        title={"uk": CYRILLIC_TITLE, "en": "Forum; unions, energy \\ rebuilding"},
        description={"uk": "Опис: " + "енергетика, профспілки; " * 12},
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        time_zone="Europe/Kyiv",
        is_online=True,
        join_url="https://meet.example.org/j/forum-kyiv-energy",
        languages=["uk", "en"],
        topic="labour",
    )


def test_every_public_calendar_feed_meets_rfc_5545(client, awkward_event):
    from spilka.events.models import Series
    from spilka.network.models import Organisation

    urls = ["/{lang}/events/feed.ics"]
    urls += [
        f"/{{lang}}/events/org/{o.slug}/feed.ics"
        for o in Organisation.objects.filter(is_public=True)
    ]
    urls += [
        f"/{{lang}}/events/series/{s.slug}/feed.ics" for s in Series.objects.filter(is_public=True)
    ]
    assert any("/series/" in url for url in urls)
    for language in LANGUAGES:
        for url in urls:
            response = client.get(url.format(lang=language))
            assert response.status_code == 200, url
            assert response["Content-Type"] == "text/calendar; charset=utf-8"
            assert ics_problems(response.content) == [], url.format(lang=language)
    body = client.get("/uk/events/feed.ics").content.decode()
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:" + CYRILLIC_TITLE.replace(",", "\\,") in unfolded
    assert "SUMMARY:Forum\\; unions\\, energy \\\\ rebuilding" in client.get(
        "/en/events/feed.ics"
    ).content.decode().replace("\r\n ", "")


def test_a_registrants_calendar_file_and_mailed_invitation_meet_rfc_5545(
    client, awkward_event, django_capture_on_commit_callbacks
):
    from spilka.events import tokens
    from spilka.events.services import registrations

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = registrations.event_register(
            event=awkward_event,
            full_name="Оксана Коваль",
            email="oksana@example.org",
            language="uk",
            base_url="http://testserver",
        )
    registration = result.registration
    registration.email_confirmed_at = timezone.now()  # as after the mailed link was pressed
    registration.save(update_fields=["email_confirmed_at"])
    token = tokens.make_token(registration.pk, tokens.REGISTRATION_SALT)
    response = client.get(f"/uk/events/r/{token}/event.ics")
    assert response.status_code == 200
    assert ics_problems(response.content) == []
    assert "meet.example.org" in response.content.decode().replace("\r\n ", "")

    attached = [
        content
        for message in mail.outbox
        for name, content, _mimetype in message.attachments
        if name.endswith(".ics")
    ]
    assert attached, "the confirmation carries no .ics"
    for content in attached:
        assert ics_problems(content.encode() if isinstance(content, str) else content) == []


# --- CSV: every export, with cells made to look like formulas ---------------------------------


def _check_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.match(r'^attachment; filename="[\w.-]+\.csv"$', response["Content-Disposition"])
    data = _body(response)
    assert csv_problems(data) == []
    return csv_rows(data)


def test_the_public_ledgers_and_aid_exports_are_strict_csv(anon, demo):
    from spilka.campaigns.models import Campaign
    from spilka.funds.models import Fund

    orgs = {fund.organisation.slug for fund in Fund.objects.select_related("organisation")}
    for slug in sorted(orgs):
        response = anon.get(f"/en/money/org/{slug}/ledger.csv")
        if response.status_code == 404:  # a private organisation publishes no ledger
            continue
        rows = _check_csv(response)
        assert rows[0][0] == "date"
    for campaign in Campaign.objects.all():
        response = anon.get(f"/en/money/campaign/{campaign.slug}/ledger.csv")
        if response.status_code == 200:
            _check_csv(response)
    for url in ("/en/aid/export/needs.csv", "/en/aid/export/deliveries.csv"):
        _check_csv(anon.get(url))


def test_a_number_with_many_decimal_places_is_written_plainly():
    # A zero or a tiny rate stored with ten decimal places is Decimal("0E-10") once read
    # back; str() writes it in exponent notation, which a spreadsheet reads as text or 0.
    assert csv_cell(Decimal("0E-10")) == "0.0000000000"
    assert csv_cell(Decimal("1.00E-8")) == "0.0000000100"
    assert csv_cell(Decimal("1E+3")) == "1000"
    assert csv_cell(Decimal("-12.50")) == "-12.50"


def test_the_petition_signatures_export_is_strict_csv(
    demo, usc_admin, django_capture_on_commit_callbacks
):
    from spilka.campaigns.models import Petition
    from spilka.campaigns.services import petitions

    petition = Petition.objects.get(slug="iaea-zaporizhzhia")
    result = petitions.petition_sign(
        petitions.Signer(
            petition_id=petition.pk,
            full_name=FORMULA,
            email="formula@example.org",
            country="UA",
            postcode="@SUM(1)",
            organisation_name="+cmd|' /C calc'!A0",
        )
    )
    petitions.signature_confirm(signature_id=result.signature_id)
    _export, download = export_through_pages(
        client_for(usc_admin),
        f"/en/petitions/{petition.slug}/signatures.csv",
        capture=django_capture_on_commit_callbacks,
    )
    rows = _check_csv(download)
    assert any(row[0] == "'" + FORMULA for row in rows)


def test_the_attendee_export_is_strict_csv(demo, awkward_event, django_capture_on_commit_callbacks):
    from spilka.events.services import events, registrations
    from spilka.lib.testing import user_with_roles

    events.question_add(
        event=awkward_event, by="test", label={"uk": "=1+1 Звідки ви?", "en": "@where"}, kind="text"
    )
    question = awkward_event.questions.get()
    registrations.event_register(
        event=awkward_event,
        full_name=FORMULA,
        email="attendee@example.org",
        answers={question.pk: "-1+2"},
    )
    organiser = user_with_roles("csv.organiser@ussc.test", [(demo["ussc"], "organiser")])
    client = Client()
    client.force_login(organiser)
    for language in ("en", "uk"):
        _export, download = export_through_pages(
            client,
            f"/{language}/events/{awkward_event.slug}/attendees.csv",
            capture=django_capture_on_commit_callbacks,
        )
        rows = _check_csv(download)
        assert any(cell == "'" + FORMULA for row in rows for cell in row)


def test_a_persons_own_data_export_is_strict_csv(demo, django_capture_on_commit_callbacks):
    from spilka.campaigns.models import Petition
    from spilka.campaigns.services import petitions

    petition = Petition.objects.get(slug="iaea-zaporizhzhia")
    with django_capture_on_commit_callbacks(execute=True):
        result = petitions.petition_sign(
            petitions.Signer(
                petition_id=petition.pk,
                full_name="=Ірина Формула",
                email="mine@example.org",
                country="UA",
            )
        )
        petitions.signature_confirm(signature_id=result.signature_id)
    client = Client()
    page = client.get("/uk/my-data/").content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/uk/my-data/",
            {"email": "mine@example.org", "kind": "export", "website": "", "altcha": _solve(page)},
        )
    link = re.search(r"http://testserver(/uk/my-data/[^\s]+/)", mail.outbox[0].body).group(1)
    rows = _check_csv(client.get(link + "my-data.csv"))
    assert any(cell == "'=Ірина Формула" for row in rows for cell in row)


def test_an_organisation_without_events_still_gets_a_valid_calendar(client, demo):
    from spilka.events.models import Event
    from spilka.network.models import Organisation

    quiet = Organisation.objects.filter(is_public=True).exclude(
        pk__in=Event.objects.values("organiser")
    )[0]
    body = client.get(f"/en/events/org/{quiet.slug}/feed.ics").content
    assert b"BEGIN:VEVENT" not in body
    assert b"BEGIN:VTIMEZONE" in body  # RFC 5545: at least one component
    assert ics_problems(body) == []
