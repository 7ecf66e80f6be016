"""Forms of the custom staff screens and of a person's calendar settings."""

import datetime

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from cms.admin_forms import TenantAdminForm
from cms.forms import DkfdsForm
from courses.models import Theme

from .models import CalendarPreferences, Cohort, EndReason, FosterFamily, StartupCourse

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
]


class PlanCohortYearForm(forms.Form):
    """Pick a cohort, a theme per quarter and the usual weekday, time and place."""

    cohort = forms.ModelChoiceField(Cohort.objects.none(), label=_("Cohort"))
    theme_1 = forms.ModelChoiceField(Theme.objects.all(), label=_("Theme, 1st quarter"))
    theme_2 = forms.ModelChoiceField(Theme.objects.all(), label=_("Theme, 2nd quarter"))
    theme_3 = forms.ModelChoiceField(Theme.objects.all(), label=_("Theme, 3rd quarter"))
    theme_4 = forms.ModelChoiceField(Theme.objects.all(), label=_("Theme, 4th quarter"))
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, label=_("Weekday"), initial=1)
    start_time = forms.TimeField(label=_("Start time"), initial=datetime.time(17, 0))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=8 * 60, initial=120
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    supervisors = forms.ModelMultipleChoiceField(
        get_user_model().objects.none(),
        label=_("Supervisors"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.for_user(user)
        self.fields["cohort"].help_text = _(
            "The sessions are placed in the cohort's year, one in each quarter's middle month."
        )
        self.fields["supervisors"].queryset = get_user_model().objects.for_user(user).supervisors()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("video_link"):
            self.add_error("place", _("Give a place or a video link."))
        return cleaned

    @property
    def themes(self):
        return [self.cleaned_data[f"theme_{number}"] for number in range(1, 5)]


class EndPlacementForm(forms.Form):
    """When and why the child moved on; the service checks the date against the placement."""

    end_date = forms.DateField(label=_("End date"), widget=AdminDateInput)
    end_reason = forms.ChoiceField(
        label=_("Reason"), choices=EndReason.choices, widget=forms.RadioSelect
    )
    cancel_sessions = forms.BooleanField(
        label=_("Cancel the family's own coming sessions after the end date"),
        required=False,
        help_text=_(
            "Sessions with this family alone; everyone in them is told. Group supervisions "
            "of the cohort and sessions with other families are kept. Leave it unticked if "
            "the family goes on, e.g. with another child."
        ),
    )


class CloseCourseForm(forms.Form):
    close_reason = forms.CharField(
        label=_("Reason"),
        max_length=StartupCourse._meta.get_field("close_reason").max_length,
        help_text=StartupCourse._meta.get_field("close_reason").help_text,
    )


PRESENCE = [("present", _("Present")), ("absent", _("Absent"))]


class AttendanceForm(forms.Form):
    """One present/absent choice per expected parent."""

    def __init__(self, *args, parents, recorded, **kwargs):
        super().__init__(*args, **kwargs)
        self.parents = {f"parent_{parent.pk}": parent for parent in parents}
        for name, parent in self.parents.items():
            present = recorded.get(parent.pk)
            self.fields[name] = forms.ChoiceField(
                label=str(parent),
                choices=PRESENCE,
                widget=forms.RadioSelect,
                initial=None if present is None else ("present" if present else "absent"),
            )

    def presence(self):
        return {
            parent: self.cleaned_data[name] == "present" for name, parent in self.parents.items()
        }


class CalendarPreferencesForm(DkfdsForm, forms.ModelForm):
    class Meta:
        model = CalendarPreferences
        fields = ["email_reminders"]


User = get_user_model()


class FamilyForm(TenantAdminForm):
    """The family part of *Register a family* (its parents are ``ParentFormSet``)."""

    class Meta:
        model = FosterFamily
        fields = ["municipality", "name", "family_type", "care_form"]


class ParentForm(forms.Form):
    """One parent: a new account (name and e-mail), or, by choice, the existing foster
    parent of the municipality with that address. An address in use is never taken for
    a new account: it is refused next to the field, saying how to link instead."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=User._meta.get_field("first_name").max_length,
        required=False,
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=User._meta.get_field("last_name").max_length,
        required=False,
    )
    email = forms.EmailField(
        label=_("E-mail address"), max_length=User._meta.get_field("email").max_length
    )
    language = forms.ChoiceField(
        label=_("Language of e-mails"), choices=settings.LANGUAGES, initial="da"
    )
    link_existing = forms.BooleanField(
        label=_("Link the existing foster parent of your municipality with this address"),
        required=False,
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user

    def clean(self):
        data = super().clean()
        email = data.get("email")
        if not email:
            return data
        data["email"] = email = User.normalize_username(email)
        existing = User.objects.filter(email=email).first()
        if data.get("link_existing"):
            linkable = User.objects.foster_parents().for_user(self.for_user)
            if existing is None:
                self.add_error(
                    "email",
                    _("No account has this address. Untick the box to create a new parent."),
                )
            elif not linkable.filter(pk=existing.pk).exists():
                self.add_error(
                    "email",
                    _(
                        "This address belongs to an account that cannot be a foster parent in "
                        "your municipality."
                    ),
                )
            else:
                data["existing"] = existing
        elif existing is not None:
            self.add_error(
                "email",
                _(
                    "An account with this e-mail address already exists. If it is a foster "
                    "parent of your municipality, tick “Link the existing foster parent” to "
                    "add them to this family."
                ),
            )
        else:
            for name in ("first_name", "last_name"):
                if not data.get(name):
                    self.add_error(name, _("Type the parent's name."))
        return data

    def parent(self):
        """What ``services.add_parent`` takes: the user to link, or the new one's data."""
        data = self.cleaned_data
        if data.get("existing"):
            return data["existing"]
        return {key: data[key] for key in ("first_name", "last_name", "email", "language")}


class BaseParentFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError(_("Give at least one parent."))
        seen = set()
        for form in self.forms:
            email = form.cleaned_data.get("email") if form.has_changed() else None
            if email and email in seen:
                form.add_error("email", _("This address is already given for another parent."))
            seen.add(email)

    def parents(self):
        return [form.parent() for form in self.forms if form.has_changed()]


ParentFormSet = forms.formset_factory(
    ParentForm,
    formset=BaseParentFormSet,
    extra=2,
    min_num=0,
    max_num=6,
    validate_max=True,
)
