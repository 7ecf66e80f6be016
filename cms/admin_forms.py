"""Admin forms that never offer another municipality's rows in a choice field."""

from wagtail.admin.forms import WagtailAdminModelForm


class TenantAdminForm(WagtailAdminModelForm):
    """Limits every choice field whose model knows ``for_user`` to the editor's tenant.

    This is what makes tenancy hold "by form" as well as by URL: a posted id of another
    municipality's family or user is not a valid choice and is refused next to the field.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "for_user"):
                field.queryset = queryset.for_user(self.for_user)
                if field.queryset.model._meta.label == "cms.Municipality":
                    self._preselect_only_choice(field)

    def _preselect_only_choice(self, field):
        only = list(field.queryset[:2])
        if len(only) == 1 and not self.instance.pk:
            field.initial = only[0].pk
