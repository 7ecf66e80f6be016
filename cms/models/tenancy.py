"""The tenant: a municipality (kommune) is the data controller of its own families.

Every model that holds family data gets a queryset built on ``TenantQuerySet`` so that
staff code asks ``Model.objects.for_user(user)`` and never filters by hand.
"""

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel


class TenantQuerySet(models.QuerySet):
    """A queryset that knows the path from its rows to their municipality.

    Subclasses (or ``as_manager`` users) set ``municipality_path`` to the lookup that
    reaches the municipality, e.g. ``"family__municipality"``.
    """

    municipality_path = "municipality"

    def for_municipality(self, municipality):
        return self.filter(**{self.municipality_path: municipality})

    def for_user(self, user):
        """Rows the user may see as staff: own municipality; superusers see all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.municipality_id is None:
            return self.none()
        return self.filter(**{f"{self.municipality_path}_id": user.municipality_id})

    def pickable(self):
        """Rows a picker may offer for a new link (an erased family is not, for one)."""
        return self

    def municipality_id_of(self, obj):
        """The municipality ``obj`` belongs to, read from the rows on its way there when
        they are loaded (no query), else in one query."""
        *steps, last = self.municipality_path.split("__")
        if last == "pk":
            return obj.pk
        owner = obj
        for step in steps:
            if not owner._meta.get_field(step).is_cached(owner):
                return (
                    self.model._default_manager.filter(pk=obj.pk)
                    .values_list(self.municipality_path, flat=True)
                    .first()
                )
            owner = getattr(owner, step)
            if owner is None:
                return None
        return getattr(owner, f"{last}_id")


def tenant_rows(model):
    """All rows of ``model`` as a ``TenantQuerySet``, or None for national models."""
    rows = model._default_manager.all()
    return rows if isinstance(rows, TenantQuerySet) else None


def tenant_models():
    """Every model whose rows belong to a municipality."""
    return [model for model in apps.get_models() if tenant_rows(model) is not None]


class MunicipalityQuerySet(TenantQuerySet):
    municipality_path = "pk"

    def for_user(self, user):
        if user.is_authenticated and not user.is_superuser:
            return self.filter(pk=user.municipality_id)
        return super().for_user(user)


class Municipality(models.Model):
    """A Danish kommune and its policies for the start-up course."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    emergency_phone = models.CharField(
        _("emergency line (akuttelefon)"),
        max_length=30,
        blank=True,
        help_text=_("A 24/7 phone number for foster families, if the municipality has one."),
    )

    objects = MunicipalityQuerySet.as_manager()
    log_by_name = True  # a municipality's name is public (cms.models.logs)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("emergency_phone"),
            ],
            heading=_("Contact card for families"),
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name
