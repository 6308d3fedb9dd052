from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "spilka.exports"
    label = "exports"
    verbose_name = _("Exports")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app declares its exports in its own ``exports.py`` (the row generators live
        # there): importing them registers the kinds the task and the download look up.
        autodiscover_modules("exports")

        from spilka.exports import signals  # noqa: F401 (connects the receivers)
