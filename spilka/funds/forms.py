from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from spilka.aid.models import Convoy
from spilka.funds.models import ExpenseCategory, Fund, ProductVariant
from spilka.funds.services.expenses import receipt_kind
from spilka.funds.services.imports import DATE_FORMATS, FIELDS
from spilka.funds.services.rates import OUTLIER_CONFIRM_LABEL
from spilka.funds.services.statement_files import (
    DECIMAL_CHOICES,
    ENCODING_CHOICES,
    THOUSANDS_CHOICES,
)
from spilka.lib.fields import LocalDecimalField, LocalIntegerField
from spilka.lib.forms import model_choice_field
from spilka.lib.money import CURRENCY_CHOICES
from spilka.lib.slugs import SlugFormField
from spilka.lib.uploads import ReChooseFileInput
from spilka.network.models import Organisation
from spilka.network.pickers import PickerFormMixin, use_picker

ENTRY_KINDS = [
    ("donation", _("Donation")),
    ("grant", _("Grant from a union body or organisation")),
    ("transfer_out", _("Transfer to a partner organisation")),
    ("refund", _("Refund to a donor")),
    ("exchange", _("Currency exchange (sold this amount, bought the one below)")),
]
DATE_FORMAT_CHOICES = [
    ("dmy", _("31/12/2022")),
    ("iso", _("2022-12-31")),
    ("dmy_dots", _("31.12.2022")),
    ("mdy", _("12/31/2022")),
]
LABELS = {
    "date": _("Date"),
    "amount": _("Amount received"),
    "reference": _("Bank reference"),
    "payer": _("Payer's name"),
    "email": _("Payer's email"),
    "opt_in": _("Agreed to hear from us (yes/no)"),
    "public": _("May be named publicly (yes/no)"),
}


def _rate(value: Decimal) -> str:
    """A rate typed in the person's language ("0,8571" in uk/pl/ru), as plain decimal text."""
    if value <= 0:
        raise forms.ValidationError(_("A rate is more than nought."))
    return str(value)


def _rate_field(label: Any, *, required: bool = False, help_text: Any = "") -> LocalDecimalField:
    return LocalDecimalField(
        kind="rate", label=label, required=required, max_digits=24, help_text=help_text
    )


def _amount_field(label: Any, *, required: bool = True) -> LocalDecimalField:
    # No decimal_places here: the service refuses too many places naming the currency.
    return LocalDecimalField(kind="amount", label=label, required=required, max_digits=14)


def _rate_confirmed_field() -> forms.BooleanField:
    """The box a treasurer ticks to keep a rate far from the known ones (the refusal names it)."""
    return forms.BooleanField(
        label=OUTLIER_CONFIRM_LABEL,
        required=False,
        help_text=_(
            "Only when the rate is far (more than a fifth) from the known rates and you have "
            "checked it against the bank's statement."
        ),
    )


def _amount(value: Decimal) -> str:
    """An amount as the services take it: plain decimal text ("42.50"), never a float."""
    return str(value)


class EntryForm(PickerFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ENTRY_KINDS)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = _amount_field(_("Amount"))
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    rate = _rate_field(
        _("Rate the bank gave (optional)"),
        help_text=_(
            "Units of the fund's currency per unit of this one. Leave empty to use the ECB or NBU rate."
        ),
    )
    rate_confirmed = _rate_confirmed_field()
    counterparty: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Partner or union body"), queryset=None, required=False
    )
    donor_name = forms.CharField(label=_("Donor's name (private)"), max_length=200, required=False)
    show_name = forms.BooleanField(label=_("The donor agreed to be named publicly"), required=False)
    description = forms.CharField(
        label=_("Public description"),
        max_length=300,
        required=False,
        help_text=_("Shown on the public page: no personal details."),
    )
    reference = forms.CharField(label=_("Bank reference (private)"), max_length=120, required=False)
    bought_amount = _amount_field(_("Exchange: amount bought"), required=False)
    bought_currency = forms.ChoiceField(
        label=_("Exchange: currency bought"), choices=CURRENCY_CHOICES, required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_picker(self.fields["counterparty"], user=user, purpose="counterparty")

    def clean_amount(self) -> str:
        return _amount(self.cleaned_data["amount"])

    def clean_rate(self) -> str:
        value = self.cleaned_data["rate"]
        return _rate(value) if value is not None else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "exchange":
            if data.get("bought_amount") is None and "bought_amount" not in self.errors:
                self.add_error("bought_amount", _("How much did the exchange buy?"))
            elif data.get("bought_amount") is not None:
                data["bought_amount"] = _amount(data["bought_amount"])
        return data


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Why is this entry reversed?"), max_length=300)


class ExpenseForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none())
    title = forms.CharField(label=_("What for"), max_length=200)
    incurred_on = forms.DateField(
        label=_("Date spent"), widget=forms.DateInput(attrs={"type": "date"})
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    convoy: forms.ModelChoiceField[Convoy] = forms.ModelChoiceField(
        label=_("Convoy (optional)"),
        queryset=None,
        required=False,
        help_text=_("The aid convoy this was spent on: counted in its cost per delivery."),
    )
    receipt = forms.FileField(
        label=_("Receipt"),
        help_text=_("A photo or PDF of the receipt. Seen only by the treasurers."),
        widget=ReChooseFileInput,
    )

    LINES = 3

    def __init__(self, *args: Any, funds: Any, convoys: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "fund").queryset = funds

        model_choice_field(self, "convoy").queryset = (
            convoys if convoys is not None else Convoy.objects.none()
        )
        for n in range(1, self.LINES + 1):
            required = n == 1
            self.fields[f"category_{n}"] = forms.ChoiceField(
                label=_("Line %(n)s: category") % {"n": n},
                choices=([] if required else [("", "—")]) + list(ExpenseCategory.choices),
                required=required,
            )
            self.fields[f"description_{n}"] = forms.CharField(
                label=_("Line %(n)s: description") % {"n": n}, max_length=200, required=required
            )
            self.fields[f"amount_{n}"] = _amount_field(
                _("Line %(n)s: amount") % {"n": n}, required=required
            )

    def clean_receipt(self) -> Any:
        # Checked here as well as in the service, so a receipt kept across an error on
        # another field is one the claim will accept.

        upload = self.cleaned_data["receipt"]
        try:
            receipt_kind(upload)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["receipt"]) from None
        return upload

    def clean_incurred_on(self) -> Any:
        day = self.cleaned_data["incurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date spent cannot be in the future."))
        return day

    def lines(self) -> list[dict[str, str]]:
        result = []
        for n in range(1, self.LINES + 1):
            amount = self.cleaned_data.get(f"amount_{n}")
            if amount is not None:
                result.append(
                    {
                        "category": self.cleaned_data.get(f"category_{n}") or "other",
                        "description": self.cleaned_data.get(f"description_{n}") or "",
                        "amount": _amount(amount),
                    }
                )
        return result


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PayForm(forms.Form):
    rate = _rate_field(
        _("Rate the bank gave (optional)"),
        help_text=_("Only when the date has no ECB or NBU rate, or the bank's rate differed."),
    )
    rate_confirmed = _rate_confirmed_field()

    def clean_rate(self) -> str:
        value = self.cleaned_data["rate"]
        return _rate(value) if value is not None else ""


class ReceiptForm(forms.Form):
    receipt = forms.FileField(label=_("Another receipt"), widget=ReChooseFileInput)


class ImportUploadForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none())
    currency = forms.ChoiceField(label=_("Currency of the account"), choices=CURRENCY_CHOICES)
    file = forms.FileField(label=_("Bank statement (CSV or Excel .xlsx)"), widget=ReChooseFileInput)
    encoding = forms.ChoiceField(
        label=_("Text encoding (CSV)"),
        choices=ENCODING_CHOICES,
        initial="auto",
        required=False,
        help_text=_("If names in the preview look garbled, upload again and choose another."),
    )

    def __init__(self, *args: Any, funds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "fund").queryset = funds


class MappingForm(forms.Form):
    date_format = forms.ChoiceField(label=_("Dates look like"), choices=DATE_FORMAT_CHOICES)
    decimal = forms.ChoiceField(
        label=_("Decimal separator in amounts"),
        choices=DECIMAL_CHOICES,
        initial="auto",
        required=False,
    )
    thousands = forms.ChoiceField(
        label=_("Thousands separator in amounts"),
        choices=THOUSANDS_CHOICES,
        initial="auto",
        required=False,
    )

    def __init__(self, *args: Any, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(h, h) for h in header]
        for name in FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=LABELS[name], choices=choices, required=name in ("date", "amount")
            )
        self.order_fields(list(FIELDS) + ["date_format", "decimal", "thousands"])
        assert set(DATE_FORMATS) >= {c for c, _label in DATE_FORMAT_CHOICES}


class RatesUploadForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("ecb", _("ECB reference rates (eurofxref-hist.csv)")),
            ("nbu", _("National Bank of Ukraine exchange rates (JSON)")),
        ],
    )
    file = forms.FileField(label=_("File"), widget=ReChooseFileInput)


class ManualRateForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    base = forms.ChoiceField(label=_("One unit of"), choices=CURRENCY_CHOICES)
    quote = forms.ChoiceField(label=_("is worth, in"), choices=CURRENCY_CHOICES)
    rate = _rate_field(_("Rate"), required=True)
    note = forms.CharField(label=_("Note (e.g. the bank)"), max_length=200, required=False)
    confirmed = _rate_confirmed_field()

    def clean_rate(self) -> str:
        return _rate(self.cleaned_data["rate"])


class SaleForm(forms.Form):
    variant: forms.ModelChoiceField[ProductVariant] = forms.ModelChoiceField(
        label=_("Item"), queryset=None
    )
    quantity = LocalIntegerField(label=_("How many"), min_value=1, max_value=10000)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, variants: QuerySet[ProductVariant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "variant").queryset = variants


class FundForm(forms.ModelForm):
    class Meta:
        model = Fund
        fields = ["slug", "name", "description", "currency", "campaign", "is_public"]

    def __init__(self, *args: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "campaign").queryset = campaigns
        self.fields["campaign"].required = False


class TreasurySettingsForm(forms.Form):
    reporting_currency = forms.ChoiceField(label=_("Reporting currency"), choices=CURRENCY_CHOICES)
    second_approver_above = LocalDecimalField(
        kind="amount",
        label=_("Claims above this amount need two treasurers"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    rate_fallback_days = LocalIntegerField(
        label=_("When a date has no rate, use the latest earlier rate up to this many days old"),
        min_value=0,
        max_value=14,
        help_text=_("0: never; the entry stops and asks for a manual rate."),
    )


class ProductForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund the sales go to"), queryset=Fund.objects.none())
    slug = SlugFormField(label=_("Short address"), max_length=80)
    name = forms.CharField(label=pgettext_lazy("label", "Name"), max_length=200)
    price = _amount_field(_("Price"))
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    sizes = forms.CharField(
        label=_("Sizes and stock"),
        max_length=300,
        help_text=_("For example: S:10, M:20, L:15, XL:5"),
    )

    def __init__(self, *args: Any, funds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "fund").queryset = funds

    def clean_price(self) -> str:
        return _amount(self.cleaned_data["price"])

    def clean_sizes(self) -> dict[str, int]:
        sizes: dict[str, int] = {}
        for part in self.cleaned_data["sizes"].split(","):
            label, _sep, count = part.strip().partition(":")
            if not label.strip() or not count.strip().isdecimal():
                raise forms.ValidationError(
                    _("Write each size as LABEL:NUMBER, separated by commas.")
                )
            sizes[label.strip()[:40]] = int(count)
        return sizes


class RestockForm(forms.Form):
    variant: forms.ModelChoiceField[ProductVariant] = forms.ModelChoiceField(
        label=_("Item"), queryset=None
    )
    quantity = LocalIntegerField(label=_("How many to add"), min_value=1, max_value=100000)

    def __init__(self, *args: Any, variants: QuerySet[ProductVariant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "variant").queryset = variants
