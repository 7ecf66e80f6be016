"""Staff screens that compose several apps: erasing a family's personal data."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.models import AccessLog
from supervision.models import FosterFamily

from . import privacy


class EraseFamilyForm(forms.Form):
    """The coordinator types the family's name, so nobody erases the wrong family by a click."""

    family_name = forms.CharField(
        label=gettext_lazy("The family's name"),
        help_text=gettext_lazy("Type the family's name exactly as shown above to confirm."),
        max_length=120,
        error_messages={"required": gettext_lazy("Type the family's name to confirm.")},
    )

    def __init__(self, family, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family

    def clean_family_name(self):
        name = self.cleaned_data["family_name"].strip()
        if name.casefold() != self.family.name.strip().casefold():
            raise forms.ValidationError(
                _("The name does not match this family. Type “%(name)s” to confirm.")
                % {"name": self.family.name}
            )
        return name


def erase_family(request, pk):
    """Confirm (GET, showing what goes and what stays) and erase (POST) a family's data."""
    if not request.user.has_perm("supervision.erase_fosterfamily"):
        raise PermissionDenied
    family = get_object_or_404(FosterFamily.objects.for_user(request.user), pk=pk)
    if family.is_erased:
        messages.info(request, _("This family's personal data has already been erased."))
        return redirect("fosterfamily:index")
    form = EraseFamilyForm(family, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        privacy.erase_family(family, by=request.user)
        messages.success(
            request,
            _("The personal data of %(family)s is erased. The statistics are kept.")
            % {"family": form.cleaned_data["family_name"]},
        )
        return redirect("fosterfamily:index")
    AccessLog.objects.record(
        request.user, [family], AccessLog.Action.READ_FAMILY, family_of=lambda f: f
    )
    return TemplateResponse(
        request,
        "cms/admin/erase_family.html",
        {
            "family": family,
            "summary": privacy.erasure_summary(family),
            "form": form,
            "page_title": _("Erase a family's personal data"),
            "page_subtitle": family.name,
            "header_icon": "bin",
        },
    )
