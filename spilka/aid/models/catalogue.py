"""The item catalogue: what can be asked for, pledged and carried."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from spilka.lib.translated import TranslatedField, pick


class ItemCategory(models.TextChoices):
    MEDICAL = "medical", _("Medical")
    VEHICLES = "vehicles", _("Vehicles")
    POWER = "power", _("Power")
    COMMUNICATIONS = "communications", _("Communications")
    CLOTHING = "clothing", _("Clothing")
    FOOD = "food", _("Food")
    TOOLS = "tools", _("Tools")


class Unit(models.TextChoices):
    PIECE = "piece", _("piece")
    BOX = "box", _("box")
    PACK = "pack", _("pack")
    KG = "kg", _("kg")
    LITRE = "litre", _("litre")
    SET = "set", _("set")


class Item(models.Model):
    """One kind of thing. Medicines and tourniquets track lot and expiry."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = TranslatedField(_("name"), max_length=200, blank=False)
    category = models.CharField(_("category"), max_length=20, choices=ItemCategory.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    pack_size = models.PositiveIntegerField(_("pack size"), default=1)
    countable = models.BooleanField(
        _("countable"), default=True, help_text=_("Counted in whole units: no fractions.")
    )
    tracks_lot_expiry = models.BooleanField(_("tracks lot and expiry"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pack_size__gte=1), name="aid_item_pack_size_positive"
            ),
        ]

    def __str__(self) -> str:
        return pick(self.name, "en").text or self.code

    def check_quantity(self, quantity: Decimal | None, *, allow_zero: bool = False) -> None:
        """Refuse negative, zero (unless allowed) and fractional quantities of countable items."""
        if quantity is None:
            raise ValidationError(_("Enter a quantity."))
        if quantity < 0 or (quantity == 0 and not allow_zero):
            raise ValidationError(_("A quantity must be more than zero."))
        if self.countable and quantity != quantity.to_integral_value():
            raise ValidationError(
                _("%(item)s is counted in whole units: %(quantity)s is not a whole number."),
                params={"item": str(self), "quantity": quantity},
            )
