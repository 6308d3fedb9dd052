from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkKind(models.TextChoices):
    CAMPAIGN_CO_ORGANISER = "campaign_co_organiser", _("co-organiser of the campaign")
    CAMPAIGN_LEAD = "campaign_lead", _("lead organisation of the campaign")
    EVENT_CO_ORGANISER = "event_co_organiser", _("co-organiser of the event")
    # A fund's public accounts name the organisations money went to or came from.
    FUNDS_PARTNER = "funds_partner", _("named as a partner in its public accounts")


class LinkRequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Which object each kind links to: exactly that foreign key is set.
CAMPAIGN_KINDS = frozenset({LinkKind.CAMPAIGN_CO_ORGANISER, LinkKind.CAMPAIGN_LEAD})
EVENT_KINDS = frozenset({LinkKind.EVENT_CO_ORGANISER})


class LinkRequest(models.Model):
    """One organisation asks another to take a place in its campaign or event, or to be
    named as a partner in its public accounts.

    Nobody is bound by another organisation's act: until the invited organisation's
    administrator or organiser accepts, the link is shown nowhere and no data flows to
    it. Accepting applies it (``network.link_requests.link_request_accept``).
    """

    kind = models.CharField(_("link"), max_length=30, choices=LinkKind.choices)
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("invited organisation"),
        on_delete=models.CASCADE,
        related_name="link_requests_received",
    )
    proposer = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("proposed by"),
        on_delete=models.CASCADE,
        related_name="link_requests_made",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="link_requests",
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="link_requests",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=LinkRequestStatus.choices,
        default=LinkRequestStatus.PENDING,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("link request")
        verbose_name_plural = _("link requests")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind__in=sorted(str(k) for k in CAMPAIGN_KINDS),
                        campaign__isnull=False,
                        event__isnull=True,
                    )
                    | models.Q(
                        kind__in=sorted(str(k) for k in EVENT_KINDS),
                        campaign__isnull=True,
                        event__isnull=False,
                    )
                    | models.Q(
                        kind=str(LinkKind.FUNDS_PARTNER),
                        campaign__isnull=True,
                        event__isnull=True,
                    )
                ),
                name="link_request_one_object",
            ),
            models.CheckConstraint(
                condition=~models.Q(organisation=models.F("proposer")),
                name="link_request_not_self",
            ),
            # One open question per organisation and place; one proposed lead at a time.
            models.UniqueConstraint(
                fields=["kind", "organisation", "campaign"],
                condition=models.Q(status="pending", campaign__isnull=False),
                name="link_request_pending_campaign",
            ),
            models.UniqueConstraint(
                fields=["kind", "organisation", "event"],
                condition=models.Q(status="pending", event__isnull=False),
                name="link_request_pending_event",
            ),
            models.UniqueConstraint(
                fields=["organisation", "proposer"],
                condition=models.Q(status="pending", kind="funds_partner"),
                name="link_request_pending_partner",
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=models.Q(status="pending", kind="campaign_lead"),
                name="link_request_one_pending_lead",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="link_request_invited_idx"),
            models.Index(fields=["proposer", "status"], name="link_request_proposer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_kind_display()} – {self.target or self.proposer}"

    @property
    def target(self) -> models.Model | None:
        """The campaign or event the organisation is invited to (None for accounts)."""
        return self.campaign if self.campaign_id else self.event
