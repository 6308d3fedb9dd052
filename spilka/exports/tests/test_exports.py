"""Background exports: only the requester downloads, only while they keep the access the
export needed, never after expiry; the task runs once in effect and mails once."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from spilka.campaigns.exports import SIGNATURES
from spilka.campaigns.models import Petition, SignatureStatus
from spilka.exports import services as export_services
from spilka.exports.models import ExportFile, ExportStatus
from spilka.exports.services import export_build, export_request, exports_expire
from spilka.exports.testing import export_body, export_through_pages
from spilka.lib.models import AuditEntry
from spilka.lib.storage import PrivateFileSystemStorage
from spilka.lib.testing import user_with_roles
from spilka.network.models import OrganisationRole
from spilka.network.services import role_revoke

pytestmark = pytest.mark.django_db

PETITION = "iaea-zaporizhzhia"


@pytest.fixture
def petition(demo):
    return Petition.objects.get(slug=PETITION)


@pytest.fixture
def usc_organiser(usc):
    """A second organiser of USC: runs the campaign, may lose the role mid-way."""
    return user_with_roles("second.organiser@usc.test", [(usc, "organiser")])


def _start_url(language="en"):
    with translation.override(language):
        return reverse("campaigns:petition_export", args=[PETITION])


def _export(client, capture, language="en"):
    return export_through_pages(client, _start_url(language), capture=capture)


def _confirmed(petition):
    return petition.signatures.filter(status=SignatureStatus.CONFIRMED)


def test_the_button_queues_the_export_and_its_requester_downloads_the_file(
    login, usc_organiser, petition, django_capture_on_commit_callbacks
):
    client = login(usc_organiser)
    page = client.get(reverse("campaigns:petition", args=[PETITION])).content.decode()
    assert f'method="post" action="{_start_url()}"' in page
    export, download = _export(client, django_capture_on_commit_callbacks)
    assert export.status == ExportStatus.READY and export.requested_by == usc_organiser
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    body = export_body(download).decode("utf-8-sig")
    assert export.row_count == _confirmed(petition).count() == body.count("\r\n") - 1 > 0
    assert _confirmed(petition).first().email in body
    # Private storage: no URL to hand out, and a name nobody can guess.
    assert isinstance(export.file.storage, PrivateFileSystemStorage)
    with pytest.raises(ValueError):
        export.file.url  # noqa: B018
    assert export.file.name.startswith("exports/") and export.file.name.endswith(
        f"/{PETITION}-signatures.csv"
    )
    assert export.expires_at - export.finished_at == datetime.timedelta(days=7)
    entry = AuditEntry.objects.get(action="campaigns.signatures.exported")
    assert entry.actor == usc_organiser and entry.object_id == str(petition.pk)
    assert entry.after == {"format": "csv", "export": export.pk, "slug": PETITION}
    # The download is audited too: a stolen session leaves a trace each time it takes the file.
    downloaded = AuditEntry.objects.get(action="exports.file.downloaded")
    assert downloaded.actor == usc_organiser and downloaded.object_id == str(export.pk)
    assert downloaded.after["rows"] == export.row_count


def test_the_requester_is_mailed_once_in_the_language_they_asked_in(
    login, usc_organiser, petition, django_capture_on_commit_callbacks
):
    mail.outbox = []
    export, _download = _export(login(usc_organiser), django_capture_on_commit_callbacks, "uk")
    assert export.language == "uk"
    assert [message.to for message in mail.outbox] == [[usc_organiser.email]]
    assert f"/uk/exports/{export.pk}/" in mail.outbox[0].body
    # Run again (a worker that died after finishing): no second file, no second mail.
    name = export.file.name
    with django_capture_on_commit_callbacks(execute=True):
        again = export_build(export_id=export.pk)
    assert again.file.name == name and again.status == ExportStatus.READY
    assert len(mail.outbox) == 1


def test_an_outsider_and_a_colleague_see_nothing_of_someone_elses_export(
    login, usc_organiser, usc_admin, razem_organiser, petition, django_capture_on_commit_callbacks
):
    export, _download = _export(login(usc_organiser), django_capture_on_commit_callbacks)
    secret = _confirmed(petition).first().email.encode()
    for user in (razem_organiser, usc_admin):
        client = login(user)
        for name in ("exports:status", "exports:progress", "exports:download"):
            response = client.get(reverse(name, args=[export.pk]))
            assert response.status_code == 404, (user, name)
            assert secret not in response.content
    anonymous = Client().get(reverse("exports:download", args=[export.pk]))
    assert anonymous.status_code == 302 and "/accounts/login" in anonymous["Location"]


def test_an_outsider_cannot_start_an_export(login, razem_organiser, petition, anon):
    for client in (login(razem_organiser), anon):
        response = client.post(_start_url())
        assert response.status_code in (302, 403, 404)
        assert "/exports/" not in response.get("Location", "")
    assert not ExportFile.objects.exists()
    assert not AuditEntry.objects.filter(action="campaigns.signatures.exported").exists()


def test_a_requester_who_lost_the_role_is_refused_the_file(
    login, usc_organiser, usc_admin, petition, django_capture_on_commit_callbacks
):
    client = login(usc_organiser)
    export, download = _export(client, django_capture_on_commit_callbacks)
    assert download.status_code == 200
    grant = OrganisationRole.objects.get(user=usc_organiser, role="organiser")
    role_revoke(by=usc_admin, grant=grant)
    refused = client.get(reverse("exports:download", args=[export.pk]))
    assert refused.status_code == 403
    assert b"no longer have access" in refused.content
    assert _confirmed(petition).first().email.encode() not in refused.content
    assert client.get(export.get_absolute_url()).status_code == 403
    progress = client.get(reverse("exports:progress", args=[export.pk]))
    assert progress.status_code == 403 and "total" not in progress.json()


def test_a_deleted_export_takes_its_file_along(
    login, usc_organiser, petition, django_capture_on_commit_callbacks
):
    export, _download = _export(login(usc_organiser), django_capture_on_commit_callbacks)
    storage, name = export.file.storage, export.file.name
    assert storage.exists(name)
    export.delete()
    assert not storage.exists(name)


def test_a_role_lost_before_the_task_runs_writes_no_file(
    usc_organiser, usc_admin, petition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        export, created = export_request(
            kind=SIGNATURES, by=usc_organiser, parameters={"slug": PETITION}, language="uk"
        )
    assert created
    role_revoke(by=usc_admin, grant=OrganisationRole.objects.get(user=usc_organiser))
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        failed = export_build(export_id=export.pk)
    assert failed.status == ExportStatus.FAILED and not failed.file
    assert failed.error == "Ви більше не маєте доступу до цього списку."  # as asked, in uk
    assert mail.outbox == []


def test_a_failed_export_says_so_in_the_language_it_was_asked_in(
    login, usc_organiser, petition, django_capture_on_commit_callbacks, monkeypatch
):
    client = login(usc_organiser)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(_start_url("uk"))
    export = ExportFile.objects.get()

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(export_services, "export_write", disk_full)
    # The worker runs in its own language (English here), not the requester's.
    with translation.override("en"), pytest.raises(OSError):
        export_build(export_id=export.pk)
    export.refresh_from_db()
    failed = "Експорт не вдався. Будь ласка, спробуйте ще раз."
    assert export.status == ExportStatus.FAILED and export.error == failed
    assert failed in client.get(f"/uk/exports/{export.pk}/").content.decode()


def test_an_expired_file_is_refused_and_the_cleanup_deletes_it(
    login, usc_organiser, petition, django_capture_on_commit_callbacks
):
    client = login(usc_organiser)
    export, _download = _export(client, django_capture_on_commit_callbacks)
    storage, name = export.file.storage, export.file.name
    assert storage.exists(name)
    ExportFile.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    refused = client.get(reverse("exports:download", args=[export.pk]))
    assert refused.status_code == 410 and b"expired" in refused.content
    assert exports_expire() == 1
    assert not storage.exists(name)
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not export.file
    assert exports_expire() == 0
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 410


def test_the_same_export_asked_again_while_running_is_the_same_export(
    login, usc_organiser, petition, django_capture_on_commit_callbacks
):
    client = login(usc_organiser)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.post(_start_url())
        second = client.post(_start_url())
    assert first["Location"] == second["Location"]
    assert ExportFile.objects.count() == 1 and len(queued) == 1
    assert AuditEntry.objects.filter(action="campaigns.signatures.exported").count() == 1
    export = ExportFile.objects.get()
    # While it waits, the status page shows the poller and a plain link to look again.
    page = client.get(export.get_absolute_url()).content.decode()
    assert reverse("exports:progress", args=[export.pk]) in page
    assert "data-export-refresh" in page
    assert reverse("exports:download", args=[export.pk]) not in page
    progress = client.get(reverse("exports:progress", args=[export.pk])).json()
    assert progress["done"] is False and progress["status"] == "pending"
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 409


def test_a_get_shows_the_button_and_starts_nothing(login, usc_organiser, petition):
    response = login(usc_organiser).get(_start_url())
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert not ExportFile.objects.exists()


def test_an_unknown_format_is_not_found(login, usc, usc_admin):
    url = reverse("outreach:supporters_export", kwargs={"slug": usc.slug, "fmt": "json"})
    assert login(usc_admin).post(url).status_code == 404
    assert not ExportFile.objects.exists()
