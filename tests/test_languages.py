"""Four languages: every interface string translated, URLs prefixed, the browser's choice honoured."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "spilka" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}|%[sd]")


def _entries(path: Path) -> list[dict[str, object]]:
    """A small .po reader: enough to check completeness and placeholders."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current:
                entries.append(current)
            current, key = {}, None
            continue
        if line.startswith("#,"):
            current["flags"] = line
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if match:
            key = match.group(1)
            current[key] = match.group(2)
        elif line.startswith('"') and key:
            current[key] = str(current[key]) + line[1:-1]
    return entries


@pytest.mark.parametrize("language", ["uk", "pl", "ru"])
def test_every_interface_string_is_translated(language):
    entries = [
        e for e in _entries(LOCALE / language / "LC_MESSAGES" / "django.po") if e.get("msgid")
    ]
    assert len(entries) > 200
    untranslated = [
        e["msgid"] for e in entries if any(v == "" for k, v in e.items() if k.startswith("msgstr"))
    ]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in str(e.get("flags", ""))]
    assert untranslated == []
    assert fuzzy == []
    for entry in entries:
        expected = set(PLACEHOLDER.findall(str(entry["msgid"])))
        for key, value in entry.items():
            if key.startswith("msgstr"):
                assert set(PLACEHOLDER.findall(str(value))) == expected, (entry["msgid"], value)


def test_directory_counts_organisations_with_correct_plurals(client, demo):
    body = client.get("/uk/organisations/?country=GB").content.decode()
    count = re.search(r'id="result-count">([^<]+)<', body).group(1)
    # 13 public organisations in Great Britain: "13 організацій" (the "many" form).
    assert count.strip() == "13 організацій", count
    body = client.get("/uk/organisations/?country=UA").content.decode()
    count = re.search(r'id="result-count">([^<]+)<', body).group(1)
    assert count.strip() == "4 організації", count
    body = client.get("/uk/organisations/?country=PL&kind=party").content.decode()
    count = re.search(r'id="result-count">([^<]+)<', body).group(1)
    assert count.strip() == "1 організація", count


def test_browser_language_is_honoured_on_first_visit(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="pl-PL,pl;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/pl/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE")["Location"] == "/en/"


def test_every_page_is_served_in_each_language(client, demo):
    for code in ("en", "uk", "pl", "ru"):
        response = client.get(f"/{code}/org/ukraine-solidarity-campaign/")
        assert response.status_code == 200
        assert f'<html lang="{code}"' in response.content.decode()


def test_missing_translation_is_shown_with_a_note(client, demo):
    # The Durham area's description exists only in English.
    body = client.get("/pl/org/num-durham/").content.decode()
    assert "Twinned since 1990" in body
    assert 'class="tr-missing"' in body
