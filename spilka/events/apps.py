from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "spilka.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from spilka.events import personal_data
        from spilka.events.models import Event, Series
        from spilka.lib.translation_registry import translatable_register

        personal_data.register()
        translatable_register(
            Event, fields=("title", "description"), organisation=lambda o: o.organiser
        )
        translatable_register(
            Series, fields=("title", "description"), organisation=lambda o: o.organiser
        )
