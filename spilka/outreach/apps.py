from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "spilka.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from spilka.lib.supporters import supporter_action
        from spilka.outreach import personal_data
        from spilka.outreach.services.supporters import on_supporter_action

        supporter_action.connect(on_supporter_action, dispatch_uid="outreach.supporter_action")
        personal_data.register()
