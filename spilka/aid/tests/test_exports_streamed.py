"""The public aid exports are streamed: the same bytes as the files built in memory before,
rows read on one query whatever their number, in the language of the request."""

import csv
import datetime
import io
import itertools
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone, translation

from spilka.aid.exports import DELIVERY_COLUMNS, NEED_COLUMNS, _name
from spilka.aid.models import ManifestLine
from spilka.aid.selectors.reports import public_handovers
from spilka.aid.services import convoys as convoy_services
from spilka.aid.services import needs as need_services
from spilka.aid.services.handovers import ReceivedLine, handover_confirm
from spilka.aid.views import public
from spilka.lib.csv_safe import csv_text
from spilka.lib.numbers import format_quantity
from spilka.network.models import Organisation

pytestmark = pytest.mark.django_db

URLS = [
    "/{}/aid/export/needs.csv",
    "/{}/aid/export/needs.csv?hxl=1",
    "/{}/aid/export/deliveries.csv",
    "/{}/aid/export/deliveries.csv?hxl=1",
]


# --- the files as they were written before streaming (spilka/aid/exports.py at bf916f3) ---


def _before(columns, rows, hxl):
    header = [[name for name, _tag in columns]]
    if hxl:
        header.append([tag for _name, tag in columns])
    return csv_text(itertools.chain(header, rows))


def _needs_before(hxl):
    needs = (
        public._needs(AnonymousUser())
        .filter(is_public=True, organisation__is_public=True)
        .order_by("pk")
    )

    def rows():
        for need in needs:
            location = need.public_location()
            for line in need.lines.all():
                yield [
                    _name(need.organisation),
                    need.get_oblast_display(),
                    location,
                    str(need),
                    str(line.item),
                    line.item.code,
                    line.item.unit,
                    line.item.category,
                    format_quantity(line.quantity),
                    format_quantity(line.pledged),
                    format_quantity(line.received),
                    need.priority,
                    need.needed_by,
                    need.status,
                ]

    return _before(NEED_COLUMNS, rows(), hxl)


def _deliveries_before(hxl):
    lines = (
        ManifestLine.objects.filter(handover__in=public_handovers().values("pk"))
        .filter(
            Q(pledge_line__isnull=True)
            | Q(pledge_line__pledge__publish_after__isnull=True)
            | Q(pledge_line__pledge__publish_after__lte=timezone.now())
        )
        .select_related("item", "donor_organisation", "handover__recipient", "need_line__need")
        .order_by("handover__confirmed_at", "pk")
    )

    def rows():
        for line in lines:
            recipient = line.handover.recipient
            need = line.need_line.need if line.need_line is not None else None
            yield [
                _name(line.donor_organisation)
                if line.donor_organisation is not None and line.donor_organisation.is_public
                else "",
                _name(recipient),
                need.get_oblast_display() if need else recipient.region,
                str(line.item),
                line.item.code,
                line.item.category,
                format_quantity(line.quantity),
                format_quantity(line.received_quantity),
                line.discrepancy,
                line.estimated_value if line.estimated_value is not None else "",
                line.currency,
                line.handover.confirmed_at.date() if line.handover.confirmed_at else "",
                line.handover.status,
            ]

    return _before(DELIVERY_COLUMNS, rows(), hxl)


def _file_before(url):
    hxl = url.endswith("?hxl=1")
    text = _needs_before(hxl) if "/needs.csv" in url else _deliveries_before(hxl)
    return text.encode("utf-8")


# --- data beyond the demo: every rule the exports apply has a row that tests it ---------


def _deliver(by, convoy, *, discrepancy=False):
    convoy_services.convoy_transition(by=by, convoy=convoy, to="loading")
    convoy_services.convoy_transition(by=by, convoy=convoy, to="departed")
    handover = convoy.handovers.get()
    received = []
    for line in handover.lines.order_by("pk"):
        if discrepancy:
            received.append(ReceivedLine(line.pk, line.quantity - 1, "missing", "One lost"))
            discrepancy = False
        else:
            received.append(ReceivedLine(line.pk, line.quantity))
    handover_confirm(handover=handover, lines=received, signer_name="Andrii Kovalenko")
    return handover


@pytest.fixture
def varied(demo, items, recipient_org, recipient_logistics, donor_org, donor_organiser, pledge):
    """A need that names its settlement, a private one, one of a private organisation; a
    delivery with a shortfall, one from a donor gone private, one the donor holds back."""
    need_services.need_create(
        by=recipient_logistics,
        organisation=recipient_org,
        title={"en": "=Food for the rescue team", "uk": "Їжа"},
        oblast="dnipropetrovsk",
        hromada="Pavlohradska",
        settlement="Pavlohrad",
        publish_only_oblast=False,
        priority="critical",
        needed_by=datetime.date(2027, 3, 1),
        lines=[(items["canned-food"], D("2.500")), (items["generator"], D(1))],
    )
    need_services.need_create(
        by=recipient_logistics,
        organisation=recipient_org,
        title={"en": "Kept off the public pages"},
        oblast="donetsk",
        is_public=False,
        lines=[(items["radio"], D(7))],
    )
    # The pledge fixture's convoy: kits and generators, one kit short on arrival.
    convoy = convoy_services.convoy_create(by=donor_organiser, organisation=donor_org, title="A")
    for line in pledge.lines.order_by("pk"):
        lot = {"lot": "L-1", "expiry": "2027-01-31"} if line.item.tracks_lot_expiry else {}
        convoy_services.manifest_line_add(
            by=donor_organiser, convoy=convoy, pledge_line=line, quantity=line.quantity, **lot
        )
    _deliver(donor_organiser, convoy, discrepancy=True)
    # Unsolicited goods from another donor, which then leaves the public directory.
    other = (
        Organisation.objects.filter(is_public=True)
        .exclude(pk__in=[donor_org.pk, recipient_org.pk])
        .order_by("slug")
        .first()
    )
    convoy = convoy_services.convoy_create(by="test", organisation=donor_org, title="B")
    convoy_services.manifest_line_add(
        by="test",
        convoy=convoy,
        item=items["radio"],
        quantity=D(3),
        recipient=recipient_org,
        donor_organisation=other,
        estimated_value=D("99.90"),
        currency="EUR",
    )
    _deliver("test", convoy)
    Organisation.objects.filter(pk=other.pk).update(is_public=False)
    # A donor that asked to stay off the reports for a while.
    need = need_services.need_create(
        by=recipient_logistics,
        organisation=recipient_org,
        title={"en": "Later"},
        oblast="kharkiv",
        lines=[(items["first-aid-kit"], D(13))],
    )
    held = need_services.pledge_create(
        by=donor_organiser,
        need=need,
        donor_organisation=donor_org,
        lines=[{"need_line": need.lines.get(), "quantity": D(13)}],
    )
    need_services.pledge_set_publish_after(
        pledge=held, by=donor_organiser, publish_after=timezone.now() + datetime.timedelta(days=9)
    )
    convoy = convoy_services.convoy_create(by=donor_organiser, organisation=donor_org, title="C")
    convoy_services.manifest_line_add(
        by=donor_organiser,
        convoy=convoy,
        pledge_line=held.lines.get(),
        quantity=D(13),
        lot="L-2",
        expiry="2027-02-28",
    )
    _deliver(donor_organiser, convoy)


def _body(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_streamed_exports_are_the_files_written_before(anon, varied, url, language):
    url = url.format(language)
    response = anon.get(url)
    body = _body(response)
    with translation.override(language):
        assert body == _file_before(url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    name = ("spilka-needs" if "needs" in url else "spilka-deliveries") + (
        "-hxl" if "hxl" in url else ""
    )
    assert response["Content-Disposition"] == f'attachment; filename="{name}.csv"'
    assert body.startswith("\ufeff".encode())
    assert len(body.splitlines()) > 5


def _rows(client, url):
    text = _body(client.get(url)).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_exports_keep_what_the_public_may_not_see_out(anon, varied, recipient_org):
    needs = {(r["Need"], r["Item code"]): r for r in _rows(anon, "/en/aid/export/needs.csv")}
    assert "Kept off the public pages" not in {need for need, _item in needs}
    # Oblast only, unless the recipient opted in to more; a formula stays text.
    kits = needs[("Kits for the mine rescue team", "first-aid-kit")]
    assert kits["Location"] == "Dnipropetrovsk oblast"
    food = needs[("'=Food for the rescue team", "canned-food")]
    assert food["Location"] == "Pavlohrad, Pavlohradska, Dnipropetrovsk oblast"
    assert food["Quantity needed"] == "2.5"
    deliveries = _rows(anon, "/en/aid/export/deliveries.csv")
    mine = [row for row in deliveries if row["Recipient"] == _name(recipient_org)]
    # The donor gone private is unnamed; the held-back pledge is not there yet.
    assert [row["Donor"] for row in mine if row["Value"] == "99.90"] == [""]
    assert not [row for row in mine if row["Dispatched"] == "13"]
    assert [row["Discrepancy"] for row in mine if row["Received"] == "9"] == ["missing"]
    assert "Andrii" not in str(deliveries)


def test_an_export_is_read_after_the_view_returns_and_in_the_language_asked_for(anon, varied):
    response = anon.get("/uk/aid/export/needs.csv")
    with translation.override("en"):
        body = _body(response).decode()
    assert "Дніпропетровська область" in body
    assert "Dnipropetrovsk oblast" not in body


@pytest.mark.parametrize("url", URLS)
def test_an_export_takes_one_query_however_many_rows_and_chunks(
    anon,
    varied,
    items,
    recipient_org,
    recipient_logistics,
    donor_org,
    donor_organiser,
    monkeypatch,
    django_assert_num_queries,
    url,
):
    url = url.format("en")
    # Two rows a chunk: a prefetch or a lookup per chunk of rows would show here.
    monkeypatch.setattr(public, "EXPORT_CHUNK", 2)
    with django_assert_num_queries(0):
        response = anon.get(url)  # nothing is read until the body is
    with django_assert_num_queries(1):
        small = _body(response)
    for n in range(8):
        need = need_services.need_create(
            by=recipient_logistics,
            organisation=recipient_org,
            title={"en": f"More {n}"},
            oblast="sumy",
            lines=[(items["radio"], D(2)), (items["first-aid-kit"], D(3))],
        )
        made = need_services.pledge_create(
            by=donor_organiser,
            need=need,
            donor_organisation=donor_org,
            lines=[{"need_line": line, "quantity": D(1)} for line in need.lines.all()],
        )
        convoy = convoy_services.convoy_create(
            by=donor_organiser, organisation=donor_org, title=f"More {n}"
        )
        for line in made.lines.order_by("pk"):
            lot = {"lot": "L-9", "expiry": "2027-01-31"} if line.item.tracks_lot_expiry else {}
            convoy_services.manifest_line_add(
                by=donor_organiser, convoy=convoy, pledge_line=line, quantity=D(1), **lot
            )
        _deliver(donor_organiser, convoy)
    with django_assert_num_queries(1):
        large = _body(anon.get(url))
    assert len(large.splitlines()) >= len(small.splitlines()) + 16
