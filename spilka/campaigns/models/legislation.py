from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from spilka.lib.translated import TranslatedField, pick
from spilka.network.models.organisations import ORIGINAL_LANGUAGE_CHOICES


class Parliament(models.TextChoices):
    UK_PARLIAMENT = "uk_parliament", _("UK Parliament")
    SENEDD = "senedd", _("Senedd Cymru (Welsh Parliament)")
    SCOTTISH_PARLIAMENT = "scottish_parliament", _("Scottish Parliament")
    SEJM = "sejm", _("Sejm (Poland)")
    US_HOUSE = "us_house", _("US House of Representatives")
    US_SENATE = "us_senate", _("US Senate")
    EUROPEAN_PARLIAMENT = "european_parliament", _("European Parliament")
    VERKHOVNA_RADA = "verkhovna_rada", _("Verkhovna Rada (Ukraine)")
    OTHER = "other", _("Other")


class BillKind(models.TextChoices):
    BILL = "bill", _("Bill")
    MOTION = "motion", _("Motion")
    RESOLUTION = "resolution", _("Resolution")
    AMENDMENT = "amendment", _("Amendment")


class BillOutcome(models.TextChoices):
    PENDING = "pending", _("In progress")
    PASSED = "passed", _("Passed")
    ENACTED = "enacted", _("Enacted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LAPSED = "lapsed", _("Lapsed")


class Bill(models.Model):
    """A bill or motion followed through a parliament."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="bills",
    )
    parliament = models.CharField(_("parliament"), max_length=30, choices=Parliament.choices)
    parliament_other = models.CharField(_("other parliament"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=BillKind.choices, default=BillKind.BILL
    )
    number = models.CharField(_("number"), max_length=60, blank=True)
    title = TranslatedField(_("title"), max_length=300, blank=False)
    summary = TranslatedField(_("summary"), max_length=5000)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=ORIGINAL_LANGUAGE_CHOICES, default="en"
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=BillOutcome.choices, default=BillOutcome.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["parliament", "number"]
        verbose_name = _("bill or motion")
        verbose_name_plural = _("bills and motions")

    def __str__(self) -> str:
        label = pick(self.title, self.original_language).text
        return f"{self.number} {label}".strip()

    def get_absolute_url(self) -> str:
        return reverse("campaigns:bill", kwargs={"pk": self.pk})


class StageKind(models.TextChoices):
    INTRODUCED = "introduced", _("Introduced")
    COMMITTEE = "committee", _("Committee")
    DEBATED = "debated", _("Debated")
    PASSED_CHAMBER = "passed_chamber", _("Passed the chamber")
    REJECTED = "rejected", _("Rejected")
    ENACTED = "enacted", _("Enacted")
    OTHER = "other", _("Other")


class BillStage(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=20, choices=StageKind.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)

    class Meta:
        ordering = ["bill", "date", "id"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return f"{self.bill}: {self.stage} {self.date}"
