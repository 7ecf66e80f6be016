from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The composition of the apps: start pages, the family dashboard, privacy, demo data.

    The base ``cms`` app (tenant, users, shared helpers) imports no app; this one sits
    above every app and may import all of them. Nothing below imports it
    (``importlinter`` in ``pyproject.toml`` holds the order in ``make test``).
    """

    name = "cms.portal"
    label = "portal"
    verbose_name = _("Opstart portal")

    def ready(self):
        from . import signals

        signals.connect()
