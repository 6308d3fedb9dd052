"""The languages Spilka speaks, for interface and content."""

from django.utils.translation import gettext_lazy as _

CONTENT_LANGUAGES: tuple[str, ...] = ("en", "uk", "pl", "ru")

LANGUAGE_NAMES = {
    "en": _("English"),
    "uk": _("Ukrainian"),
    "pl": _("Polish"),
    "ru": _("Russian"),
}

# Names of languages in themselves, for the language switcher.
LANGUAGE_AUTONYMS = {"en": "English", "uk": "Українська", "pl": "Polski", "ru": "Русский"}

# Organisations list the languages they work in; a wider set than the interface's.
WORKING_LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("uk", _("Ukrainian")),
    ("pl", _("Polish")),
    ("ru", _("Russian")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("cy", _("Welsh")),
    ("fi", _("Finnish")),
    ("lt", _("Lithuanian")),
    ("cs", _("Czech")),
    ("ro", _("Romanian")),
    ("da", _("Danish")),
    ("sv", _("Swedish")),
    ("pt", _("Portuguese")),
    ("be", _("Belarusian")),
    ("fa", _("Persian")),
]
WORKING_LANGUAGE_CODES = {code for code, _label in WORKING_LANGUAGE_CHOICES}
