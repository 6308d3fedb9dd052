from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "spilka.network"
    label = "network"
    verbose_name = _("Network directory")

    def ready(self) -> None:
        from spilka.network import personal_data

        personal_data.register()
