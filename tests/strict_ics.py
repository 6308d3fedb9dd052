"""A strict checker for the iCalendar files Spilka publishes (RFC 5545): calendar apps
forgive a lot, each something different; this forgives nothing the standard says MUST. It
returns a list of problems (empty when the file is sound)."""

from __future__ import annotations

import re
from collections import Counter

from tests.strict_formats import ABSOLUTE_IRI

# --- iCalendar (RFC 5545) -------------------------------------------------------------------

_NAME = re.compile(r"^[A-Za-z0-9-]+$")
_UTC_DATE_TIME = re.compile(r"^\d{8}T\d{6}Z$")
_LOCAL_DATE_TIME = re.compile(r"^\d{8}T\d{6}$")
_DATE = re.compile(r"^\d{8}$")
_TEXT_PROPERTIES = {"SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "X-WR-CALNAME"}
_DATE_TIME_PROPERTIES = {
    "DTSTART",
    "DTEND",
    "DUE",
    "RECURRENCE-ID",
    "EXDATE",
    "RDATE",
    "DTSTAMP",
    "CREATED",
    "LAST-MODIFIED",
}
_UTC_ONLY = {"DTSTAMP", "CREATED", "LAST-MODIFIED", "COMPLETED"}


def _content_line(line: str) -> tuple[str, dict[str, str], str] | None:
    """``NAME;PARAM=VALUE;...:value`` split into its parts (parameter values may be quoted
    and hold ``:`` or ``;``); None when the line is not a content line."""
    position, quoted = 0, False
    cut = []
    for position, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in ";:":
            cut.append((position, char))
            if char == ":":
                break
    if not cut or cut[-1][1] != ":":
        return None
    name = line[: cut[0][0]]
    params: dict[str, str] = {}
    for (start, _), (end, _) in zip(cut, cut[1:], strict=False):
        key, _, value = line[start + 1 : end].partition("=")
        params[key.upper()] = value.strip('"')
    return name.upper(), params, line[cut[-1][0] + 1 :]


def _unescaped_separator(value: str) -> bool:
    """TEXT values escape ``;`` and ``,`` with a backslash (RFC 5545 §3.3.11)."""
    escaped = False
    for char in value:
        if escaped:
            if char not in "\\;,nN":
                return True  # a backslash before anything else is no escape at all
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ";,":
            return True
    return escaped


def ics_problems(data: bytes) -> list[str]:
    """What in an iCalendar stream breaks RFC 5545 (and RFC 5546's PUBLISH rules)."""
    import icalendar

    problems: list[str] = []
    if data.count(b"\n") != data.count(b"\r\n") or data.count(b"\r") != data.count(b"\r\n"):
        problems.append("a line does not end with CRLF")
    if not data.endswith(b"\r\n"):
        problems.append("the last line does not end with CRLF")
    physical = re.split(rb"\r?\n", data)
    if physical and physical[-1] == b"":
        physical.pop()
    for number, raw in enumerate(physical, start=1):
        if len(raw) > 75:
            problems.append(f"line {number} is {len(raw)} octets, over 75")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number} splits a UTF-8 character where it is folded")

    # Unfold and walk the components ourselves, to see values as written.
    try:
        text = re.sub(rb"\r?\n[ \t]", b"", data).decode("utf-8")
    except UnicodeDecodeError:
        return [*problems, "the calendar is not UTF-8"]
    stack: list[dict] = []
    calendars: list[dict] = []
    for line in re.split(r"\r?\n", text):
        if not line:
            continue
        parsed = _content_line(line)
        if parsed is None or not _NAME.match(parsed[0]):
            problems.append(f"{line[:40]!r} is not a content line")
            continue
        name, params, value = parsed
        if name == "BEGIN":
            component = {"name": value.upper(), "props": [], "children": []}
            if stack:
                stack[-1]["children"].append(component)
            else:
                calendars.append(component)
            stack.append(component)
        elif name == "END":
            if not stack or stack[-1]["name"] != value.upper():
                problems.append(f"END:{value} closes nothing open")
                continue
            stack.pop()
        elif not stack:
            problems.append(f"{name} stands outside any component")
        else:
            stack[-1]["props"].append((name, params, value))
    if stack:
        problems.append(f"{stack[-1]['name']} is never closed")
    if len(calendars) != 1 or calendars[0]["name"] != "VCALENDAR":
        problems.append("the stream is not exactly one VCALENDAR")
        return problems
    calendar = calendars[0]

    def values(component, prop):
        return [v for n, _, v in component["props"] if n == prop]

    def once(component, prop, where):
        found = values(component, prop)
        if len(found) != 1:
            problems.append(f"{where} has {len(found)} {prop}, not exactly one")

    once(calendar, "PRODID", "VCALENDAR")
    once(calendar, "VERSION", "VCALENDAR")
    if values(calendar, "VERSION") not in ([], ["2.0"]):
        problems.append(f"VERSION is {values(calendar, 'VERSION')}, not 2.0")
    if values(calendar, "CALSCALE") not in ([], ["GREGORIAN"]):
        problems.append("CALSCALE is not GREGORIAN")
    method = (values(calendar, "METHOD") or [""])[0]
    if not calendar["children"]:
        problems.append("the VCALENDAR holds no component")

    zones = {}
    for zone in (c for c in calendar["children"] if c["name"] == "VTIMEZONE"):
        once(zone, "TZID", "VTIMEZONE")
        tzid = (values(zone, "TZID") or [""])[0]
        if tzid in zones:
            problems.append(f"two VTIMEZONEs have TZID {tzid}")
        zones[tzid] = zone
        rules = [c for c in zone["children"] if c["name"] in {"STANDARD", "DAYLIGHT"}]
        if not rules:
            problems.append(f"VTIMEZONE {tzid} has neither STANDARD nor DAYLIGHT")
        for rule in rules:
            for prop in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO"):
                once(rule, prop, f"VTIMEZONE {tzid} {rule['name']}")

    uids = Counter()
    for number, event in enumerate(
        (c for c in calendar["children"] if c["name"] == "VEVENT"), start=1
    ):
        where = f"VEVENT {number}"
        for prop in ("UID", "DTSTAMP", "DTSTART"):
            once(event, prop, where)
        if method == "PUBLISH":  # RFC 5546 §3.2.1: a published event names these too
            for prop in ("SUMMARY", "ORGANIZER"):
                once(event, prop, where)
        if values(event, "DTEND") and values(event, "DURATION"):
            problems.append(f"{where} has both DTEND and DURATION")
        for prop in ("DTEND", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "STATUS", "CLASS"):
            if len(values(event, prop)) > 1:
                problems.append(f"{where} has more than one {prop}")
        status = values(event, "STATUS")
        if status and status[0] not in {"TENTATIVE", "CONFIRMED", "CANCELLED"}:
            problems.append(f"{where} STATUS {status[0]!r} is not one for an event")
        if not values(event, "RECURRENCE-ID"):
            uids[(values(event, "UID") or [""])[0]] += 1
        for name, params, value in event["props"]:
            if name in _DATE_TIME_PROPERTIES:
                kind = params.get("VALUE", "DATE-TIME")
                for item in value.split(","):
                    if kind == "DATE":
                        if not _DATE.match(item):
                            problems.append(f"{where} {name} {item!r} is not a DATE")
                    elif _UTC_DATE_TIME.match(item):
                        if "TZID" in params:
                            problems.append(f"{where} {name} is UTC and has a TZID too")
                    elif _LOCAL_DATE_TIME.match(item):
                        if name in _UTC_ONLY:
                            problems.append(f"{where} {name} {item!r} is not in UTC")
                        elif "TZID" not in params:
                            problems.append(f"{where} {name} {item!r} is floating (no zone)")
                        elif params["TZID"] not in zones:
                            problems.append(
                                f"{where} {name} TZID {params['TZID']} has no VTIMEZONE"
                            )
                    else:
                        problems.append(f"{where} {name} {item!r} is not a DATE-TIME")
            if name in _TEXT_PROPERTIES and _unescaped_separator(value):
                problems.append(f"{where} {name} has an unescaped ; or , or \\")
            if name == "URL" and not ABSOLUTE_IRI.match(value):
                problems.append(f"{where} URL {value!r} is not absolute")
            if name == "ORGANIZER" and not re.match(r"^(mailto|https?):\S+$", value, re.I):
                problems.append(f"{where} ORGANIZER {value!r} is not a cal-address")
    problems += [f"two VEVENTs share the UID {u!r}" for u, count in uids.items() if count > 1]

    # And icalendar, as calendar apps built on it read it, must find nothing to repair.
    try:
        parsed = icalendar.Calendar.from_ical(data)
    except ValueError as error:
        problems.append(f"icalendar cannot read it: {error}")
    else:
        for component in parsed.walk():
            for error in getattr(component, "errors", []):
                problems.append(f"icalendar: {component.name} {error}")
        for event in parsed.walk("VEVENT"):
            if "DTEND" not in event or "DTSTART" not in event:
                continue
            try:
                backwards = event.decoded("DTEND") <= event.decoded("DTSTART")
            except TypeError:  # one floating, one zoned: reported above
                continue
            if backwards:
                problems.append(f"VEVENT {event.get('UID')} ends no later than it starts")
    return problems
