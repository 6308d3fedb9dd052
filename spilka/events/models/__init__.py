from spilka.events.models.events import (
    Event,
    EventKind,
    EventStatus,
    Material,
    Question,
    QuestionKind,
    Recording,
    Series,
    Speaker,
    Topic,
)
from spilka.events.models.registrations import (
    EventMessage,
    Registration,
    RegistrationConsent,
    RegistrationStatus,
)

__all__ = [
    "Event",
    "EventKind",
    "EventMessage",
    "EventStatus",
    "Material",
    "Question",
    "QuestionKind",
    "Recording",
    "Registration",
    "RegistrationConsent",
    "RegistrationStatus",
    "Series",
    "Speaker",
    "Topic",
]
