"""Machine-translation pre-fill: off unless an endpoint is configured.

Called from the server, only when a translator asks, never from the browser (a reader's
browser must not talk to a third party). The default backend speaks the LibreTranslate
API (``POST /translate``). A pre-filled draft is marked as machine-translated and still
goes through human review.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class MachineTranslationError(Exception):
    pass


class MachineTranslator(Protocol):
    def translate(self, *, text: str, source: str, target: str) -> str: ...


class LibreTranslateBackend:
    def __init__(self, url: str, api_key: str = "", timeout: float = 10.0) -> None:
        self.url = url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.timeout = timeout

    def translate(self, *, text: str, source: str, target: str) -> str:
        if not text.strip():
            return ""
        payload = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        request = urllib.request.Request(  # noqa: S310 (the URL is the operator's setting)
            self.url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                data = json.loads(response.read(2_000_000))
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            raise MachineTranslationError(str(error)) from error
        translated = data.get("translatedText") if isinstance(data, dict) else None
        if not isinstance(translated, str):
            raise MachineTranslationError("unexpected answer")
        return translated


def machine_backend() -> MachineTranslator | None:
    """The configured backend, or None when machine translation is off."""
    dotted = getattr(settings, "SPILKA_MACHINE_TRANSLATION_BACKEND", "")
    if dotted:
        return import_string(dotted)()
    url = getattr(settings, "SPILKA_MACHINE_TRANSLATION_URL", "")
    if not url:
        return None
    return LibreTranslateBackend(
        url,
        api_key=getattr(settings, "SPILKA_MACHINE_TRANSLATION_API_KEY", ""),
        timeout=float(getattr(settings, "SPILKA_MACHINE_TRANSLATION_TIMEOUT", 10)),
    )
