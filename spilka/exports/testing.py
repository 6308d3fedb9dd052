"""For tests of the apps' exports: press the button, let the task run, fetch the file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from django.urls import resolve, reverse

from spilka.exports.models import ExportFile


def export_through_pages(
    client: Any, url: str, *, capture: Callable[..., Any], data: dict[str, Any] | None = None
) -> tuple[ExportFile, Any]:
    """POST ``url`` as the page's export button does, run what the request left for after
    its commit (the export task, then its mail), open the status page the answer redirects
    to and download the file from there. ``capture`` is pytest-django's
    ``django_capture_on_commit_callbacks``. Returns the export and the download."""
    with capture(execute=True):
        started = client.post(url, data or {})
    assert started.status_code == 302, started.status_code
    location = urlparse(started["Location"]).path
    match = resolve(location)
    assert match.view_name == "exports:status", location
    export = ExportFile.objects.get(pk=match.kwargs["pk"])
    status = client.get(location)
    download_url = reverse("exports:download", args=[export.pk])
    assert status.status_code == 200 and download_url in status.content.decode()
    return export, client.get(download_url)


def export_body(response: Any) -> bytes:
    return b"".join(response.streaming_content)
