from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "spilka.publishing"
    label = "publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from spilka.lib.translation_registry import translatable_register
        from spilka.publishing import personal_data
        from spilka.publishing.models import Publication

        translatable_register(
            Publication,
            fields=("title", "summary", "body"),
            organisation=lambda publication: publication.organisation,
        )
        personal_data.register()
        # Any app's translatable content marks its translations stale when saved.
        from spilka.publishing.signals import translatable_source_saved

        post_save.connect(translatable_source_saved, dispatch_uid="publishing.source_saved")
