"""Quantities and values typed in the person's language on the aid pages (issue 14)."""

from decimal import Decimal as D

import pytest

from spilka.aid.models import PledgeLine
from spilka.aid.services import needs as need_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def food_need(items, recipient_org, recipient_logistics):
    return need_services.need_create(
        by=recipient_logistics,
        organisation=recipient_org,
        title={"en": "Food for the shelter"},
        oblast="dnipropetrovsk",
        lines=[(items["canned-food"], D(100))],  # kilograms: fractions allowed
    )


@pytest.mark.parametrize("language", ["uk", "pl", "ru"])
def test_a_pledge_typed_with_a_decimal_comma_is_recorded(
    login, donor_organiser, donor_org, food_need, language
):
    line = food_need.lines.get()
    response = login(donor_organiser).post(
        f"/{language}/aid/needs/{food_need.pk}/pledge/",
        {
            "donor_organisation": donor_org.pk,
            f"qty_{line.pk}": "42,50",
            f"value_{line.pk}": "1\u00a0250,50",
            "currency": "PLN",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pledged = PledgeLine.objects.get(need_line=line)
    assert pledged.quantity == D("42.5") and pledged.estimated_value == D("1250.50")


def test_an_ambiguous_quantity_is_refused_with_both_readings(
    login, donor_organiser, donor_org, food_need
):
    line = food_need.lines.get()
    response = login(donor_organiser).post(
        f"/pl/aid/needs/{food_need.pk}/pledge/",
        {"donor_organisation": donor_org.pk, f"qty_{line.pk}": "1.500"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "1,5" in page and "1\u00a0500" in page
    assert 'value="1.500"' in page  # shown back as typed, to be corrected
    assert not PledgeLine.objects.filter(need_line=line).exists()


def test_the_pledge_page_s_boxes_take_a_decimal_comma(login, donor_organiser, food_need):
    line = food_need.lines.get()
    page = login(donor_organiser).get(f"/uk/aid/needs/{food_need.pk}/pledge/").content.decode()
    assert f'name="qty_{line.pk}"' in page
    assert 'inputmode="decimal"' in page and 'type="number"' not in page
