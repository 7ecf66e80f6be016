from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "cms.operations"
    label = "operations"
    verbose_name = _("Operations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django_tasks.signals import task_enqueued

        from . import checks, wakeup  # noqa: F401 - checks register themselves

        # A queued task wakes the idle workers at once (PostgreSQL NOTIFY, sent on commit).
        task_enqueued.connect(wakeup.task_enqueued, dispatch_uid="operations.wake_workers")
