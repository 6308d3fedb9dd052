from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "spilka.funds"
    label = "funds"
    verbose_name = _("Money")
