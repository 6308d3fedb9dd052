"""Translated text maps: picking a language, validating, the form field and the template tag."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from spilka.lib.translated import TranslatedFormField, clean_translations, pick
from spilka.network.models import Organisation

# --- pick() ------------------------------------------------------------------------------


def test_pick_returns_the_requested_language_when_present():
    text = pick({"en": "Miners", "uk": "Гірники"}, original="en", language="uk")
    assert str(text) == "Гірники"
    assert text.language == "uk"
    assert text.requested == "uk"
    assert text.is_fallback is False


def test_pick_defaults_to_the_active_language():
    with translation.override("uk"):
        text = pick({"en": "Miners", "uk": "Гірники"}, original="en")
    assert text.text == "Гірники"
    assert not text.is_fallback


def test_pick_falls_back_to_the_original_language_and_says_so():
    text = pick({"pl": "Górnicy", "uk": "Гірники"}, original="uk", language="en")
    assert text.text == "Гірники"
    assert text.language == "uk"
    assert text.requested == "en"
    assert text.is_fallback is True
    assert text.language_name == "Ukrainian"


def test_pick_falls_back_to_any_language_when_the_original_has_no_text():
    text = pick({"ru": "Шахтёры"}, original="en", language="pl")
    assert text.text == "Шахтёры"
    assert text.language == "ru"
    assert text.is_fallback is True


def test_pick_uses_a_language_outside_the_content_languages_as_a_last_resort():
    text = pick({"de": "Bergleute"}, original="en", language="en")
    assert text.text == "Bergleute"
    assert text.language == "de"


@pytest.mark.parametrize("values", [{}, None, {"en": "", "uk": ""}])
def test_pick_of_an_empty_map_gives_empty_text(values):
    text = pick(values, original="en", language="en")
    assert str(text) == ""
    assert not text
    assert text.is_fallback is False


# --- clean_translations() ----------------------------------------------------------------


def test_clean_translations_strips_text_and_drops_empty_entries():
    assert clean_translations({"en": "  Miners ", "uk": "", "pl": None}) == {"en": "Miners"}


def test_clean_translations_rejects_an_unknown_language_code():
    with pytest.raises(ValidationError) as excinfo:
        clean_translations({"en": "Miners", "xx": "???"})
    assert excinfo.value.code == "language"
    assert "xx" in excinfo.value.messages[0]


def test_clean_translations_rejects_text_that_is_not_a_string():
    with pytest.raises(ValidationError) as excinfo:
        clean_translations({"en": 42})
    assert excinfo.value.code == "invalid"


def test_clean_translations_rejects_something_that_is_not_a_map():
    with pytest.raises(ValidationError):
        clean_translations(["en", "Miners"])


def test_clean_translations_rejects_over_long_text_and_names_the_limit():
    with pytest.raises(ValidationError) as excinfo:
        clean_translations({"uk": "ж" * 11}, max_length=10)
    assert excinfo.value.code == "max_length"
    message = excinfo.value.messages[0]
    assert "the limit is 10" in message
    assert "11" in message
    assert "Ukrainian" in message


def test_clean_translations_accepts_text_exactly_at_the_limit():
    assert clean_translations({"en": "x" * 10}, max_length=10) == {"en": "x" * 10}


def test_clean_translations_requires_the_original_language_when_asked():
    with pytest.raises(ValidationError) as excinfo:
        clean_translations({"en": "Miners"}, required_language="uk")
    assert excinfo.value.code == "required"


# --- TranslatedFormField -----------------------------------------------------------------


# One input per content language, named by language code: name_en, name_uk, name_pl, name_ru.
class NameForm(forms.Form):
    name = TranslatedFormField(max_length=20)


class OptionalNoteForm(forms.Form):
    note = TranslatedFormField(required=False)


def test_translated_form_field_cleans_one_input_per_language_into_a_map():
    form = NameForm(
        data={"name_en": " Miners ", "name_uk": "Гірники", "name_pl": "", "name_ru": "Шахтёры"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == {"en": "Miners", "uk": "Гірники", "ru": "Шахтёры"}


def test_translated_form_field_requires_text_in_at_least_one_language():
    form = NameForm(data={"name_en": "", "name_uk": " ", "name_pl": "", "name_ru": ""})
    assert not form.is_valid()
    assert form.errors["name"] == ["Give this text in at least one language."]


def test_translated_form_field_reports_over_long_text():
    form = NameForm(data={"name_en": "x" * 21, "name_uk": "", "name_pl": "", "name_ru": ""})
    assert not form.is_valid()
    assert "the limit is 20" in form.errors["name"][0]


def test_optional_translated_form_field_may_be_left_empty():
    form = OptionalNoteForm(data={})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["note"] == {}


def test_translated_widget_renders_an_input_per_language_with_lang():
    # The inputs are named by language (name_en ... name_ru), not by position.
    html = str(NameForm()["name"])
    for index, code in enumerate(("en", "uk", "pl", "ru")):
        assert f'name="name_{code}" lang="{code}" id="id_name_{index}"' in html


# --- the trtext template tag -------------------------------------------------------------


def _render_trtext(org: Organisation, element: str = "") -> str:
    extra = f' "{element}"' if element else ""
    template = Template('{% load spilka %}{% trtext org "name"' + extra + " %}")
    return template.render(Context({"org": org}))


def test_trtext_escapes_html_in_the_text():
    org = Organisation(name={"en": '<script>alert("x")</script> & Co'}, original_language="en")
    html = _render_trtext(org)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; Co" in html
    assert html.startswith('<span lang="en">')


def test_trtext_notes_a_missing_translation_with_lang_attributes():
    org = Organisation(name={"uk": "Гірники <Павлоград>"}, original_language="uk")
    html = _render_trtext(org, "h1")
    assert '<h1 lang="uk">Гірники &lt;Павлоград&gt;</h1>' in html
    assert '<small class="tr-missing">' in html
    assert "Not yet translated; shown in Ukrainian." in html


def test_trtext_adds_no_note_when_the_translation_exists():
    org = Organisation(name={"en": "Miners", "uk": "Гірники"}, original_language="uk")
    html = _render_trtext(org)
    assert html == '<span lang="en">Miners</span>'
    assert "tr-missing" not in html


def test_trtext_refuses_arbitrary_elements():
    org = Organisation(name={"en": "Miners"}, original_language="en")
    html = _render_trtext(org, "script")
    assert html == '<span lang="en">Miners</span>'


def test_trtext_renders_nothing_for_empty_text():
    org = Organisation(name={}, original_language="en")
    assert _render_trtext(org) == ""


def _render_trlabel(org: Organisation) -> str:
    return Template('{% load spilka %}{% trlabel org "name" %}').render(Context({"org": org}))


def test_trlabel_marks_a_fallback_with_a_language_badge_and_keeps_the_sentence_for_all():
    org = Organisation(name={"uk": "Гірники <Павлоград>"}, original_language="uk")
    html = _render_trlabel(org)
    assert html.startswith('<span lang="uk">Гірники &lt;Павлоград&gt;</span> ')
    assert 'class="tr-mark"' in html and 'data-tr-mark="uk"' in html
    assert '<span aria-hidden="true">UK</span>' in html
    # The sentence is the badge's title and hidden text, never a visible note.
    assert 'title="Not yet translated; shown in Ukrainian."' in html
    assert '<span class="visually-hidden">Not yet translated; shown in Ukrainian.</span>' in html
    assert "tr-missing" not in html


def test_trlabel_is_plain_when_the_translation_exists_or_empty_when_there_is_no_text():
    org = Organisation(name={"en": "Miners", "uk": "Гірники"}, original_language="uk")
    assert _render_trlabel(org) == '<span lang="en">Miners</span>'
    assert _render_trlabel(Organisation(name={}, original_language="uk")) == ""


@pytest.mark.django_db
def test_a_list_shows_the_badge_and_the_heading_keeps_the_full_note(client, demo):
    # With an English name only, the Durham area's name is a fallback in Polish.
    Organisation.objects.filter(slug="num-durham").update(
        name={"en": "National Union of Mineworkers, Durham Area"}
    )
    listing = client.get("/pl/organisations/", {"q": "Durham"}).content.decode()
    assert 'Durham Area</span> <small class="tr-mark"' in listing
    assert 'data-tr-mark="en"' in listing
    assert "tr-missing" not in listing
    page = client.get("/pl/org/num-durham/").content.decode()
    assert 'class="tr-missing"' in page
