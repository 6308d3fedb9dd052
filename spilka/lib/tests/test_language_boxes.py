"""The four language boxes of a translated field: the original first and open, the
others folded in <details>, a box holding an error opened, and a way to the workflow."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from spilka.lib.translated import TranslatedFormField


class TitleForm(forms.Form):
    original_language = forms.ChoiceField(
        choices=[("en", "en"), ("uk", "uk"), ("pl", "pl"), ("ru", "ru")], initial="en"
    )
    title = TranslatedFormField(max_length=10)


def _boxes(html: str) -> list[tuple[str, bool]]:
    """(language, open) for each <details> box, in page order."""
    return [
        (code, " open" in attrs)
        for attrs, code in (
            (match.group(0), match.group(1))
            for match in re.finditer(r'<details [^>]*data-lang-box="(\w+)"[^>]*>', html)
        )
    ]


def test_the_original_language_comes_first_and_open_and_the_others_are_folded():
    form = TitleForm(initial={"original_language": "pl"})
    assert _boxes(str(form["title"])) == [
        ("pl", True),
        ("en", False),
        ("uk", False),
        ("ru", False),
    ]


def test_the_original_as_typed_in_a_submitted_form_decides_the_order():
    form = TitleForm(data={"original_language": "uk", "title_uk": "Гірники"})
    assert form.is_valid()
    assert _boxes(str(form["title"]))[0] == ("uk", True)


def test_a_folded_box_holding_an_error_is_open_after_submitting():
    form = TitleForm(
        data={"original_language": "en", "title_en": "Miners", "title_ru": "Очень длинное название"}
    )
    assert not form.is_valid()
    html = str(form["title"])
    assert _boxes(html) == [("en", True), ("uk", False), ("pl", False), ("ru", True)]
    assert re.search(r'<details [^>]*data-lang-box="ru"[^>]*data-has-error', html)


def test_inputs_keep_their_names_and_labels_whatever_the_order():
    html = str(TitleForm(initial={"original_language": "ru"})["title"])
    for code in ("en", "uk", "pl", "ru"):
        assert f'name="title_{code}" lang="{code}"' in html
    # Each input has a label naming its language.
    assert html.count('class="visually-hidden"') == 4


def test_without_an_original_language_field_the_readers_language_is_open():
    class NoteForm(forms.Form):
        note = TranslatedFormField(required=False)

    with translation.override("uk"):
        assert _boxes(str(NoteForm()["note"]))[0] == ("uk", True)


@pytest.mark.django_db
def test_the_boxes_point_to_the_translation_workflow():
    html = str(TitleForm()["title"])
    assert f'href="{reverse("publishing:queue")}" data-translation-workflow' in html


@pytest.mark.django_db
def test_an_organiser_form_shows_the_boxes_folded_but_the_original(login, usc_admin):
    page = login(usc_admin).get("/en/outreach/ukraine-solidarity-campaign/mailings/new/")
    boxes = _boxes(page.content.decode())
    assert boxes[:4] == [("en", True), ("uk", False), ("pl", False), ("ru", False)]
