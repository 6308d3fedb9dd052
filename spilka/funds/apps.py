from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "spilka.funds"
    label = "funds"
    verbose_name = _("Money")

    def ready(self) -> None:
        from spilka.funds import personal_data

        personal_data.register()
