"""The public progress page: exact counts, filters, texts, charts, languages, query counts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spilka.campaigns.charts import country_chart, timeline_chart
from spilka.campaigns.models import Adoption, Resolution
from spilka.campaigns.selectors import CountryProgress, TimelineEntry, resolution_progress
from spilka.campaigns.services import resolutions as services
from spilka.network import services as network_services

pytestmark = pytest.mark.django_db

SLUG = "full-support-for-ukraine"
URL = f"/en/resolutions/{SLUG}/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def resolution(demo):
    return Resolution.objects.select_related("campaign").get(slug=SLUG)


def _headline(response) -> tuple[int, int, str]:
    match = re.search(
        r'id="headline" data-bodies="(\d+)" data-countries="(\d+)">([^<]*)<',
        response.content.decode(),
    )
    assert match is not None
    return int(match.group(1)), int(match.group(2)), match.group(3).strip()


def _adopt(by, resolution, body, *, verify=True, status="adopted", day=datetime.date(2023, 3, 1)):
    adoption = services.adoption_report(
        by=by, resolution=resolution, body=body, status=status, meeting_date=day
    )
    return services.adoption_verify(by=by, adoption=adoption) if verify else adoption


# --- Counts ---------------------------------------------------------------------------


def test_demo_headline_counts_verified_adoptions_only(anon, resolution):
    response = anon.get(URL)
    assert response.status_code == 200
    # NUM Durham, UCU (amended), Sheffield TUC, San Francisco Labor Council; UNISON Health
    # reported adopting it but is not verified; PCS and NEU are under way.
    assert _headline(response) == (4, 2, "Adopted by 4 bodies in 2 countries")
    page = response.content.decode()
    assert 'data-unverified="1"' in page
    assert "1 more body reported adopting it; not yet verified." in page
    assert "Under way in 2 more bodies." in page


def test_an_unverified_report_does_not_count_until_verified(anon, usc_admin, resolution, demo):
    adoption = _adopt(usc_admin, resolution, demo["aslef"], verify=False)
    assert _headline(anon.get(URL))[:2] == (4, 2)
    row = re.search(
        rf'<tr id="adoption-{adoption.pk}".*?</tr>', anon.get(URL).content.decode(), re.S
    )
    assert "reported, not yet verified" in row.group(0)
    services.adoption_verify(by=usc_admin, adoption=adoption)
    assert _headline(anon.get(URL))[:2] == (5, 2)


def test_a_verified_adoption_in_a_new_country_adds_a_country(anon, usc_admin, resolution, demo):
    _adopt(usc_admin, resolution, demo["razem"])
    assert _headline(anon.get(URL)) == (5, 3, "Adopted by 5 bodies in 3 countries")


def test_rejected_tabled_and_withdrawn_do_not_count_even_when_verified(anon, resolution):
    progress = resolution_progress(resolution)
    assert progress.bodies == 4
    assert progress.rejected == 1
    assert progress.in_progress == 2
    assert {row.code: row.adopted for row in progress.by_country} == {"GB": 3, "US": 1}


def test_a_body_that_turns_private_is_no_longer_shown_or_counted(anon, usc_admin, resolution):
    sheffield = Adoption.objects.get(resolution=resolution, body__slug__startswith="sheffield").body
    network_services.organisation_update(organisation=sheffield, by=usc_admin, is_public=False)
    response = anon.get(URL)
    assert _headline(response)[:2] == (3, 2)
    assert "Sheffield" not in response.content.decode()


def test_headline_plurals_for_one_body_in_one_country(anon, usc_admin, resolution, demo):
    single = services.resolution_create(
        by=usc_admin,
        campaign=resolution.campaign,
        slug="one-text",
        title={"en": "One"},
        text={"en": "One."},
    )
    response = anon.get(single.get_absolute_url())
    assert _headline(response) == (0, 0, "Not yet adopted by any body.")
    assert "No verified adoptions yet." in response.content.decode()
    _adopt(usc_admin, single, demo["aslef"])
    assert _headline(anon.get(single.get_absolute_url())) == (
        1,
        1,
        "Adopted by 1 body in 1 country",
    )


# --- Filters and the list -------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "bodies"),
    [
        ("country=US", ["san-francisco-labor-council"]),
        ("country=us", ["san-francisco-labor-council"]),
        ("status=tabled", ["pcs"]),
        ("status=adopted_amended", ["ucu"]),
        ("country=GB&status=debated", ["neu"]),
        ("country=PL", []),
    ],
)
def test_filters_narrow_the_list_but_not_the_headline(anon, resolution, query, bodies):
    response = anon.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert [a.body.slug for a in response.context["page"]] == bodies
    assert _headline(response)[:2] == (4, 2)


def test_the_list_shows_status_meeting_date_version_and_amended_text(anon, resolution):
    page = anon.get(URL).content.decode()
    ucu = re.search(r'<tr id="adoption-\d+"[^>]*data-body="ucu">.*?</tr>', page, re.S).group(0)
    assert "Adopted with amendments" in ucu
    assert '<time datetime="2022-05-30">' in ucu
    assert "version 1" in ucu
    assert "Also amended text" in ucu
    assert "cancellation of Ukraine" in ucu


def test_evidence_of_unverified_reports_is_not_public(anon, usc_admin, resolution, demo):
    _adopt(usc_admin, resolution, demo["aslef"], verify=False)
    services.adoption_report(
        by=usc_admin,
        resolution=resolution,
        body=demo["aslef"],
        status="adopted",
        meeting_date=datetime.date(2023, 3, 1),
        evidence_url="https://aslef.example/minutes-draft",
    )
    assert "aslef.example" not in anon.get(URL).content.decode()
    assert "num-durham.example/minutes" in anon.get(URL).content.decode()


def test_the_current_text_and_earlier_versions_are_shown(anon, resolution):
    page = anon.get(URL).content.decode()
    current = re.search(r'id="current-text">(.*?)</div>', page, re.S).group(1)
    assert "Zaporizhzhia" in current
    assert 'id="version-1"' in page
    assert "Version 2, Sept. 15, 2022" in page


def test_the_text_is_shown_in_the_readers_language(anon, resolution):
    page = anon.get(f"/uk/resolutions/{SLUG}/").content.decode()
    assert '<div lang="uk" id="current-text">' in page
    assert "Запорізьку" in page
    assert '<html lang="uk"' in page
    # Russian has no translation: the original is shown, and the page says so.
    page = anon.get(f"/ru/resolutions/{SLUG}/").content.decode()
    assert '<div lang="en" id="current-text">' in page
    assert 'class="tr-missing"' in page


@pytest.mark.parametrize("language", ["en", "uk", "pl", "ru"])
def test_the_page_has_the_same_numbers_in_every_language(anon, resolution, language):
    response = anon.get(f"/{language}/resolutions/{SLUG}/")
    assert response.status_code == 200
    assert _headline(response)[:2] == (4, 2)


# --- Charts ---------------------------------------------------------------------------

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
COORDINATES = re.compile(r'\b(x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]*)"')


@pytest.mark.parametrize("language", ["en", "uk", "pl"])
def test_chart_numbers_are_never_localised(anon, resolution, settings, language):
    settings.USE_THOUSAND_SEPARATOR = True
    for name in ("timeline.svg", "countries.svg", ""):
        response = anon.get(f"/{language}/resolutions/{SLUG}/{name}")
        content = response.content.decode()
        svg = content[content.index("<svg") :]
        for attribute, value in COORDINATES.findall(svg):
            assert NUMBER.match(value), (attribute, value)
        path = re.search(r'd="([^"]+)"', svg)
        if path:
            assert "," not in path.group(1)


def test_standalone_charts_are_svg_images(anon, resolution):
    for name in ("timeline.svg", "countries.svg"):
        response = anon.get(f"{URL}{name}")
        assert response["Content-Type"].startswith("image/svg+xml")
        assert response.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
        assert b"<script" not in response.content


def test_country_chart_has_a_bar_per_country_with_its_count(anon, resolution):
    content = anon.get(f"{URL}countries.svg").content.decode()
    assert re.findall(r'data-country="(\w+)" data-adopted="(\d+)"', content) == [
        ("GB", "3"),
        ("US", "1"),
    ]


def test_timeline_is_cumulative_and_in_date_order():
    entries = [
        TimelineEntry(datetime.date(2022, 7, 1), "B"),
        TimelineEntry(datetime.date(2022, 4, 1), "A"),
        TimelineEntry(datetime.date(2023, 2, 1), "C"),
    ]
    chart = timeline_chart(entries, today=datetime.date(2023, 6, 1))
    assert [(p.body, p.total) for p in chart.points] == [("A", 1), ("B", 2), ("C", 3)]
    xs = [p.x for p in chart.points]
    ys = [p.y for p in chart.points]
    assert xs == sorted(xs) and ys == sorted(ys, reverse=True)
    assert chart.left <= min(xs) and max(xs) <= chart.right
    assert chart.path.startswith("M") and chart.path.count("V") == 3
    assert [t.value for t in chart.y_ticks] == [0, 1, 2, 3]


def test_timeline_of_one_adoption_and_of_none():
    assert timeline_chart([], today=datetime.date(2023, 1, 1)).points == []
    one = timeline_chart(
        [TimelineEntry(datetime.date(2023, 1, 1), "A")], today=datetime.date(2023, 1, 1)
    )
    assert len(one.points) == 1
    assert one.left < one.points[0].x < one.right
    assert not one.by_year and one.x_ticks


def test_timeline_over_years_ticks_by_year_and_scales_the_axis():
    entries = [
        TimelineEntry(datetime.date(2020 + i % 5, 1 + i % 12, 1), str(i)) for i in range(120)
    ]
    chart = timeline_chart(entries, today=datetime.date(2025, 1, 1))
    assert chart.by_year
    assert len(chart.y_ticks) <= 6
    assert chart.y_ticks[-1].value >= 120


def test_country_chart_bars_fit_the_frame():
    rows = [
        CountryProgress("GB", "United Kingdom", 30, 2, 5),
        CountryProgress("US", "USA", 1, 0, 0),
    ]
    chart = country_chart(rows)
    assert len(chart.rows) == 2
    widest = chart.rows[0]
    assert [bar.colour for bar in widest.bars] == ["#1b7a3a", "#9fd3ae", "#c9d3e3"]
    assert widest.bars[-1].x + widest.bars[-1].width <= chart.width
    assert chart.rows[1].bars[0].width < widest.bars[0].width


# --- Query counts ---------------------------------------------------------------------


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_public_page_stays_within_its_query_bound(anon, resolution, django_assert_max_num_queries):
    # Resolution, progress, versions, list count and page: five.
    with django_assert_max_num_queries(6):
        assert anon.get(URL).status_code == 200


def test_query_count_does_not_grow_with_more_adoptions(anon, login, usc_admin, resolution):
    paths = [URL, f"{URL}timeline.svg", f"{URL}countries.svg"]
    before = [_count(anon, path) for path in paths]
    organiser_before = _count(login(usc_admin), URL)
    for i in range(30):
        body = network_services.organisation_create(
            by="test",
            slug=f"extra-branch-{i:02d}",
            name={"en": f"Extra branch {i}"},
            kind="union_branch",
            country=["DE", "FR", "GB", "US"][i % 4],
        )
        _adopt(
            usc_admin, resolution, body, verify=i % 2 == 0, day=datetime.date(2023, 1 + i % 12, 1)
        )
    assert [_count(anon, path) for path in paths] == before
    assert _count(login(usc_admin), URL) == organiser_before
