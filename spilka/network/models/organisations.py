from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from spilka.lib.languages import (
    CONTENT_LANGUAGES,
    LANGUAGE_NAMES,
    WORKING_LANGUAGE_CHOICES,
    WORKING_LANGUAGE_CODES,
)
from spilka.lib.slugs import SlugField
from spilka.lib.translated import TranslatedField, pick
from spilka.lib.types import StrOrPromise

ORIGINAL_LANGUAGE_CHOICES = [(code, LANGUAGE_NAMES[code]) for code in CONTENT_LANGUAGES]


def validate_working_languages(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Languages must be a list of language codes."))
    unknown = [v for v in value if v not in WORKING_LANGUAGE_CODES]
    if unknown:
        raise ValidationError(
            _("Unknown language code: %(code)s."), params={"code": ", ".join(unknown)}
        )


RESERVED_SLUGS = frozenset({"new"})


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This address is reserved; choose another."))


class TwoFactorRoles(models.TextChoices):
    """Whose roles in an organisation need a second factor before its private pages."""

    ADMINS_AND_TREASURERS = "admins_treasurers", _("Administrators and treasurers")
    PEOPLE_TOO = (
        "people_too",
        _("Administrators, treasurers and everyone who sees the organisation's people"),
    )


class OrganisationKind(models.TextChoices):
    TRADE_UNION = "trade_union", _("Trade union")
    UNION_BRANCH = "union_branch", _("Union branch or area")
    PARTY = "party", _("Political party")
    CAMPAIGN = "campaign", _("Campaign group")
    NGO = "ngo", _("NGO or charity")
    PARLIAMENTARY = "parliamentary", _("Parliamentary group")
    NETWORK = "network", _("Network or coalition")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    slug = SlugField(
        _("short address"), max_length=80, unique=True, validators=[validate_slug_not_reserved]
    )
    name = TranslatedField(_("name"), max_length=200, blank=False)
    short_name = models.CharField(_("short name or acronym"), max_length=40, blank=True)
    description = TranslatedField(_("description"), max_length=5000)
    points_of_unity = TranslatedField(_("points of unity"), max_length=10000)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=ORIGINAL_LANGUAGE_CHOICES, default="en"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    languages = models.JSONField(
        _("working languages"), default=list, blank=True, validators=[validate_working_languages]
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("A branch belongs to its union."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Private organisations are visible only to people with a role in them."),
    )
    two_factor_roles = models.CharField(
        _("two-factor authentication required for"),
        max_length=20,
        choices=TwoFactorRoles.choices,
        default=TwoFactorRoles.ADMINS_AND_TREASURERS,
        help_text=_(
            "Who must confirm signing in with an authenticator app. Administrators and "
            "treasurers always must."
        ),
    )
    # Every name in every language, short name and city, case-folded: what search matches.
    # Kept by the services (see services.organisation_search_text).
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["is_public", "country"], name="org_public_country_idx"),
            models.Index(fields=["is_public", "kind"], name="org_public_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="org_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("network:organisation", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return pick(self.name, self.original_language).text or self.slug

    @property
    def name_in_own_language(self) -> str:
        return self.name.get(self.original_language, "")

    @property
    def working_languages(self) -> list[tuple[str, str]]:
        """``(code, name)`` for each working language, named in the reader's language."""
        names = dict(WORKING_LANGUAGE_CHOICES)
        return [(code, str(names.get(code, code))) for code in self.languages or []]


class RelationshipKind(models.TextChoices):
    MEMBER_OF = "member_of", _("member of")
    AFFILIATED_TO = "affiliated_to", _("affiliated to")
    PARTNER_OF = "partner_of", _("partner of")
    TWINNED_WITH = "twinned_with", _("twinned with")
    SUPPORTS = "supports", _("supports")


# How a relationship reads from the target's side.
RELATIONSHIP_INVERSE_LABELS: dict[str, StrOrPromise] = {
    RelationshipKind.MEMBER_OF: _("has member"),
    RelationshipKind.AFFILIATED_TO: _("has affiliate"),
    RelationshipKind.PARTNER_OF: _("partner of"),
    RelationshipKind.TWINNED_WITH: _("twinned with"),
    RelationshipKind.SUPPORTS: _("supported by"),
}

# One whole sentence per kind, so each language can order the names as it needs.
RELATIONSHIP_SENTENCES: dict[Any, Any] = {
    RelationshipKind.MEMBER_OF: _("%(source)s is a member of %(target)s"),
    RelationshipKind.AFFILIATED_TO: _("%(source)s is affiliated to %(target)s"),
    RelationshipKind.PARTNER_OF: _("%(source)s is a partner of %(target)s"),
    RelationshipKind.TWINNED_WITH: _("%(source)s is twinned with %(target)s"),
    RelationshipKind.SUPPORTS: _("%(source)s supports %(target)s"),
}
PART_OF_SENTENCE = _("%(source)s is part of %(target)s")


def relationship_sentence(kind: str, source: object, target: object) -> str:
    """``source`` and ``target`` joined in the sentence for ``kind`` ("part_of" included)."""
    template = PART_OF_SENTENCE if kind == "part_of" else RELATIONSHIP_SENTENCES[kind]
    return str(template) % {"source": source, "target": target}


class Relationship(models.Model):
    """A typed, dated link between two organisations, with a note and evidence."""

    source = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="relationships_out",
    )
    kind = models.CharField(_("relationship"), max_length=20, choices=RelationshipKind.choices)
    target = models.ForeignKey(
        Organisation,
        verbose_name=_("other organisation"),
        on_delete=models.CASCADE,
        related_name="relationships_in",
    )
    since_year = models.PositiveSmallIntegerField(
        _("since (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = TranslatedField(_("note"), max_length=1000)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    # Said by the source; shown publicly only once the target has accepted it, so no
    # organisation can list itself as another's member or affiliate on its own word.
    confirmed = models.BooleanField(
        _("confirmed by the other organisation"),
        default=False,
        help_text=_("Relationships are shown publicly once the other organisation accepts them."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "since_year", "id"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "target"], name="relationship_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="relationship_not_self"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="relationship_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return relationship_sentence(self.kind, self.source, self.target)


class WorkingGroup(models.Model):
    """A working group of a network, with member organisations and people."""

    network = models.ForeignKey(
        Organisation,
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="working_groups",
    )
    slug = SlugField(_("short address"), max_length=80)
    name = TranslatedField(_("name"), max_length=200, blank=False)
    description = TranslatedField(_("description"), max_length=5000)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=ORIGINAL_LANGUAGE_CHOICES, default="en"
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("member organisations"),
        blank=True,
        related_name="working_group_memberships",
    )
    people = models.ManyToManyField(
        "network.Person", verbose_name=_("members"), blank=True, related_name="working_groups"
    )
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="working_group_unique_slug"),
        ]

    def __str__(self) -> str:
        return pick(self.name, self.original_language).text or self.slug
