"""HAL+JSON: plain JSON with ``_links`` and ``_embedded``, under its own media type."""

from __future__ import annotations

from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer


class HalJSONRenderer(JSONRenderer):
    media_type = "application/hal+json"
    format = "hal"


class HalJSONParser(JSONParser):
    media_type = "application/hal+json"
