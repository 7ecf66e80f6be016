"""The access log: who among staff read which family's data, visible to coordinators.

Rows are only ever added. Nobody (superusers included) gets add, change or delete in the
admin (``cms.viewsets.ReadOnlyPermissionPolicy``), and the model and its queryset
refuse updates and deletes. The one exception is ``redact_family``: when a family is
erased, its rows lose the names in their labels and keep everything else. Rows go only
when their municipality is deleted.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantQuerySet


class AccessLogQuerySet(TenantQuerySet):
    def record(self, user, objects, action, family_of):
        """Log one read per object; ``family_of(obj)`` gives the family it belongs to."""
        rows = [
            AccessLog(
                user=user,
                municipality_id=family.municipality_id,
                action=action,
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                family_label=str(family),
                object_label=str(obj)[:200],
            )
            for obj in objects
            for family in [family_of(obj)]
        ]
        return self.bulk_create(rows)

    def redact_family(self, family, subjects):
        """Take an erased family's names out of the labels of the rows about it.

        The only change the log allows, and why: the log must go on saying who read or
        exported what and when, but its labels copied names at the time of reading (the
        family's name, a child's name in "E. (01.03.2026)", an exercise "(Familien
        Hansen)"), and erasure must leave no name behind. So the rows keep their user,
        action, time, object type and id; ``family_label`` becomes the erased family's
        ("Slettet familie 12") and ``object_label`` the object's kind and id
        ("Logbogsindlæg 345"). Nothing is deleted.

        ``subjects`` maps each model to the ids of the family's rows of it; the caller
        (which knows the apps) collects them before erasure deletes any of them.
        """
        for model, ids in subjects.items():
            rows = self.filter(content_type=ContentType.objects.get_for_model(model))
            kind = Value(f"{capfirst(model._meta.verbose_name)} ")
            models.QuerySet.update(
                rows.filter(object_id__in=ids),
                family_label=str(family),
                object_label=Concat(kind, Cast("object_id", models.CharField())),
            )

    def update(self, **kwargs):
        raise TypeError("The access log is append-only.")

    def delete(self):
        raise TypeError("The access log is append-only.")


class AccessLog(models.Model):
    class Action(models.TextChoices):
        READ_SHARED_ENTRY = "read_shared_entry", _("Read a shared logbook entry")
        READ_FAMILY = "read_family", _("Read family data")
        EXPORT = "export", _("Exported data")
        ERASE = "erase", _("Erased a family's personal data")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "cms.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    family_label = models.CharField(_("family"), max_length=200)
    object_label = models.CharField(_("what"), max_length=200)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The access log is append-only.")
