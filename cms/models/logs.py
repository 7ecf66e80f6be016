"""Wagtail's audit log for tenant data: each entry knows its municipality, names no one.

Wagtail logs every create, edit and delete made in the admin. Its ``ModelLogEntry`` would
show a family's edits to every user with a permission on families, in every municipality
(*Reports › Site history*), and label each entry with ``str(obj)``: a family's or a
child's name, kept after the family is erased. Tenant models log here instead
(registered in ``cms.wagtail_hooks``): the entry is stamped with the object's
municipality when written, only that municipality's staff (and superusers) see it, and
its label is the kind and number of the object ("Placement 12"), or the name of a
cohort, a session or a municipality.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.models.audit_log import BaseLogEntry, BaseLogEntryManager, LogEntryQuerySet

from .tenancy import tenant_models, tenant_rows


def log_label(obj):
    """The kind and number of ``obj``; its name only where the model says (``log_by_name``)
    that the name holds no personal data (a cohort, a session, a municipality)."""
    if getattr(obj, "log_by_name", False):
        return str(obj)
    return f"{capfirst(obj._meta.verbose_name)} {obj.pk}"


class TenantLogEntryQuerySet(LogEntryQuerySet):
    def with_instances(self):
        """Wagtail's pairs of (entry, object), each object with the rows on its way to its
        municipality, so the tenancy check of each row's edit link costs no query."""
        pairs = list(super().with_instances())
        by_model = defaultdict(list)
        for _entry, obj in pairs:
            if obj is not None:
                by_model[type(obj)].append(obj)
        for model, objects in by_model.items():
            way = tenant_rows(model).municipality_path.rpartition("__")[0]
            if way:
                prefetch_related_objects(objects, way)
        return iter(pairs)


class TenantLogEntryManager(BaseLogEntryManager):
    def get_queryset(self):
        return TenantLogEntryQuerySet(self.model, using=self._db)

    def get_instance_title(self, instance):
        return log_label(instance)

    def log_action(self, instance, action, **kwargs):
        kwargs["title"] = log_label(instance)  # never ``str(obj)``, whoever logs
        kwargs["object_id"] = str(instance.pk)
        kwargs["municipality_id"] = tenant_rows(type(instance)).municipality_id_of(instance)
        return super().log_action(instance, action, **kwargs)

    def viewable_by_user(self, user):
        """Wagtail's rule (some permission on the kind of object) within the user's
        municipality; superusers see every entry, users of no municipality none.

        Wagtail's own implementation keeps the allowed kinds on the user object under one
        name for every log model, so whichever model asks first decides for the others.
        """
        if user.is_superuser:
            return self.all()
        if user.municipality_id is None:
            return self.none()
        permitted = [
            model
            for model in tenant_models()
            if any(
                user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")
                for action in model._meta.default_permissions
            )
        ]
        content_types = ContentType.objects.get_for_models(*permitted, for_concrete_models=False)
        return self.filter(
            municipality_id=user.municipality_id,
            content_type__in=[content_type.pk for content_type in content_types.values()],
        )

    def for_instance(self, instance):
        return self.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_id=str(instance.pk),
        )


class TenantLogEntry(BaseLogEntry):
    """One admin action on a tenant object (a family, a session, a user …)."""

    object_id = models.CharField(max_length=255, db_index=True)
    municipality = models.ForeignKey(
        "cms.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        # None: an entry moved from Wagtail's log whose object was gone, or one about a
        # national account (a trainer, an editor): superusers only.
        null=True,
        blank=True,
        related_name="+",
    )

    objects = TenantLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")

    def __str__(self):
        return f"TenantLogEntry {self.pk}: {self.action} on {self.label}"


LOG_FIELDS = (
    "content_type_id",
    "object_id",
    "action",
    "data",
    "timestamp",
    "uuid",
    "user_id",
    "revision_id",
    "content_changed",
    "deleted",
)


def move_from_wagtail_log(apps, app_label, municipality_paths, by_name=()):
    """For a migration: move Wagtail's ``ModelLogEntry`` rows of an app's tenant models
    here, each stamped with its object's municipality (none when the object is gone) and
    labelled by kind and number (by its old label for the models in ``by_name``).

    ``municipality_paths`` maps a model name to the lookup of its municipality's id.
    """
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    TenantLogEntry = apps.get_model("cms", "TenantLogEntry")
    for model_name, path in municipality_paths.items():
        entries = ModelLogEntry.objects.filter(
            content_type__app_label=app_label, content_type__model=model_name
        )
        if not entries.exists():
            continue
        model = apps.get_model(app_label, model_name)
        ids = {entry.object_id for entry in entries.only("object_id")}
        municipalities = {
            str(pk): municipality_id
            for pk, municipality_id in model._base_manager.filter(pk__in=ids).values_list(
                "pk", path
            )
        }
        kind = capfirst(model._meta.verbose_name)
        TenantLogEntry.objects.bulk_create(
            TenantLogEntry(
                **{field: getattr(entry, field) for field in LOG_FIELDS},
                municipality_id=municipalities.get(entry.object_id),
                label=entry.label if model_name in by_name else f"{kind} {entry.object_id}",
            )
            for entry in entries.iterator()
        )
        entries.delete()
