"""What a screen reader needs from a page's forms, checked on the HTML a test received.

``form_markup_problems(html)`` lists, in words, every way the page breaks the promises
spilka/templates/forms/field.html makes: ids are unique; every ``aria-describedby`` and
``label for`` names an element on the page; every field a person fills in has a label;
a field marked ``aria-invalid`` is described by its error list (itself, or the fieldset
around it); a ``<select>`` has no
``maxlength``. Python's own HTML parser reads the page (no third-party parser needed).
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

FILLABLE = {"input", "select", "textarea"}
NOT_FILLED_IN = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    line: int
    inside_label: bool
    group_describedby: str  # the aria-describedby of the fieldsets around it


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[_Element] = []
        self.open_labels = 0
        self.fieldsets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        group = " ".join(self.fieldsets)
        self.elements.append(_Element(tag, values, self.getpos()[0], self.open_labels > 0, group))
        if tag == "label":
            self.open_labels += 1
        if tag == "fieldset":
            self.fieldsets.append(values.get("aria-describedby", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.open_labels:
            self.open_labels -= 1
        if tag == "fieldset" and self.fieldsets:
            self.fieldsets.pop()


def _describe(element: _Element) -> str:
    name = element.attrs.get("name") or element.attrs.get("id") or ""
    return f"<{element.tag} {name}> (line {element.line})"


def form_markup_problems(html: str) -> list[str]:
    page = _Page()
    page.feed(html)
    page.close()
    problems: list[str] = []
    by_id: dict[str, _Element] = {}
    for element in page.elements:
        element_id = element.attrs.get("id")
        if element_id is None:
            continue
        if element_id in by_id:
            problems.append(f"id {element_id!r} is used twice ({_describe(element)})")
        by_id[element_id] = element
    labelled = {
        element.attrs["for"]
        for element in page.elements
        if element.tag == "label" and element.attrs.get("for")
    }
    for element in page.elements:
        for ref in element.attrs.get("aria-describedby", "").split():
            if ref not in by_id:
                problems.append(f"{_describe(element)} is described by a missing #{ref}")
        target = element.attrs.get("for")
        if element.tag == "label" and target and target not in by_id:
            problems.append(f"a label (line {element.line}) is for a missing #{target}")
        if element.tag == "select" and "maxlength" in element.attrs:
            problems.append(f"{_describe(element)} has a maxlength (a select has none)")
        if element.tag not in FILLABLE:
            continue
        if element.attrs.get("type", "text") in NOT_FILLED_IN and element.tag == "input":
            continue
        has_label = (
            element.inside_label
            or element.attrs.get("id") in labelled
            or element.attrs.get("aria-label")
            or element.attrs.get("aria-labelledby")
        )
        if not has_label:
            problems.append(f"{_describe(element)} has no label")
        if element.attrs.get("aria-invalid") == "true":
            # A group of inputs (a fieldset: choices, one box per language) is described
            # as a whole, as Django's field template does it.
            refs = element.attrs.get("aria-describedby", "") + " " + element.group_describedby
            described = [by_id.get(ref) for ref in refs.split()]
            if not any(
                ref is not None and "errorlist" in ref.attrs.get("class", "").split()
                for ref in described
            ):
                problems.append(f"{_describe(element)} is invalid but not described by its error")
    return problems


def described_by(html: str, element_id: str) -> list[tuple[str, str]]:
    """The (id, class) of each element the one with ``element_id`` is described by."""
    page = _Page()
    page.feed(html)
    page.close()
    by_id = {element.attrs["id"]: element for element in page.elements if "id" in element.attrs}
    refs = by_id[element_id].attrs.get("aria-describedby", "").split()
    return [(ref, by_id[ref].attrs.get("class", "")) if ref in by_id else (ref, "") for ref in refs]
