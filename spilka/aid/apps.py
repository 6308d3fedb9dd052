from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "spilka.aid"
    label = "aid"
    verbose_name = _("Material aid")

    def ready(self) -> None:
        from spilka.aid.models import Need
        from spilka.aid.personal_data import aid_erase, aid_export
        from spilka.lib.personal_data import personal_data_register
        from spilka.lib.translation_registry import translatable_register

        personal_data_register("aid.crew", export=aid_export, erase=aid_erase)
        translatable_register(
            Need, fields=("title", "description"), organisation=lambda need: need.organisation
        )
