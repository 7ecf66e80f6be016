"""The admin form of every session kind: tenant-limited choices and the booking rules."""

from django.core.exceptions import ValidationError

from cms.admin_forms import TenantAdminForm


class SessionAdminForm(TenantAdminForm):
    """Adds ``Session.check_bookings`` to model validation.

    The booking rules need the chosen supervisors and families, which a model's
    ``clean`` cannot see before the many-to-many rows are saved; the form has them in
    ``cleaned_data``, so the conflict is shown next to the field that causes it.
    """

    def _post_clean(self):
        super()._post_clean()
        supervisors = self.cleaned_data.get("supervisors")
        if supervisors is None:
            return
        families = self.cleaned_data.get("families") if "families" in self.fields else None
        try:
            self.instance.check_bookings(supervisors, families)
        except ValidationError as error:
            self._update_errors(error)
