"""LongSelect writes the same <select> Django's Select would, without a template per option."""

from __future__ import annotations

import re

from django import forms

from spilka.lib.widgets import LongSelect
from tests.form_markup import form_markup_problems

ZONES = [("Europe/Kyiv", "Europe/Kyiv"), ("Europe/Warsaw", "Europe/Warsaw"), ("A&B", "<A&B>")]


class ZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Time zone", choices=ZONES, help_text="Where it happens.", widget=LongSelect
    )


def test_the_chosen_zone_is_selected_and_every_label_escaped():
    html = str(ZoneForm(initial={"time_zone": "Europe/Warsaw"})["time_zone"])
    assert '<option value="Europe/Warsaw" selected>Europe/Warsaw</option>' in html
    assert '<option value="Europe/Kyiv">' in html
    assert '<option value="A&amp;B">&lt;A&amp;B&gt;</option>' in html
    assert 'name="time_zone"' in html and 'id="id_time_zone"' in html


def test_it_writes_what_djangos_select_writes():
    class Plain(ZoneForm):
        time_zone = forms.ChoiceField(label="Time zone", choices=ZONES, help_text="Where.")

    def tidy(html: str) -> str:
        return re.sub(r">\s+<", "><", html).replace("\n", "")

    for initial in ("Europe/Kyiv", "A&B", None):
        long = ZoneForm(initial={"time_zone": initial})["time_zone"].as_widget()
        plain = Plain(initial={"time_zone": initial})["time_zone"].as_widget()
        assert tidy(str(long)) == tidy(str(plain))


def test_a_refused_choice_keeps_the_markup_sound():
    form = ZoneForm(data={"time_zone": "Mars/Olympus"})
    assert not form.is_valid()
    assert form_markup_problems(f"<form>{form.as_div()}</form>") == []
