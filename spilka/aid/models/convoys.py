"""Convoys, their vehicles, crew, route, manifest and handovers to recipients."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from spilka.aid.models.needs import QTY
from spilka.events.zones import zone_name_clean
from spilka.lib.storage import private_storage

CURRENCY_CHOICES = [("GBP", "GBP"), ("EUR", "EUR"), ("PLN", "PLN"), ("USD", "USD"), ("UAH", "UAH")]


def validate_time_zone(value: str) -> None:
    if zone_name_clean(value) != value:
        raise ValidationError(
            _("%(zone)s is not a known time zone (use a name like Europe/Warsaw)."),
            params={"zone": value},
        )


class ConvoyStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    LOADING = "loading", _("Loading")
    DEPARTED = "departed", _("Departed")
    ARRIVED = "arrived", _("Arrived")
    HANDED_OVER = "handed_over", _("Handed over")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    RETURNED = "returned", _("Returned")


class Convoy(models.Model):
    """One trip. Its route and times are private until it has arrived."""

    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organising organisation"),
        on_delete=models.PROTECT,
        related_name="aid_convoys",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aid_convoys",
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=ConvoyStatus.choices, default=ConvoyStatus.PLANNED
    )
    planned_departure = models.DateTimeField(_("planned departure"), null=True, blank=True)
    # Route times are typed and shown in this zone: the organiser's, not the server's.
    time_zone = models.CharField(
        _("time zone of the route"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    departed_at = models.DateTimeField(_("departed at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("convoy")
        verbose_name_plural = _("convoys")
        indexes = [models.Index(fields=["organisation", "status"], name="aid_convoy_org_status")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("aid:convoy", kwargs={"pk": self.pk})

    @property
    def has_arrived(self) -> bool:
        return self.status in (
            ConvoyStatus.ARRIVED,
            ConvoyStatus.HANDED_OVER,
            ConvoyStatus.CONFIRMED,
        )


class Vehicle(models.Model):
    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="vehicles")
    make = models.CharField(_("make and model"), max_length=100)
    registration = models.CharField(pgettext_lazy("vehicle", "registration"), max_length=20)
    donated_stays = models.BooleanField(
        _("donated: the vehicle stays with the recipient"), default=False
    )
    handover = models.ForeignKey(
        "aid.Handover",
        verbose_name=_("handed over to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vehicles",
    )
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")

    def __str__(self) -> str:
        return f"{self.make} ({self.registration})"


class CrewRole(models.TextChoices):
    DRIVER = "driver", _("Driver")
    CREW = "crew", _("Crew")


class CrewMember(models.Model):
    """Personal data: never shown on public pages."""

    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="crew")
    person = models.ForeignKey(
        "network.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    role = models.CharField(
        _("role"), max_length=10, choices=CrewRole.choices, default=CrewRole.DRIVER
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("crew member")
        verbose_name_plural = _("crew")

    def __str__(self) -> str:
        return self.name


class RouteStop(models.Model):
    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="stops")
    order = models.PositiveSmallIntegerField(_("order"))
    place = models.CharField(_("place"), max_length=200)
    planned_at = models.DateTimeField(_("planned arrival"), null=True, blank=True)
    planned_departure = models.DateTimeField(_("planned departure"), null=True, blank=True)
    actual_at = models.DateTimeField(_("actual"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("route stop")
        verbose_name_plural = _("route stops")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_at__isnull=True)
                | models.Q(planned_departure__isnull=True)
                | models.Q(planned_departure__gt=models.F("planned_at")),
                name="aid_routestop_departure_after_arrival",
            ),
        ]

    def __str__(self) -> str:
        return self.place


class HandoverStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed by the recipient")


def handover_photo_path(instance: Handover, filename: str) -> str:
    return f"aid/handovers/{instance.pk}/{filename}"


class Handover(models.Model):
    """What one convoy leaves with one recipient organisation, confirmed by its token link."""

    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="handovers")
    recipient = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("recipient organisation"),
        on_delete=models.PROTECT,
        related_name="aid_handovers",
    )
    language = models.CharField(_("recipient's language"), max_length=8, default="uk")
    status = models.CharField(
        _("status"), max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.PENDING
    )
    # Changing the nonce invalidates every link issued before.
    token_nonce = models.CharField(max_length=32, editable=False, default="")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    recipient_note = models.TextField(_("note from the recipient"), max_length=2000, blank=True)
    # Private: never under MEDIA_ROOT, streamed only to the convoy's organisers and the recipient.
    photo = models.ImageField(
        _("photo"), upload_to=handover_photo_path, storage=private_storage, blank=True
    )
    publish_after = models.DateTimeField(
        _("publish after"),
        null=True,
        blank=True,
        help_text=_("Keep this delivery off public reports until this time."),
    )
    has_discrepancy = models.BooleanField(_("received with discrepancy"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            models.UniqueConstraint(
                fields=["convoy", "recipient"], name="aid_handover_one_per_recipient"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "confirmed_at"], name="aid_handover_status_conf"),
            models.Index(fields=["recipient", "status"], name="aid_handover_recipient_status"),
        ]

    def __str__(self) -> str:
        return f"{self.convoy.reference} → {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("aid:handover", kwargs={"pk": self.pk})


class Discrepancy(models.TextChoices):
    NONE = "", _("As dispatched")
    MISSING = "missing", _("Missing")
    DAMAGED = "damaged", _("Damaged")


class ManifestLine(models.Model):
    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="manifest")
    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="lines")
    item = models.ForeignKey("aid.Item", on_delete=models.PROTECT, related_name="manifest_lines")
    quantity = models.DecimalField(_("quantity"), **QTY)
    lot = models.CharField(_("lot"), max_length=60, blank=True)
    expiry = models.DateField(_("expiry"), null=True, blank=True)
    donor_organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("donor organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aid_manifest_lines",
    )
    pledge_line = models.ForeignKey(
        "aid.PledgeLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="manifest_lines",
    )
    need_line = models.ForeignKey(
        "aid.NeedLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="manifest_lines",
    )
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, blank=True)
    box_number = models.CharField(_("box"), max_length=20, blank=True)
    received_quantity = models.DecimalField(_("received"), null=True, blank=True, **QTY)
    discrepancy = models.CharField(
        _("discrepancy"), max_length=10, choices=Discrepancy.choices, blank=True, default=""
    )
    discrepancy_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Copied from the handover and convoy so the public report aggregates one table with
    # plain indexes (see docs/aid.md, bench/aid_report.py). Written only by services.
    recipient = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    convoy_organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delivered_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the line may appear on public pages: confirmed, and past any publish_after.
    public_from = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["box_number", "pk"]
        verbose_name = _("manifest line")
        verbose_name_plural = _("manifest lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="aid_manifest_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(received_quantity__isnull=True)
                | (
                    models.Q(received_quantity__gte=0)
                    & models.Q(received_quantity__lte=models.F("quantity"))
                ),
                name="aid_manifest_received_within_dispatched",
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_value__isnull=True) | ~models.Q(currency=""),
                name="aid_manifest_value_has_currency",
            ),
        ]
        indexes = [
            models.Index(fields=["handover", "item"], name="aid_manifest_handover_item"),
            models.Index(
                fields=["donor_organisation", "handover"], name="aid_manifest_donor_handover"
            ),
            models.Index(fields=["public_from"], name="aid_manifest_public"),
            models.Index(
                fields=["donor_organisation", "public_from"], name="aid_manifest_donor_public"
            ),
            models.Index(fields=["recipient", "public_from"], name="aid_manifest_recip_public"),
            models.Index(
                fields=["convoy_organisation", "public_from"], name="aid_manifest_convoy_public"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"

    @property
    def shortfall(self) -> Decimal:
        if self.received_quantity is None:
            return Decimal("0")
        return self.quantity - self.received_quantity
