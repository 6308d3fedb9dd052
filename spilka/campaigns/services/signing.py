"""The one writer of petition signatures.

``signatures_write`` stores a batch of validated sign forms (``Signer``) in one
transaction: the signatures, the consent boxes ticked (with the wording the visitor saw),
one audit row each (``audit_record_many``) and the task that mails them, so a committed
signature always has its confirmation mail queued with it: a web process killed right
after the commit strands nothing. Signing in the request is a batch of one
(``petition_sign``); the intake drain (``signature_intake``) writes the batches it reads.

A signer already in the database, or twice in the batch, takes the repeat path: nothing
new is stored, and the address owner (never the page) is told, at most once per ten
minutes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from spilka.campaigns.models import Petition, Signature, SignatureConsent, SignatureStatus
from spilka.campaigns.services.signature_mail import queue_signature_mail, signature_mail_batch
from spilka.lib.audit import audit_record_many
from spilka.network.models import Organisation
from spilka.network.normalise import normalise_email

RESIGN_SECONDS = 600  # one "you signed already" or fresh link per signature per ten minutes


@dataclass(frozen=True)
class Signer:
    """A validated sign form: plain values only, so it can travel as JSON (the intake)."""

    petition_id: int
    full_name: str
    email: str
    country: str
    postcode: str = ""
    organisation_name: str = ""
    show_name: bool = False
    consents: tuple[tuple[int, str], ...] = field(default=())  # (organisation id, wording)
    language: str = "en"
    base_url: str = ""
    intake_key: str = ""  # the intake stream entry it came from (see Signature.intake_key)

    def __post_init__(self) -> None:
        # Normalised once, here, so the batch, the constraint and the repeat path agree.
        object.__setattr__(self, "full_name", self.full_name.strip())
        object.__setattr__(self, "email", normalise_email(self.email))
        object.__setattr__(self, "country", str(self.country))
        object.__setattr__(self, "postcode", self.postcode.strip())
        object.__setattr__(self, "organisation_name", self.organisation_name.strip())
        object.__setattr__(self, "consents", tuple((int(o), str(w)) for o, w in self.consents))

    def to_dict(self) -> dict[str, Any]:
        # Its values are plain already (``consents`` a tuple of pairs): no deep copy needed.
        return {name: getattr(self, name) for name in _SIGNER_FIELDS}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Signer:
        known = {name: values[name] for name in cls.__dataclass_fields__ if name in values}
        return cls(**known)


_SIGNER_FIELDS = tuple(f.name for f in fields(Signer))


@dataclass(frozen=True)
class SignResult:
    """What happened, for tests and logs. The visitor always sees the same page."""

    signature_id: int
    created: bool


def petition_sign(
    signer: Signer, *, petition: Petition | None = None, actor: Any = "signer"
) -> SignResult:
    """Sign in the request: a batch of one. ``petition`` saves a query when the caller has it;
    ``actor`` is whom the audit row names (an API key's actor when an organisation records
    the signature through the API: it still waits for the signer's confirmation)."""
    known = {petition.pk: petition} if petition is not None else None
    return signatures_write([signer], petitions=known, actor=actor)[0]


def signatures_write(
    signers: Sequence[Signer],
    *,
    petitions: dict[int, Petition] | None = None,
    actor: Any = "signer",
) -> list[SignResult]:
    """Store a batch of signers; one result per signer whose petition still exists."""
    if not signers:
        return []
    if petitions is None or not {s.petition_id for s in signers} <= set(petitions):
        petitions = Petition.objects.select_related("campaign").in_bulk(
            {s.petition_id for s in signers}
        )
    # Entries the drain wrote before Redis lost its acknowledgement: done already, mail and all.
    keys = [s.intake_key for s in signers if s.intake_key]
    written = (
        dict(Signature.objects.filter(intake_key__in=keys).values_list("intake_key", "pk"))
        if keys
        else {}
    )
    done = [SignResult(written[s.intake_key], False) for s in signers if s.intake_key in written]
    signers = [s for s in signers if s.intake_key not in written]
    fresh: list[Signer] = []
    repeats: list[Signer] = []
    seen: set[tuple[int, str]] = set()
    for signer in signers:
        key = (signer.petition_id, signer.email)
        if signer.petition_id not in petitions:
            continue  # the petition was deleted meanwhile: nothing to sign
        (repeats if key in seen else fresh).append(signer)
        seen.add(key)
    try:
        with transaction.atomic():
            results = _insert(fresh, petitions, actor)
    except IntegrityError:
        if len(fresh) == 1:
            results = [_signed_again(fresh[0], petitions[fresh[0].petition_id])]
        else:
            # One of them signed before: settle each on its own, as a batch of one.
            results = [
                r for s in fresh for r in signatures_write([s], petitions=petitions, actor=actor)
            ]
    return done + results + [_signed_again(s, petitions[s.petition_id]) for s in repeats]


def _expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=settings.SPILKA_SIGNATURE_CONFIRM_HOURS)


def _insert(fresh: list[Signer], petitions: dict[int, Petition], actor: Any) -> list[SignResult]:
    if not fresh:
        return []
    expires_at = _expiry()
    signatures = Signature.objects.bulk_create(
        Signature(
            petition=petitions[s.petition_id],
            full_name=s.full_name,
            email=s.email,
            country=s.country,
            postcode=s.postcode,
            organisation_name=s.organisation_name,
            show_name=s.show_name,
            language=s.language,
            intake_key=s.intake_key,
            expires_at=expires_at,
        )
        for s in fresh
    )
    wanted = {org_id for s in fresh for org_id, _ in s.consents}
    known_orgs = (
        set(Organisation.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if wanted
        else set()
    )
    if known_orgs:
        SignatureConsent.objects.bulk_create(
            SignatureConsent(
                signature=signature, organisation_id=org_id, wording=wording, language=s.language
            )
            for signature, s in zip(signatures, fresh, strict=True)
            for org_id, wording in s.consents
            if org_id in known_orgs
        )
    audit_record_many(
        actor=actor,
        action="campaigns.signature.created",
        objs=signatures,
        organisation_of=lambda sig: sig.petition.campaign.lead_organisation_id,
        after_of=lambda sig: {"petition": sig.petition_id, "status": SignatureStatus.PENDING},
    )
    # Queued in the same transaction (the task queue is a table of this database): a
    # committed signature always has its mail on the way, whatever dies after the commit.
    by_base: dict[str, list[int]] = defaultdict(list)
    for signature, s in zip(signatures, fresh, strict=True):
        by_base[s.base_url].append(signature.pk)
    for base_url, ids in by_base.items():
        signature_mail_batch.enqueue(signature_ids=ids, kind="confirm", base_url=base_url)
    # Answered from now on like an address that signed before: a second try within the
    # window sends nothing, whichever it was.
    cache.set_many({f"resign:{sig.pk}": 1 for sig in signatures}, timeout=RESIGN_SECONDS)
    return [SignResult(signature.pk, True) for signature in signatures]


def _signed_again(signer: Signer, petition: Petition) -> SignResult:
    """Signed before: answer the same way, and tell the address owner (never the page)."""
    with transaction.atomic():
        signature = Signature.objects.select_for_update(of=("self",)).get(
            petition=petition, email=signer.email
        )
        if signer.intake_key and signature.intake_key == signer.intake_key:
            # This very submission, written the other way a moment before (the request's
            # direct write and the drain of its stream entry): nothing to tell anyone.
            return SignResult(signature.pk, False)
        # At most one reminder per signature per ten minutes (counted from the signing):
        # signing again must not become a way to flood someone's inbox.
        if not cache.add(f"resign:{signature.pk}", 1, timeout=RESIGN_SECONDS):
            return SignResult(signature.pk, False)
        if signature.status == SignatureStatus.PENDING:
            signature.expires_at = _expiry()
            signature.save(update_fields=["expires_at"])
            queue_signature_mail(signature, "confirm", signer.base_url)
        elif signature.status == SignatureStatus.CONFIRMED:
            queue_signature_mail(signature, "already_signed", signer.base_url)
    return SignResult(signature.pk, False)
