"""The chart primitives the apps' SVG charts share (spilka.lib.charts)."""

from __future__ import annotations

import pytest
from django.utils import translation

from spilka.lib.charts import bar_slots, coord, nice_number, nice_step


@pytest.mark.parametrize(
    ("top", "nice"),
    [
        (0, 1),
        (-5, 1),
        (0.3, 1),
        (1, 1),
        (1.5, 2),
        (3, 5),
        (7, 10),
        (42.5, 50),
        (101, 200),
        (500, 500),
    ],
)
def test_an_axis_top_is_one_two_or_five_times_a_power_of_ten(top, nice):
    assert nice_number(top) == nice


@pytest.mark.parametrize(("top", "step"), [(0, 1), (3, 1), (9, 5), (40, 10), (41, 20), (1234, 500)])
def test_about_four_steps_reach_the_top(top, step):
    assert nice_step(top) == step
    assert step * 4 >= top


def test_bars_share_the_length_and_never_vanish_in_a_long_series():
    assert bar_slots(4, 400) == (100.0, 70.0)
    slot, width = bar_slots(1000, 600)
    assert slot == 0.6 and width == 2.0


def test_a_coordinate_has_one_decimal_and_no_locale_comma():
    with translation.override("uk"):
        assert coord(12.345) == 12.3
        assert str(coord(2 / 3)) == "0.7"
