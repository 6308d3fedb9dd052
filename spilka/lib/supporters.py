"""How apps tell outreach that a person did something with an organisation.

A confirmed signature, an event registration, a donation, a sign-up: the app that records it
calls ``supporter_action_announce(...)`` inside its own transaction. Outreach (the supporter
lists) listens and keeps each organisation's supporters and their history; the producing app
needs to know nothing about outreach. Announce only what the person gave to *this*
organisation: outreach never mixes one organisation's supporters with another's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.dispatch import Signal

supporter_action = Signal()  # sent with ``action=SupporterAction``


@dataclass(frozen=True)
class SupporterAction:
    organisation_id: int
    email: str  # as given; outreach normalises it
    name: str
    language: str  # preferred language code ("en", "uk", "pl", "ru")
    country: str  # ISO 3166 alpha-2 or ""
    # "petition_signed", "statement_signed", "event_registered", "event_attended",
    # "donated", "signed_up", "imported"
    kind: str
    object_key: str  # what the action was about, e.g. "campaigns.petition:12"
    object_label: str  # a label for people reading the history; never personal data
    occurred_at: dt.datetime
    consented_to_updates: bool  # did this action carry consent to hear from the organisation?
    consent_wording: str = ""  # the exact wording agreed to, when consented
    # Did the address owner confirm this consent themselves, from a link mailed to the
    # address (petition confirmation, sign-up confirmation, event registration confirmed by
    # mail)? Only then does the consent take effect; otherwise outreach mails the address a
    # sign-up confirmation and subscribes no one until its owner presses the button.
    confirmed_by_owner: bool = False


def supporter_action_announce(action: SupporterAction) -> None:
    """Tell listeners, in the caller's transaction (a rollback takes the record with it)."""
    supporter_action.send(sender=SupporterAction, action=action)


# Sent with ``withdrawal=ConsentWithdrawal`` when a person takes back the thing that gave
# consent (a petition signature withdrawn): outreach ends the consent that came from it.
supporter_consent_withdrawn = Signal()


@dataclass(frozen=True)
class ConsentWithdrawal:
    organisation_id: int
    email: str  # as given when the consent was announced; outreach normalises it
    kind: str  # the announced action's kind, e.g. "petition_signed"
    object_key: str  # the announced action's object_key, e.g. "campaigns.petition:12"
    occurred_at: dt.datetime


def supporter_consent_withdraw_announce(withdrawal: ConsentWithdrawal) -> None:
    """Tell listeners, in the caller's transaction, that a consent's source was withdrawn.

    Only the consent that came from that action ends. A consent the person gave separately
    (a newsletter sign-up they confirmed themselves) stays in force: withdrawing a signature
    is not an unsubscribe from everything, and the withdrawal page says exactly that.
    """
    supporter_consent_withdrawn.send(sender=ConsentWithdrawal, withdrawal=withdrawal)
