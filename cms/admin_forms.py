"""Admin forms whose pickers offer only the rows the editor may link."""

from django import forms
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm


class TenantAdminForm(WagtailAdminModelForm):
    """Limits every choice field whose model knows ``for_user`` to the editor's tenant and
    to the rows that may be linked there.

    This is what makes tenancy and roles hold "by form" as well as by URL: a posted id
    outside the choices is not a valid choice and is refused next to the field.

    * A picker offers rows of the editor's municipality that its target calls
      ``pickable()`` (an erased family is not), or, where the form's model names a
      queryset method for the field in ``picker_choices``, the rows of that method
      (``{"parents": "foster_parents"}``). A user picker must be named: users are not
      pickable by default.
    * Rows already linked stay choices while the editor may see them, so a link made
      before (say, to a family since erased) is shown and can be removed.
    * Many-to-many links to rows the editor cannot see (another municipality's) are
      neither shown nor removed: saving the form keeps them.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unseen_links = {}
        if self.for_user is None:
            return
        picker_choices = getattr(self._meta.model, "picker_choices", {})
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or not hasattr(queryset, "for_user"):
                continue
            visible = queryset.for_user(self.for_user)
            offered = getattr(visible, picker_choices.get(name, "pickable"))()
            linked = linked_pks(self.initial.get(name))
            field.queryset = visible.filter(Q(pk__in=offered.values("pk")) | Q(pk__in=linked))
            if isinstance(field, forms.ModelMultipleChoiceField) and linked:
                self.unseen_links[name] = queryset.filter(pk__in=linked).exclude(
                    pk__in=visible.values("pk")
                )
            if field.queryset.model._meta.label == "cms.Municipality":
                self._preselect_only_choice(field)

    def clean(self):
        cleaned_data = super().clean()
        for name, unseen in self.unseen_links.items():
            if name in cleaned_data:
                cleaned_data[name] = [*cleaned_data[name], *unseen]
        return cleaned_data

    def _preselect_only_choice(self, field):
        only = list(field.queryset[:2])
        if len(only) == 1 and not self.instance.pk:
            field.initial = only[0].pk


def linked_pks(initial):
    """The primary keys a field's initial value links to (one object, a pk or several)."""
    if initial is None or initial == "":
        return []
    values = initial if hasattr(initial, "__iter__") and not isinstance(initial, str) else [initial]
    return [getattr(value, "pk", value) for value in values]
