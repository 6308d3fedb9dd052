from spilka.outreach.models.bounces import BounceKind, InboundMailEvent
from spilka.outreach.models.supporters import (
    ActionKind,
    Segment,
    Supporter,
    SupporterAction,
    SupporterConsent,
    SupporterList,
    SupporterStatus,
    Tag,
)
from spilka.outreach.models.work import (
    DataRequest,
    DataRequestKind,
    ImportStatus,
    Mailing,
    MailingRecipient,
    MailingStatus,
    PendingSignup,
    RecipientStatus,
    SupporterImport,
)

__all__ = [
    "ActionKind",
    "BounceKind",
    "DataRequest",
    "DataRequestKind",
    "ImportStatus",
    "InboundMailEvent",
    "Mailing",
    "MailingRecipient",
    "MailingStatus",
    "PendingSignup",
    "RecipientStatus",
    "Segment",
    "Supporter",
    "SupporterAction",
    "SupporterConsent",
    "SupporterImport",
    "SupporterList",
    "SupporterStatus",
    "Tag",
]
