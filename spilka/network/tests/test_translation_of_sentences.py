"""Sentences are translated whole, and languages are shown by name."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from spilka.network.models import Relationship
from spilka.network.models.organisations import RELATIONSHIP_SENTENCES

pytestmark = pytest.mark.django_db


def test_each_relationship_kind_has_one_sentence_with_both_names():
    for kind, sentence in RELATIONSHIP_SENTENCES.items():
        text = str(sentence)
        assert "%(source)s" in text and "%(target)s" in text, kind


def test_relationship_reads_as_one_sentence(demo):
    rel = Relationship.objects.get(source__slug="num-durham", target__slug="npgu-pavlohrad")
    assert str(rel) == (
        "National Union of Mineworkers, Durham Area is twinned with "
        "Independent Miners' Union of Ukraine, Pavlohrad"
    )


def test_picture_edges_carry_whole_sentences(anon, demo):
    body = anon.get(
        reverse("network:organisation_graph", kwargs={"slug": "num-durham"})
    ).content.decode()
    assert "<title>NUM Durham is twinned with NPGU Pavlohrad</title>" in body
    assert "<title>NUM Durham is part of NUM</title>" in body


def test_working_languages_are_shown_by_name(anon, demo):
    body = anon.get(reverse("network:organisation", kwargs={"slug": "pcs"})).content.decode()
    assert 'data-code="cy">Welsh</span>' in body
    assert 'data-code="en">English</span>' in body
    uk = anon.get("/uk/org/pcs/").content.decode()
    with translation.override("uk"):
        welsh = translation.gettext("Welsh")
    assert f'data-code="cy">{welsh}</span>' in uk


def test_filter_errors_are_one_translatable_sentence(anon):
    body = anon.get("/en/organisations/?kind=bogus").content.decode()
    assert (
        "<li>Kind: Select a valid choice. bogus is not one of the available choices.</li>" in body
    )
