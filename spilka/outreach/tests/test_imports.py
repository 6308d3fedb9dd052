from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from spilka.outreach.models import ImportStatus, Supporter, SupporterStatus
from spilka.outreach.services import import_writer, imports
from spilka.outreach.services.groups import list_create
from spilka.outreach.services.supporters import supporter_unsubscribe

pytestmark = pytest.mark.django_db

CSV = (
    "Email,First name,Last name,Phone,Language,Country,Tags\n"
    "anna@example.org,Anna,Kowalska,+48 600 100 200,pl,PL,union;warsaw\n"
    "ANNA@example.org,Anna,K,,pl,PL,\n"  # the same address again in the file
    "not-an-address,Bad,Row,,en,GB,\n"
    "known@example.org,Known,Person,,en,GB,\n"  # already a supporter, by email
    "newmail@example.org,Phone,Match,+380501234567,uk,UA,\n"  # already known by phone
    ",No,Email,,en,GB,\n"
    "gone@example.org,Gone,Away,,en,GB,\n"  # unsubscribed earlier: stays so
    "bob@example.org,Bob,,07911 123456,en,GB,\n"
)


def _run(usc, usc_admin, text=CSV, **kwargs):
    upload = imports.import_upload(
        organisation=usc,
        by=usc_admin,
        filename="members.csv",
        data=text.encode(),
        consent_given=kwargs.pop("consent_given", True),
        consent_source=kwargs.pop("consent_source", "Branch sign-up sheets, 2024"),
        consent_wording="I want news from the campaign.",
        **kwargs,
    )
    imports.import_queue(supporter_import=upload, by=usc_admin)
    upload.refresh_from_db()
    return upload


def test_an_import_never_creates_a_duplicate_and_lists_failures_with_reasons(
    usc, usc_admin, announce, django_capture_on_commit_callbacks
):
    announce(usc, "known@example.org", name="", consented=False, kind="donated")
    phone_owner = announce(usc, "phone@example.org")
    Supporter.objects.filter(pk=phone_owner.pk).update(phone="+380501234567")
    gone = announce(usc, "gone@example.org")
    supporter_unsubscribe(organisation_id=usc.pk, supporter_id=gone.pk)
    members = list_create(organisation=usc, name="Members", by=usc_admin)
    before = Supporter.objects.filter(organisation=usc).count()

    with django_capture_on_commit_callbacks(execute=True):
        done = _run(usc, usc_admin, target_list=members)
    done.refresh_from_db()

    assert done.status == ImportStatus.DONE and done.content == ""
    assert (done.created_count, done.updated_count) == (2, 3)
    assert done.duplicate_count == 1 and done.failed_count == 2
    assert {e["reason"] for e in done.errors} == {
        "the email address is not valid",
        "no email address",
    }
    assert {e["row"] for e in done.errors} == {4, 7}
    assert Supporter.objects.filter(organisation=usc).count() == before + 2
    anna = Supporter.objects.get(organisation=usc, email="anna@example.org")
    assert (anna.name, anna.phone, anna.language) == ("Anna Kowalska", "+48600100200", "pl")
    assert sorted(anna.tags.values_list("name", flat=True)) == ["union", "warsaw"]
    assert anna.consents.get().source == "import:Branch sign-up sheets, 2024"
    known = Supporter.objects.get(organisation=usc, email="known@example.org")
    assert known.status == SupporterStatus.SUBSCRIBED and known.name == "Known Person"
    assert not Supporter.objects.filter(email="newmail@example.org").exists()
    assert phone_owner.actions.filter(kind="imported").exists()
    assert Supporter.objects.get(pk=gone.pk).status == SupporterStatus.UNSUBSCRIBED
    assert members.members.count() == 5


def test_without_consent_imported_people_are_not_subscribed(
    usc, usc_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _run(usc, usc_admin, text="email\nquiet@example.org\n", consent_given=False)
    assert Supporter.objects.get(email="quiet@example.org").status == SupporterStatus.NO_CONSENT


def test_running_an_import_twice_changes_nothing_more(
    usc, usc_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload = _run(usc, usc_admin, text="email\nonce@example.org\n")
    imports.import_run(import_id=upload.pk)
    assert Supporter.objects.filter(email="once@example.org").count() == 1
    with pytest.raises(ValidationError):
        imports.import_queue(supporter_import=upload, by=usc_admin)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\xff\xfe\x00bad", "UTF-8"),
        (b"", "empty"),
        (b"email,email\na@b.org,c@d.org\n", "same heading"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(usc, usc_admin, data, message):
    with pytest.raises(ValidationError) as error:
        imports.import_upload(
            organisation=usc,
            by=usc_admin,
            filename="x.csv",
            data=data,
            consent_given=False,
            consent_source="",
        )
    assert message in str(error.value)


def test_consent_needs_a_source(usc, usc_admin):
    with pytest.raises(ValidationError):
        imports.import_upload(
            organisation=usc,
            by=usc_admin,
            filename="x.csv",
            data=b"email\n",
            consent_given=True,
            consent_source=" ",
        )


def test_mapping_guesses_common_headings_and_semicolons_work(
    usc, usc_admin, django_capture_on_commit_callbacks
):
    text = "E-mail;Name;Language\nsemi@example.org;Iryna Shevchenko;Ukrainian\n"
    upload = imports.import_upload(
        organisation=usc,
        by=usc_admin,
        filename="x.csv",
        data=text.encode("utf-8-sig"),
        consent_given=False,
        consent_source="",
    )
    assert upload.mapping == {"email": "E-mail", "name": "Name", "language": "Language"}
    preview = imports.import_preview(upload)
    assert preview[0].language == "uk" and preview[0].name == "Iryna Shevchenko"


def test_an_import_that_breaks_unexpectedly_says_failed_instead_of_running_for_ever(
    usc, usc_admin, monkeypatch
):
    from spilka.outreach.models import SupporterImport

    def broken_write(self, chunk):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(import_writer.ImportWriter, "write", broken_write)
    upload = _run(usc, usc_admin, text="email\nbroken@example.org\n")
    with pytest.raises(RuntimeError):
        imports.import_run(import_id=upload.pk)
    upload = SupporterImport.objects.get(pk=upload.pk)
    assert upload.status == ImportStatus.FAILED
    assert upload.content == ""


class _DriverError(Exception):
    """What psycopg raises under Django's ``OperationalError``: an error with a SQLSTATE."""

    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _counts_failing_once(monkeypatch, sqlstate):
    from django.db import OperationalError

    counts_change = import_writer.supporter_counts_change
    calls = []

    def failing_once(changes):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("deadlock detected") from _DriverError(sqlstate)
        counts_change(changes)

    monkeypatch.setattr(import_writer, "supporter_counts_change", failing_once)
    return calls


def test_a_chunk_cancelled_to_end_a_deadlock_is_written_again(usc, usc_admin, monkeypatch):
    from spilka.outreach.services.counts import supporter_counts_differences

    calls = _counts_failing_once(monkeypatch, "40P01")
    upload = _run(usc, usc_admin, text="email\nfirst@example.org\nsecond@example.org\n")
    imports.import_run(import_id=upload.pk)
    upload.refresh_from_db()

    assert len(calls) == 2
    assert upload.status == ImportStatus.DONE
    assert upload.created_count == 2
    assert (
        Supporter.objects.filter(organisation=usc)
        .filter(email__in=["first@example.org", "second@example.org"])
        .count()
        == 2
    )
    assert supporter_counts_differences() == {}


def test_a_chunk_failing_for_another_database_reason_is_not_written_again(
    usc, usc_admin, monkeypatch
):
    from django.db import OperationalError

    calls = _counts_failing_once(monkeypatch, "57014")  # cancelled by statement_timeout
    upload = _run(usc, usc_admin, text="email\nfirst@example.org\n")
    with pytest.raises(OperationalError):
        imports.import_run(import_id=upload.pk)
    upload.refresh_from_db()

    assert len(calls) == 1
    assert upload.status == ImportStatus.FAILED
    assert not Supporter.objects.filter(organisation=usc, email="first@example.org").exists()
