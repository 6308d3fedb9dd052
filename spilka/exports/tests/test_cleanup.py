"""The exports' housekeeping (``manage.py expire_exports``, the ``exports_cleanup`` task): an
export whose run was lost is marked failed, in its requester's language, and may be asked
for again; a file a crashed run left without a row is deleted once it is an hour old."""

from __future__ import annotations

import datetime
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from spilka.campaigns.exports import SIGNATURES
from spilka.exports.models import ExportFile, ExportStatus
from spilka.exports.services import export_request, exports_sweep
from spilka.exports.testing import export_through_pages
from spilka.lib.testing import user_with_roles

pytestmark = pytest.mark.django_db

PETITION = "iaea-zaporizhzhia"
FAILED_UK = "Експорт не вдався. Будь ласка, спробуйте ще раз."


@pytest.fixture
def usc_organiser(usc):
    return user_with_roles("second.organiser@usc.test", [(usc, "organiser")])


def _queued(user, django_capture_on_commit_callbacks, *, language="uk", hours_ago=0.0):
    """An export asked for ``hours_ago``, whose task never ran."""
    with django_capture_on_commit_callbacks(execute=False):
        export, created = export_request(
            kind=SIGNATURES, by=user, parameters={"slug": PETITION}, language=language
        )
    assert created
    asked = timezone.now() - datetime.timedelta(hours=hours_ago)
    ExportFile.objects.filter(pk=export.pk).update(created_at=asked)
    return export


def _age(storage, name, hours):
    """Make a stored file look written ``hours`` ago."""
    when = (timezone.now() - datetime.timedelta(hours=hours)).timestamp()
    os.utime(storage.path(name), (when, when))


@pytest.mark.parametrize("status", [ExportStatus.PENDING, ExportStatus.RUNNING])
def test_an_export_lost_for_hours_is_marked_failed_and_its_requester_told_to_start_again(
    login, usc_organiser, django_capture_on_commit_callbacks, status
):
    export = _queued(usc_organiser, django_capture_on_commit_callbacks, hours_ago=4)
    ExportFile.objects.filter(pk=export.pk).update(status=status)
    assert exports_sweep()["stuck"] == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.finished_at is not None
    assert export.error == FAILED_UK  # the language it was asked in, not the worker's
    client = login(usc_organiser)
    page = client.get(f"/uk/exports/{export.pk}/").content.decode()
    assert FAILED_UK in page
    assert reverse("exports:progress", args=[export.pk]) not in page  # no bar left waiting
    assert client.get(reverse("exports:progress", args=[export.pk])).json()["done"] is True
    # The same export may be asked for again: the lost one no longer stands in the way.
    _again, created = export_request(
        kind=SIGNATURES, by=usc_organiser, parameters={"slug": PETITION}, language="uk"
    )
    assert created


def test_an_export_waiting_less_than_the_limit_is_left_to_run(
    usc_organiser, django_capture_on_commit_callbacks
):
    export = _queued(usc_organiser, django_capture_on_commit_callbacks, hours_ago=2)
    assert exports_sweep()["stuck"] == 0
    export.refresh_from_db()
    assert export.status == ExportStatus.PENDING and not export.error


def test_a_file_no_export_names_is_deleted_once_an_hour_old_and_the_others_are_kept(
    login, usc_organiser, django_capture_on_commit_callbacks
):
    url = reverse("campaigns:petition_export", args=[PETITION])
    export, _download = export_through_pages(
        login(usc_organiser), url, capture=django_capture_on_commit_callbacks
    )
    storage = export.file.storage
    _age(storage, export.file.name, hours=30)  # a week-old ready file stays: a row names it
    left = storage.save("exports/2026/01/0a1b/crashed-run.csv", ContentFile(b"Name,Email\r\n"))
    _age(storage, left, hours=2)
    writing = storage.save("exports/2026/01/2c3d/running.csv", ContentFile(b"Name\r\n"))
    outside = storage.save("receipts/2026/01/receipt.pdf", ContentFile(b"%PDF"))
    _age(storage, outside, hours=2)

    assert exports_sweep()["orphans"] == 1
    assert not storage.exists(left)
    assert storage.exists(export.file.name)  # named by its export
    assert storage.exists(writing)  # too young: a run may be about to save its row
    assert storage.exists(outside)  # not an export's
    assert exports_sweep()["orphans"] == 0


def test_the_sweep_with_nothing_exported_yet_does_nothing(db):
    assert exports_sweep() == {"expired": 0, "stuck": 0, "orphans": 0}


def test_the_command_runs_the_whole_sweep_and_says_what_it_did(
    usc_organiser, django_capture_on_commit_callbacks, _private_files
):
    _queued(usc_organiser, django_capture_on_commit_callbacks, hours_ago=5)
    left = _private_files.save("exports/2026/02/4e5f/x.csv", ContentFile(b"x"))
    _age(_private_files, left, hours=3)
    out = io.StringIO()
    call_command("expire_exports", stdout=out)
    assert out.getvalue().strip() == (
        "0 expired export file(s) deleted, 1 lost export(s) marked failed, "
        "1 file(s) without an export deleted."
    )
    assert ExportFile.objects.get().status == ExportStatus.FAILED
    assert not _private_files.exists(left)
