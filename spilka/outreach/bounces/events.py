"""What every provider's report becomes, and the two ways a request can be refused."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from spilka.network.normalise import normalise_email


class Unauthenticated(Exception):
    """The request does not prove it comes from the provider: always the same 401."""


class TryLater(Exception):
    """The report cannot be checked now (a store it needs is unreachable): answer 503, and
    the provider sends it again later."""


class Malformed(Exception):
    """An authenticated request whose body is not what the provider documents (400)."""


@dataclass(frozen=True)
class MailEvent:
    event_id: str
    kind: str  # a BounceKind value
    email: str  # normalised
    reason: str = ""
    occurred_at: datetime.datetime | None = None


_ADDRESS = re.compile(r"\S+@\S+")
MAX_EVENT_ID = 200


def clean_reason(value: object) -> str:
    """A provider's reason, short, one line, with every address in it blanked out."""
    if not isinstance(value, str):
        return ""
    text = " ".join(_ADDRESS.sub("<address>", value).split())
    return text[:200]


def clean_email(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Malformed(_("%(where)s: an email address is required.") % {"where": where})
    try:
        return normalise_email(value[:254])
    except ValidationError:
        raise Malformed(_("%(where)s: not an email address.") % {"where": where}) from None


def clean_event_id(value: object, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise Malformed(
            _("%(where)s: the event id must be a string or a number.") % {"where": where}
        )
    text = str(value).strip()
    if not text or len(text) > MAX_EVENT_ID:
        raise Malformed(
            _("%(where)s: the event id must have 1 to %(most)d characters.")
            % {"where": where, "most": MAX_EVENT_ID}
        )
    return text


def clean_time(value: object, where: str) -> datetime.datetime | None:
    """An ISO 8601 time (or Unix seconds); none given is fine, a wrong one is not."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
        if isinstance(value, str):
            parsed = parse_datetime(value.strip())
            if parsed is not None:
                if parsed.tzinfo is None:
                    parsed = parsed.replace(tzinfo=datetime.UTC)
                # In UTC here: a time at the calendar's edge is refused, not overflowed later.
                return parsed.astimezone(datetime.UTC)
    except (ValueError, OverflowError, OSError):
        pass
    raise Malformed(
        _("%(where)s: not a time (use ISO 8601, e.g. 2026-01-31T12:00:00Z).") % {"where": where}
    )


def load_json(body: bytes) -> object:
    """The body as JSON, or Malformed whatever is wrong with it (encoding, syntax, depth)."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Malformed(_("The body is not valid JSON in UTF-8.")) from None
