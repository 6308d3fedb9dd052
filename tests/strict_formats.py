"""Strict checkers for what Spilka hands to other programs: Atom and RSS feeds and CSV and
XLSX exports (iCalendar files: ``tests/strict_ics.py``).

Feed readers, calendar apps and spreadsheets forgive a lot, and each forgives something
different; these checkers forgive nothing the standards say MUST. Each returns a list of
problems (empty when the document is sound), so a test can assert ``== []`` and show every
fault at once.
"""

from __future__ import annotations

import csv
import datetime
import email.utils
import io
import re
from collections import Counter

from defusedxml import ElementTree

# --- dates ----------------------------------------------------------------------------------

# RFC 3339 §5.6 date-time, with RFC 4287 §3.3's upper-case "T" and "Z".
RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$"
)


def rfc3339_problem(text: str | None) -> str | None:
    """Why ``text`` is not an RFC 3339 date-time, or None."""
    match = RFC3339.match(text or "")
    if not match:
        return f"{text!r} is not an RFC 3339 date-time"
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    try:
        datetime.datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError:
        return f"{text!r} is not a real date and time"
    if second > 60 or (match.group(9) and (int(match.group(9)) > 23 or int(match.group(10)) > 59)):
        return f"{text!r} has a second or offset out of range"
    return None


# RFC 3987 (IRI): a scheme, a colon, and no white space or angle brackets.
ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")

# --- Atom (RFC 4287) ------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML_DIV = "{http://www.w3.org/1999/xhtml}div"
_TEXT_TYPES = {"text", "html", "xhtml"}
_MEDIA_TYPE = re.compile(r"^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+$")
_REGISTERED_RELS = {"alternate", "related", "self", "enclosure", "via"}


def _atom_text_construct(node, where: str) -> list[str]:
    """RFC 4287 §3.1: type is text, html or xhtml; text and html hold no child elements;
    xhtml holds exactly one xhtml:div."""
    kind = node.get("type", "text")
    name = node.tag.replace(ATOM, "atom:")
    if kind not in _TEXT_TYPES:
        return [f"{where} {name} has type {kind!r}, not text, html or xhtml"]
    children = list(node)
    if kind in {"text", "html"} and children:
        return [f"{where} {name} of type {kind} holds child elements"]
    if kind == "xhtml" and (len(children) != 1 or children[0].tag != XHTML_DIV):
        return [f"{where} {name} of type xhtml does not hold exactly one xhtml:div"]
    return []


def _atom_person(person, where: str) -> list[str]:
    """§3.2: exactly one name; at most one uri (an IRI) and one email."""
    problems = []
    names = person.findall(f"{ATOM}name")
    if len(names) != 1 or not (names[0].text or "").strip():
        problems.append(f"{where} has a person without exactly one non-empty name")
    for tag in ("uri", "email"):
        if len(person.findall(f"{ATOM}{tag}")) > 1:
            problems.append(f"{where} has a person with more than one {tag}")
    uri = person.findtext(f"{ATOM}uri")
    if uri is not None and not ABSOLUTE_IRI.match(uri.strip()):
        problems.append(f"{where} has a person uri {uri!r} that is not an IRI")
    return problems


def _atom_common(element, where: str) -> list[str]:
    problems: list[str] = []
    for name in ("id", "title", "updated"):
        found = element.findall(f"{ATOM}{name}")
        if len(found) != 1:
            problems.append(f"{where} has {len(found)} atom:{name}, not exactly one")
    for name in ("rights", "subtitle", "summary", "published", "content", "icon", "logo"):
        if len(element.findall(f"{ATOM}{name}")) > 1:
            problems.append(f"{where} has more than one atom:{name}")
    for node in element.findall(f"{ATOM}id"):
        if not ABSOLUTE_IRI.match((node.text or "").strip()) or node.text != node.text.strip():
            problems.append(f"{where} id {node.text!r} is not an absolute IRI")
    for name in ("updated", "published"):
        for node in element.findall(f"{ATOM}{name}"):
            problem = rfc3339_problem(node.text)
            if problem:
                problems.append(f"{where} {name} {problem}")
    for name in ("title", "subtitle", "summary", "rights"):
        for node in element.findall(f"{ATOM}{name}"):
            problems += _atom_text_construct(node, where)
    for name in ("title",):
        for node in element.findall(f"{ATOM}{name}"):
            if not "".join(node.itertext()).strip():
                problems.append(f"{where} has an empty title")
    for name in ("author", "contributor"):
        for person in element.findall(f"{ATOM}{name}"):
            problems += _atom_person(person, where)
    alternates = Counter()
    for link in element.findall(f"{ATOM}link"):
        href = link.get("href")
        if not href:
            problems.append(f"{where} has a link without href")
        rel = link.get("rel", "alternate")
        if rel not in _REGISTERED_RELS and not ABSOLUTE_IRI.match(rel):
            problems.append(f"{where} has a link rel {rel!r} neither registered nor an IRI")
        if link.get("type") and not _MEDIA_TYPE.match(link.get("type")):
            problems.append(f"{where} has a link type {link.get('type')!r} that is no media type")
        if rel == "alternate":
            alternates[(link.get("type"), link.get("hreflang"))] += 1
    if any(count > 1 for count in alternates.values()):
        problems.append(f"{where} has two rel=alternate links of the same type and hreflang")
    return problems


def _atom_content(entry, where: str) -> list[str]:
    """§4.1.3 content, and §4.1.1.2/§4.1.2's rules on what an entry without it needs."""
    problems: list[str] = []
    contents = entry.findall(f"{ATOM}content")
    has_alternate = any(
        link.get("rel", "alternate") == "alternate" for link in entry.findall(f"{ATOM}link")
    )
    if not contents and not has_alternate:
        problems.append(f"{where} has neither atom:content nor a rel=alternate link")
    for content in contents:
        kind = content.get("type", "text")
        if kind not in _TEXT_TYPES and not _MEDIA_TYPE.match(kind):
            problems.append(f"{where} content type {kind!r} is neither text/html/xhtml nor MIME")
        if content.get("src") is not None:
            if "".join(content.itertext()).strip() or list(content):
                problems.append(f"{where} content has src and is not empty")
            if entry.find(f"{ATOM}summary") is None:
                problems.append(f"{where} content has src but the entry has no summary")
        elif kind in _TEXT_TYPES:
            problems += _atom_text_construct(content, where)
        elif (
            not kind.endswith(("+xml", "/xml"))
            and not kind.startswith("text/")
            and entry.find(f"{ATOM}summary") is None
        ):
            problems.append(f"{where} has base64 content but no summary")
    return problems


def atom_problems(content: bytes) -> list[str]:
    """What in an Atom document breaks RFC 4287's MUSTs (and its SHOULD of a rel=self)."""
    problems: list[str] = []
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return ["the feed is not UTF-8"]
    root = ElementTree.fromstring(content)
    if root.tag != f"{ATOM}feed":
        return [f"the root is {root.tag}, not atom:feed"]
    problems += _atom_common(root, "the feed")
    if len(root.findall(f"{ATOM}generator")) > 1:
        problems.append("the feed has more than one atom:generator")
    if not any(link.get("rel") == "self" for link in root.findall(f"{ATOM}link")):
        problems.append("the feed has no rel=self link")
    feed_has_author = bool(root.findall(f"{ATOM}author"))
    entries = root.findall(f"{ATOM}entry")
    for number, entry in enumerate(entries, start=1):
        where = f"entry {number}"
        problems += _atom_common(entry, where)
        problems += _atom_content(entry, where)
        if not feed_has_author and not entry.findall(f"{ATOM}author"):
            source = entry.find(f"{ATOM}source")
            if source is None or not source.findall(f"{ATOM}author"):
                problems.append(f"{where} has no author and neither has the feed")
    ids = Counter(entry.findtext(f"{ATOM}id") for entry in entries)
    problems += [f"two entries share the id {i!r}" for i, count in ids.items() if count > 1]
    return problems


# --- RSS 2.0 --------------------------------------------------------------------------------


def rss_problems(content: bytes) -> list[str]:
    """RSS 2.0's requirements: a channel with title, link and description; items with a title
    or description; RFC 822 dates; guids unique; links absolute."""
    problems: list[str] = []
    root = ElementTree.fromstring(content)
    if root.tag != "rss" or root.get("version") != "2.0":
        return [f"the root is {root.tag} {root.get('version')}, not rss 2.0"]
    channels = root.findall("channel")
    if len(channels) != 1:
        return [f"{len(channels)} channels, not one"]
    channel = channels[0]
    for name in ("title", "link", "description"):
        if len(channel.findall(name)) != 1:
            problems.append(f"the channel has {len(channel.findall(name))} {name}, not one")
    guids = Counter()
    for number, item in enumerate(channel.findall("item"), start=1):
        where = f"item {number}"
        if not item.findtext("title") and not item.findtext("description"):
            problems.append(f"{where} has neither title nor description")
        link = item.findtext("link")
        if link is not None and not re.match(r"^https?://\S+$", link):
            problems.append(f"{where} link {link!r} is not absolute")
        for date in item.findall("pubDate"):
            try:
                parsed = email.utils.parsedate_to_datetime(date.text or "")
            except (TypeError, ValueError):
                parsed = None
            if parsed is None or not re.search(r"\d{4} \d\d:\d\d", date.text or ""):
                problems.append(f"{where} pubDate {date.text!r} is not an RFC 822 date")
        guid = item.findtext("guid")
        if guid is not None:
            guids[guid] += 1
    problems += [f"two items share the guid {g!r}" for g, count in guids.items() if count > 1]
    return problems


# --- CSV --------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_EXPONENT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$")


def csv_rows(data: bytes) -> list[list[str]]:
    """The rows, read as a spreadsheet given UTF-8 would (the BOM stripped)."""
    text = data.decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


def csv_problems(data: bytes) -> list[str]:
    """A CSV export: UTF-8 with a BOM; a header and rows of one width; no cell a
    spreadsheet would run as a formula; numbers written plainly (no exponent)."""
    problems: list[str] = []
    if not data.startswith(b"\xef\xbb\xbf"):
        problems.append("no UTF-8 byte-order mark")
    try:
        rows = csv_rows(data)
    except (UnicodeDecodeError, csv.Error) as error:
        return [*problems, f"not readable as UTF-8 CSV: {error}"]
    if not rows:
        return [*problems, "no header row"]
    width = len(rows[0])
    for number, row in enumerate(rows, start=1):
        where = "the header" if number == 1 else f"row {number}"
        if len(row) != width:
            problems.append(f"{where} has {len(row)} cells, the header {width}")
        for cell in row:
            if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(cell):
                problems.append(f"{where} cell {cell!r} would run as a formula")
            if _EXPONENT.match(cell):
                problems.append(f"{where} cell {cell!r} is a number in exponent notation")
    return problems


# --- XLSX (Office Open XML workbooks) ---------------------------------------------------------


def xlsx_rows(data: bytes) -> list[list[object]]:
    """The first sheet's values, as a spreadsheet reads them (empty cells as None)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def xlsx_problems(data: bytes) -> list[str]:
    """A workbook export: a zip openpyxl opens; one sheet; a header of non-empty text and
    rows no wider than it; no formula cell and no text cell a spreadsheet would take for
    one (a leading ``= + - @``, tab or CR must carry the quote CSV cells carry)."""
    import zipfile

    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        return ["not a zip archive, so not an .xlsx workbook"]
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        return [f"not readable as a workbook: {error}"]
    problems: list[str] = []
    if len(workbook.worksheets) != 1:
        problems.append(f"{len(workbook.worksheets)} sheets, not one")
    rows = list(workbook.worksheets[0].iter_rows())
    if not rows:
        return [*problems, "no header row"]
    header = [cell for cell in rows[0] if cell.value is not None]
    if not header or any(not isinstance(cell.value, str) for cell in header):
        problems.append("the header is not a row of text")
    width = len(header)
    for number, row in enumerate(rows, start=1):
        where = "the header" if number == 1 else f"row {number}"
        values = [cell for cell in row if cell.value is not None]
        if values and max(cell.column for cell in values) > width:
            problems.append(f"{where} is wider than the header")
        for cell in values:
            if cell.data_type == "f":
                problems.append(f"{where} cell {cell.coordinate} is a formula: {cell.value!r}")
            elif isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                problems.append(f"{where} cell {cell.value!r} would read as a formula")
    return problems
