from django.conf import settings
from django.http import HttpRequest

from spilka.lib.languages import LANGUAGE_AUTONYMS


def spilka(request: HttpRequest) -> dict:
    return {
        "SPILKA_OUTBOX_ENABLED": settings.SPILKA_OUTBOX_ENABLED,
        "SPILKA_STAFF_2FA": settings.SPILKA_STAFF_2FA,
        "LANGUAGE_SWITCHER": [
            (code, LANGUAGE_AUTONYMS[code]) for code, _name in settings.LANGUAGES
        ],
    }
