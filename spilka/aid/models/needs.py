"""Needs posted by recipient organisations, and the pledges made against them."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from spilka.lib.translated import TranslatedField, pick
from spilka.network.models.organisations import ORIGINAL_LANGUAGE_CHOICES


class Digits(TypedDict):
    max_digits: int
    decimal_places: int


QTY: Digits = {"max_digits": 14, "decimal_places": 3}
ZERO = Decimal("0")


class Oblast(models.TextChoices):
    CHERKASY = "cherkasy", _("Cherkasy oblast")
    CHERNIHIV = "chernihiv", _("Chernihiv oblast")
    CHERNIVTSI = "chernivtsi", _("Chernivtsi oblast")
    CRIMEA = "crimea", _("Autonomous Republic of Crimea")
    DNIPROPETROVSK = "dnipropetrovsk", _("Dnipropetrovsk oblast")
    DONETSK = "donetsk", _("Donetsk oblast")
    IVANO_FRANKIVSK = "ivano-frankivsk", _("Ivano-Frankivsk oblast")
    KHARKIV = "kharkiv", _("Kharkiv oblast")
    KHERSON = "kherson", _("Kherson oblast")
    KHMELNYTSKYI = "khmelnytskyi", _("Khmelnytskyi oblast")
    KIROVOHRAD = "kirovohrad", _("Kirovohrad oblast")
    KYIV_CITY = "kyiv-city", _("Kyiv city")
    KYIV = "kyiv", _("Kyiv oblast")
    LUHANSK = "luhansk", _("Luhansk oblast")
    LVIV = "lviv", _("Lviv oblast")
    MYKOLAIV = "mykolaiv", _("Mykolaiv oblast")
    ODESA = "odesa", _("Odesa oblast")
    POLTAVA = "poltava", _("Poltava oblast")
    RIVNE = "rivne", _("Rivne oblast")
    SEVASTOPOL = "sevastopol", _("Sevastopol city")
    SUMY = "sumy", _("Sumy oblast")
    TERNOPIL = "ternopil", _("Ternopil oblast")
    VINNYTSIA = "vinnytsia", _("Vinnytsia oblast")
    VOLYN = "volyn", _("Volyn oblast")
    ZAKARPATTIA = "zakarpattia", _("Zakarpattia oblast")
    ZAPORIZHZHIA = "zaporizhzhia", _("Zaporizhzhia oblast")
    ZHYTOMYR = "zhytomyr", _("Zhytomyr oblast")


def oblast_name(code: str) -> str:
    """What ``Need.get_oblast_display()`` gives, at the cost of one lookup: Django's rebuilds
    and hashes all 27 lazy labels on every call, which an export would pay once per row."""
    try:
        return str(Oblast(code).label)
    except ValueError:
        return code


class Priority(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTLY_PLEDGED = "partly_pledged", _("Partly pledged")
    PLEDGED = "pledged", _("Pledged")
    PARTLY_DELIVERED = "partly_delivered", _("Partly delivered")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Need(models.Model):
    """A request owned by a recipient organisation; its status is derived from its lines."""

    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("recipient organisation"),
        on_delete=models.PROTECT,
        related_name="aid_needs",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aid_needs",
    )
    title = TranslatedField(_("title"), max_length=200, blank=False)
    description = TranslatedField(_("description"), max_length=5000)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=ORIGINAL_LANGUAGE_CHOICES, default="uk"
    )
    oblast = models.CharField(_("oblast"), max_length=20, choices=Oblast.choices)
    hromada = models.CharField(_("hromada"), max_length=100, blank=True)
    settlement = models.CharField(_("settlement"), max_length=100, blank=True)
    publish_only_oblast = models.BooleanField(
        _("publish only the oblast"),
        default=True,
        help_text=_("Public pages show the oblast only, never the hromada or settlement."),
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    # Derived from the lines by services (need_refresh_status); closed and cancelled are set
    # explicitly and stick.
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    is_public = models.BooleanField(_("public"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [
            models.Index(fields=["organisation", "status"], name="aid_need_org_status"),
            models.Index(fields=["status", "priority"], name="aid_need_status_priority"),
        ]

    def __str__(self) -> str:
        return pick(self.title, self.original_language).text or f"need {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("aid:need", kwargs={"pk": self.pk})

    @property
    def is_final(self) -> bool:
        return self.status in (NeedStatus.CLOSED, NeedStatus.CANCELLED)

    @property
    def oblast_name(self) -> str:
        return oblast_name(self.oblast)

    def public_location(self) -> str:
        """Oblast only unless the recipient opted in to more detail."""
        parts = [self.oblast_name]
        if not self.publish_only_oblast:
            parts = [p for p in (self.settlement, self.hromada) if p] + parts
        return ", ".join(parts)


class NeedLine(models.Model):
    """Item and quantity asked for, with roll-ups kept by services under a row lock."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey("aid.Item", on_delete=models.PROTECT, related_name="need_lines")
    quantity = models.DecimalField(_("quantity"), **QTY)
    pledged = models.DecimalField(_("pledged"), default=ZERO, **QTY)
    dispatched = models.DecimalField(_("dispatched"), default=ZERO, **QTY)
    received = models.DecimalField(_("received"), default=ZERO, **QTY)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("need line")
        verbose_name_plural = _("need lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="aid_needline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(pledged__gte=0)
                & models.Q(dispatched__gte=0)
                & models.Q(received__gte=0),
                name="aid_needline_rollups_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"

    @property
    def still_needed(self) -> Decimal:
        return max(self.quantity - self.pledged, ZERO)


class PledgeStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    CANCELLED = "cancelled", _("Cancelled")


class Pledge(models.Model):
    """A donor's offer: against a need's lines, or unsolicited items (no need)."""

    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, null=True, blank=True, related_name="pledges"
    )
    donor_organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("donor organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aid_pledges",
    )
    donor_person = models.ForeignKey(
        "network.Person",
        verbose_name=_("donor (individual)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aid_pledges",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PledgeStatus.choices, default=PledgeStatus.OFFERED
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    publish_after = models.DateTimeField(
        _("publish after"),
        null=True,
        blank=True,
        help_text=_(
            "Keep what this pledge delivers off public reports until this time, "
            "even once the recipient has confirmed it."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(donor_organisation__isnull=False)
                | models.Q(donor_person__isnull=False)
                | models.Q(status="cancelled"),
                name="aid_pledge_has_donor",
            ),
        ]

    def __str__(self) -> str:
        return f"pledge {self.pk}"

    @property
    def donor_label(self) -> str:
        if self.donor_organisation_id:
            return str(self.donor_organisation)
        return str(_("an individual member"))


class PledgeLine(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="lines")
    need_line = models.ForeignKey(
        NeedLine, on_delete=models.PROTECT, null=True, blank=True, related_name="pledge_lines"
    )
    item = models.ForeignKey("aid.Item", on_delete=models.PROTECT, related_name="pledge_lines")
    quantity = models.DecimalField(_("quantity"), **QTY)
    dispatched = models.DecimalField(_("dispatched"), default=ZERO, **QTY)
    over_pledge_reason = models.CharField(
        _("reason for pledging more than needed"), max_length=300, blank=True
    )
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pledge line")
        verbose_name_plural = _("pledge lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="aid_pledgeline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(dispatched__gte=0), name="aid_pledgeline_dispatched_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"

    @property
    def undispatched(self) -> Decimal:
        return max(self.quantity - self.dispatched, ZERO)
