from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibConfig(AppConfig):
    name = "spilka.lib"
    label = "lib"
    verbose_name = _("Shared")

    def ready(self) -> None:
        # Before any URL conf is imported: the apps' urls.py use <uslug:…>.
        from spilka.lib.outage import quiet_request_log
        from spilka.lib.slugs import register_slug_converter

        register_slug_converter()
        quiet_request_log()  # one line per request refused in a database outage, no trace
