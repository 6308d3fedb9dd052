"""The starting catalogue: the things convoys have actually carried."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from spilka.aid.models import Item, ItemCategory, Unit
from spilka.lib.audit import audit_record, snapshot

C = ItemCategory
# code, category, unit, pack size, countable, tracks lot/expiry, names
DEFAULT_ITEMS: list[tuple[str, Any, Any, int, bool, bool, dict[str, str]]] = [
    (
        "first-aid-kit",
        C.MEDICAL,
        Unit.PIECE,
        1,
        True,
        True,
        {"en": "Individual first aid kit", "uk": "Індивідуальна аптечка"},
    ),
    (
        "tourniquet",
        C.MEDICAL,
        Unit.PIECE,
        1,
        True,
        True,
        {"en": "Tourniquet (CAT)", "uk": "Турнікет (CAT)"},
    ),
    (
        "haemostatic-dressing",
        C.MEDICAL,
        Unit.PACK,
        10,
        True,
        True,
        {"en": "Haemostatic dressing", "uk": "Гемостатичний бинт"},
    ),
    (
        "painkillers",
        C.MEDICAL,
        Unit.BOX,
        20,
        True,
        True,
        {"en": "Painkillers (paracetamol)", "uk": "Знеболювальне (парацетамол)"},
    ),
    (
        "stretcher",
        C.MEDICAL,
        Unit.PIECE,
        1,
        True,
        False,
        {"en": "Folding stretcher", "uk": "Складані ноші"},
    ),
    ("van", C.VEHICLES, Unit.PIECE, 1, True, False, {"en": "Van", "uk": "Фургон"}),
    ("pickup", C.VEHICLES, Unit.PIECE, 1, True, False, {"en": "Pick-up truck", "uk": "Пікап"}),
    (
        "generator",
        C.POWER,
        Unit.PIECE,
        1,
        True,
        False,
        {"en": "Petrol generator (3 kW)", "uk": "Бензиновий генератор (3 кВт)"},
    ),
    ("power-bank", C.POWER, Unit.PIECE, 1, True, False, {"en": "Power bank", "uk": "Павербанк"}),
    (
        "radio",
        C.COMMUNICATIONS,
        Unit.PIECE,
        1,
        True,
        False,
        {"en": "Handheld radio", "uk": "Рація"},
    ),
    (
        "satellite-terminal",
        C.COMMUNICATIONS,
        Unit.PIECE,
        1,
        True,
        False,
        {"en": "Satellite internet terminal", "uk": "Термінал супутникового інтернету"},
    ),
    (
        "thermal-underwear",
        C.CLOTHING,
        Unit.SET,
        1,
        True,
        False,
        {"en": "Thermal underwear", "uk": "Термобілизна"},
    ),
    (
        "winter-boots",
        C.CLOTHING,
        Unit.PIECE,
        1,
        True,
        False,
        {"en": "Winter boots (pair)", "uk": "Зимові черевики (пара)"},
    ),
    ("canned-food", C.FOOD, Unit.KG, 1, False, False, {"en": "Canned food", "uk": "Консерви"}),
    ("chainsaw", C.TOOLS, Unit.PIECE, 1, True, False, {"en": "Chainsaw", "uk": "Бензопила"}),
]


@transaction.atomic
def catalogue_ensure(*, by: Any = "system") -> dict[str, Item]:
    """Create the default items that are missing (safe to run again)."""
    items = {item.code: item for item in Item.objects.all()}
    for code, category, unit, pack, countable, lot, name in DEFAULT_ITEMS:
        if code in items:
            continue
        item = Item(
            code=code,
            category=category,
            unit=unit,
            pack_size=pack,
            countable=countable,
            tracks_lot_expiry=lot,
            name=name,
        )
        item.full_clean()
        item.save()
        audit_record(actor=by, action="aid.item.created", obj=item, after=snapshot(item))
        items[code] = item
    return items
