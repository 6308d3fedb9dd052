from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "spilka.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from spilka.lib.supporters import supporter_action, supporter_consent_withdrawn
        from spilka.outreach import personal_data
        from spilka.outreach.services.supporters import on_consent_withdrawn, on_supporter_action

        supporter_action.connect(on_supporter_action, dispatch_uid="outreach.supporter_action")
        supporter_consent_withdrawn.connect(
            on_consent_withdrawn, dispatch_uid="outreach.supporter_consent_withdrawn"
        )
        personal_data.register()
