"""Numbers as people type them in their language: one parser for every amount and quantity."""

from decimal import Decimal as D

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from spilka.lib.fields import LocalDecimalField, LocalIntegerField, number_error_message
from spilka.lib.numbers import NumberError, format_decimal_example, parse_decimal

NBSP, NNBSP = "\u00a0", "\u202f"

# (text, {language: expected}); a str expected is the refusal's reason.
TABLE: list[tuple[str, dict[str, D | str]]] = [
    ("42,50", {"en": D("42.50"), "uk": D("42.50"), "pl": D("42.50"), "ru": D("42.50")}),
    ("42.50", {"en": D("42.50"), "uk": D("42.50"), "pl": D("42.50"), "ru": D("42.50")}),
    ("2 500,00", {"en": D("2500"), "uk": D("2500"), "pl": D("2500"), "ru": D("2500")}),
    (f"2{NBSP}500,00", {"en": D("2500"), "uk": D("2500"), "pl": D("2500"), "ru": D("2500")}),
    (f"2{NNBSP}500,00", {"en": D("2500"), "uk": D("2500"), "pl": D("2500"), "ru": D("2500")}),
    ("1.234,56", {"en": D("1234.56"), "uk": D("1234.56"), "pl": D("1234.56"), "ru": D("1234.56")}),
    ("1,234.56", {"en": D("1234.56"), "uk": D("1234.56"), "pl": D("1234.56"), "ru": D("1234.56")}),
    ("1'234.5", {"en": D("1234.5"), "pl": D("1234.5")}),
    ("1,234,567", {"en": D("1234567"), "uk": D("1234567")}),
    ("1.234.567", {"en": D("1234567"), "pl": D("1234567")}),
    # A lone mark and three digits: each language's own reading, or refused as ambiguous.
    ("1,500", {"en": D("1500"), "uk": D("1.5"), "pl": D("1.5"), "ru": D("1.5")}),
    ("1.500", {"en": D("1.5"), "uk": "ambiguous", "pl": "ambiguous", "ru": "ambiguous"}),
    ("0.125", {"en": D("0.125"), "pl": D("0.125")}),  # "0" is no thousands group
    ("0,125", {"en": D("0.125"), "pl": D("0.125")}),
    ("1,5", {"en": D("1.5"), "uk": D("1.5")}),
    ("1 500", {"en": D("1500"), "pl": D("1500")}),
    ("-5,5", {"en": D("-5.5"), "uk": D("-5.5")}),
    ("\u22125,5", {"uk": D("-5.5")}),
    ("  12  ", {"en": D("12"), "ru": D("12")}),
    ("１２", {"en": D("12"), "uk": D("12")}),  # full-width digits
    ("１２，５", {"uk": D("12.5")}),
    ("-", {"en": "invalid", "uk": "invalid"}),
    ("", {"en": "invalid", "pl": "invalid"}),
    ("12,5,3", {"en": "invalid", "uk": "invalid", "pl": "invalid", "ru": "invalid"}),
    ("abc", {"en": "invalid", "uk": "invalid"}),
    ("12e3", {"en": "invalid", "pl": "invalid"}),
    ("NaN", {"en": "invalid", "pl": "invalid"}),
    ("Infinity", {"en": "invalid"}),
    ("£12", {"en": "invalid"}),
    ("12 zł", {"pl": "invalid"}),
    ("1 50", {"en": "invalid", "pl": "invalid"}),
    ("1,2.5", {"en": "invalid", "uk": "invalid"}),
    ("1.234,5.6", {"pl": "invalid"}),
    ("1 234,567,8", {"uk": "invalid"}),
    ("١٢", {"en": "invalid"}),  # Arabic-Indic digits are not NFKC-folded
]
CASES = [(text, language, expected) for text, row in TABLE for language, expected in row.items()]


@pytest.mark.parametrize(("text", "language", "expected"), CASES)
def test_a_number_reads_as_its_language_writes_it(text, language, expected):
    if isinstance(expected, str):
        with pytest.raises(NumberError) as caught:
            parse_decimal(text, language)
        assert caught.value.reason == expected
    else:
        assert parse_decimal(text, language) == expected


def test_the_ambiguous_refusal_names_both_readings_in_the_person_s_format():
    with pytest.raises(NumberError) as caught:
        parse_decimal("1.500", "pl")
    assert caught.value.readings == (D("1.500"), D("1500"))
    message = number_error_message(caught.value, "amount", "pl")
    assert "“1.500”" in message and "1,5 " in message and f"1{NBSP}500" in message
    assert "1,500" not in message


@pytest.mark.parametrize(
    ("language", "example"),
    [
        ("en", "1,250.50"),
        ("uk", f"1{NBSP}250,50"),
        ("pl", f"1{NBSP}250,50"),
        ("ru", f"1{NBSP}250,50"),
    ],
)
def test_the_refusal_gives_an_example_in_the_person_s_own_format(language, example):
    with translation.override(language):
        message = number_error_message(NumberError("abc", "invalid"), "amount")
    assert example in message


@pytest.mark.parametrize("language", ["en", "uk", "pl", "ru"])
def test_the_field_reads_and_shows_back_in_the_language(language):
    with translation.override(language):
        field = LocalDecimalField(kind="amount")
        assert field.clean("42,50" if language != "en" else "42.50") == D("42.50")
        shown = field.prepare_value(D("12.50"))
        assert shown == ("12.50" if language == "en" else "12,50")
        html = field.widget.render("amount", shown, field.widget_attrs(field.widget))
        assert 'type="text"' in html and 'inputmode="decimal"' in html
        assert 'type="number"' not in html


def test_what_a_person_typed_comes_back_as_typed():
    with translation.override("pl"):
        field = LocalDecimalField(kind="quantity", trim_zeros=True)
        assert field.prepare_value("1.500") == "1.500"
        assert field.prepare_value(D("40.000")) == "40"
        assert field.prepare_value(D("2.500")) == "2,5"


def test_an_ambiguous_amount_is_refused_with_a_field_error_in_the_language():
    from django.core.exceptions import ValidationError

    with translation.override("pl"), pytest.raises(ValidationError) as caught:
        LocalDecimalField(kind="amount").clean("1.500")
    assert "1,5" in caught.value.messages[0]


def test_whole_numbers_read_with_grouping_and_refuse_fractions():
    from django.core.exceptions import ValidationError

    with translation.override("uk"):
        field = LocalIntegerField(min_value=0)
        assert field.clean("10 000") == 10000
        assert field.clean(f"10{NBSP}000") == 10000
        with pytest.raises(ValidationError):
            field.clean("2,5")
        with pytest.raises(ValidationError):
            field.clean("-3")
    with translation.override("en"):
        assert LocalIntegerField().clean("1,500") == 1500


@pytest.mark.parametrize("language", ["en", "uk", "pl", "ru"])
@settings(max_examples=150, deadline=None)
@given(
    value=st.decimals(
        min_value=D("-1000000000"), max_value=D("1000000000"), places=3, allow_nan=False
    ),
    places=st.sampled_from([None, 0, 1, 2, 3]),
)
def test_a_number_printed_in_a_language_reads_back_the_same(language, value, places):
    if places is not None:
        value = value.quantize(D(1).scaleb(-places))
    shown = format_decimal_example(value, language, places=places)
    assert parse_decimal(shown, language) == value
