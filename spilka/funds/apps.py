from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "spilka.funds"
    label = "funds"
    verbose_name = _("Money")

    def ready(self) -> None:
        from spilka.funds import personal_data
        from spilka.funds.models import Fund, Product
        from spilka.lib.translation_registry import translatable_register

        personal_data.register()
        # Fund names and descriptions appear on public pages: volunteers may translate them.
        translatable_register(
            Fund,
            fields=("name", "description"),
            organisation=lambda fund: fund.organisation,
            source_language=lambda fund: fund.organisation.original_language,
        )
        translatable_register(
            Product,
            fields=("name",),
            organisation=lambda product: product.fund.organisation,
            source_language=lambda product: product.fund.organisation.original_language,
        )
