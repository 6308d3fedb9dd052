from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "spilka.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from spilka.campaigns import personal_data, pickers, translatable

        personal_data.register()
        translatable.register()
        del pickers  # imported for its picker scopes

        from django.core import checks

        from spilka.campaigns import intake_checks
        from spilka.lib.worker import on_start, on_tick

        checks.register(intake_checks.check_intake_persists, checks.Tags.caches, deploy=True)
        # The intake's timer: every worker heartbeat queues a drain if entries wait.
        on_tick(intake_checks.intake_tick)
        on_start(intake_checks.intake_start_up)
