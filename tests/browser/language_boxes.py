"""Typing into a translated field's language box as a person does: a folded box (a
<details> other than the original language's) is unfolded by clicking its summary first.
Boxes are found by their data-* hooks, never by the language's name on screen."""

from __future__ import annotations


def language_box(page, field: str, language: str):
    return page.locator(f'[data-translated="{field}"] details[data-lang-box="{language}"]')


def fill_language_box(page, field: str, language: str, text: str) -> None:
    box = language_box(page, field, language)
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.locator(f'[name="{field}_{language}"]').fill(text)
