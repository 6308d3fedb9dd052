from spilka.publishing.models.glossary import GlossaryTerm
from spilka.publishing.models.publications import (
    BODY_MAX_LENGTH,
    Publication,
    PublicationImage,
    PublicationKind,
    PublicationStatus,
    Tag,
)
from spilka.publishing.models.resources import ResourceKind, ResourceLink
from spilka.publishing.models.translation import (
    HASHED_STATES,
    HELD_STATES,
    TaskState,
    TranslationTask,
    TranslatorProfile,
)

__all__ = [
    "BODY_MAX_LENGTH",
    "HASHED_STATES",
    "HELD_STATES",
    "GlossaryTerm",
    "Publication",
    "PublicationImage",
    "PublicationKind",
    "PublicationStatus",
    "ResourceKind",
    "ResourceLink",
    "Tag",
    "TaskState",
    "TranslationTask",
    "TranslatorProfile",
]
