"""Supporter lists as CSV and XLSX, written in the background: organisers of the
organisation only, every export audited, every cell safe from spreadsheet formulas, and no
more queries for more rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from spilka.exports.models import ExportFile
from spilka.exports.testing import export_through_pages
from spilka.lib.models import AuditEntry
from spilka.outreach.services import groups
from spilka.outreach.services.mailings import segment_save
from tests.strict_formats import csv_problems, csv_rows, xlsx_problems, xlsx_rows

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"


def _url(fmt, segment=None):
    if segment is None:
        return reverse("outreach:supporters_export", kwargs={"slug": USC, "fmt": fmt})
    return reverse("outreach:segment_export", kwargs={"slug": USC, "pk": segment.pk, "fmt": fmt})


def _rows(response, fmt):
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        assert csv_problems(body) == []
        return csv_rows(body)
    assert xlsx_problems(body) == []
    return xlsx_rows(body)


@pytest.fixture
def exported(django_capture_on_commit_callbacks):
    def run(client, url):
        return export_through_pages(client, url, capture=django_capture_on_commit_callbacks)

    return run


@pytest.fixture
def people(usc, razem, announce, usc_admin):
    olena = announce(usc, "olena@example.org", name="Olena Petrenko", language="uk")
    announce(usc, "jan@example.org", name="Jan Kowalski", language="pl", consented=False)
    announce(razem, "razem-only@example.org", name="Only Razem")
    tag = groups.tag_create(organisation=usc, name="Lviv convoy", by=usc_admin)
    groups.supporter_set_groups(supporter=olena, tags=[tag], lists=[], by=usc_admin)
    return olena


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_organiser_downloads_every_supporter_with_consent_language_and_tags(
    login, usc_admin, people, fmt, exported
):
    export, response = exported(login(usc_admin), _url(fmt))
    assert response.status_code == 200
    assert "ukraine-solidarity-campaign-supporters-" in response["Content-Disposition"]
    assert f".{fmt}" in response["Content-Disposition"]
    rows = _rows(response, fmt)
    header = rows[0]
    by_email = {row[header.index("Email")]: row for row in rows[1:]}
    assert "razem-only@example.org" not in by_email
    olena = by_email["olena@example.org"]
    assert olena[header.index("Consent status")] == "Subscribed"
    assert olena[header.index("Language")] == "Ukrainian"
    assert olena[header.index("Tags")] == "Lviv convoy"
    jan = by_email["jan@example.org"]
    assert jan[header.index("Consent status")].startswith("Not subscribed")
    entry = AuditEntry.objects.filter(action="outreach.supporters.exported").latest("pk")
    assert entry.actor == usc_admin and entry.organisation.slug == USC
    assert entry.after == {"format": fmt, "export": export.pk, "slug": USC, "segment": None}
    assert export.row_count == export.total_rows == len(rows) - 1 > 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_segment_download_holds_only_the_segment(login, usc, usc_admin, people, fmt, exported):
    from spilka.outreach.models import Tag

    def usc_tag(name):
        return Tag.objects.get(organisation=usc, name=name)

    tag = usc_tag("Lviv convoy")
    segment = segment_save(
        organisation=usc, by=usc_admin, name="Lviv convoy", filters={"tags": [tag.pk]}
    )
    _export, response = exported(login(usc_admin), _url(fmt, segment))
    rows = _rows(response, fmt)
    assert [row[1] for row in rows[1:]] == ["olena@example.org"]
    assert f"-segment-{segment.pk}-" in response["Content-Disposition"]
    entry = AuditEntry.objects.filter(action="outreach.supporters.exported").latest("pk")
    assert entry.object_type == "outreach.segment" and entry.object_id == str(segment.pk)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_name_written_as_a_formula_is_escaped(login, usc, usc_admin, announce, fmt, exported):
    announce(usc, "evil@example.org", name='=HYPERLINK("http://evil.example","Click")')
    rows = _rows(exported(login(usc_admin), _url(fmt))[1], fmt)
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","Click")' in names


def test_pages_link_to_both_formats(login, usc, usc_admin, people):
    segment = segment_save(organisation=usc, by=usc_admin, name="All", filters={})
    client = login(usc_admin)
    home = client.get(reverse("outreach:organisation", kwargs={"slug": USC})).content.decode()
    assert _url("csv") in home and _url("xlsx") in home
    for name in ("outreach:segments", "outreach:segment"):
        kwargs = {"slug": USC} if name == "outreach:segments" else {"slug": USC, "pk": segment.pk}
        page = client.get(reverse(name, kwargs=kwargs)).content.decode()
        assert _url("csv", segment) in page and _url("xlsx", segment) in page


def test_other_organisations_organisers_and_other_roles_get_nothing(
    login, usc, razem_organiser, usc_treasurer, people, anon
):
    segment = segment_save(organisation=usc, by="test", name="All", filters={})
    before = AuditEntry.objects.filter(action="outreach.supporters.exported").count()
    for user in (razem_organiser, usc_treasurer):
        client = login(user)
        for url in (_url("csv"), _url("xlsx"), _url("csv", segment)):
            for response in (client.get(url), client.post(url)):
                assert response.status_code in (403, 404)
                assert b"olena@example.org" not in response.content
    assert anon.get(_url("csv")).status_code == 302
    assert anon.post(_url("csv")).status_code == 302
    assert AuditEntry.objects.filter(action="outreach.supporters.exported").count() == before
    assert not ExportFile.objects.exists()


def test_a_razem_organiser_cannot_reach_a_usc_segment_through_razem(
    login, usc, razem, razem_organiser, people
):
    segment = segment_save(organisation=usc, by="test", name="All", filters={})
    url = reverse(
        "outreach:segment_export", kwargs={"slug": "razem", "pk": segment.pk, "fmt": "csv"}
    )
    assert login(razem_organiser).get(url).status_code == 404
    assert login(razem_organiser).post(url).status_code == 404


def test_an_unknown_format_is_not_found(login, usc_admin):
    assert login(usc_admin).get(_url("json")).status_code == 404
    assert login(usc_admin).post(_url("json")).status_code == 404
    assert not ExportFile.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_query_count_does_not_grow_with_the_list(
    login, usc, usc_admin, announce, django_assert_max_num_queries, fmt, exported
):
    client = login(usc_admin)
    tag = groups.tag_create(organisation=usc, name="Many", by=usc_admin)

    def download():
        # The request, the task that writes the file, its mail, the status page, the file.
        _export, response = exported(client, _url(fmt))
        return len(_rows(response, fmt))

    announce(usc, "first@example.org")
    with django_assert_max_num_queries(60) as few:
        small = download()
    for number in range(25):
        supporter = announce(usc, f"person{number}@example.org")
        groups.supporter_set_groups(supporter=supporter, tags=[tag], lists=[], by=usc_admin)
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = download()
    assert large == small + 25
