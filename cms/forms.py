"""Forms in DKFDS markup: label, hint, error next to the field, input keeps its value;
and the renderer of every other form (the admin's)."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.utils.translation import gettext_lazy as _

from .tasks import send_password_reset


class DkfdsFormRenderer(TemplatesSetting):
    form_template_name = "forms/dkfds_form.html"
    field_template_name = "forms/dkfds_field.html"
    # DKFDS hides the native radio or checkbox (its class on the input) and draws it on
    # the label that follows; Django's own choice templates put the input inside its
    # label and the class on the list too, which hid every option.
    widget_templates = {
        "django/forms/widgets/radio.html": "forms/dkfds_choices.html",
        "django/forms/widgets/checkbox_select.html": "forms/dkfds_choices.html",
    }

    def get_template(self, template_name):
        return super().get_template(self.widget_templates.get(template_name, template_name))


WIDGET_CLASSES = {
    forms.CheckboxInput: "form-checkbox",
    forms.CheckboxSelectMultiple: "form-checkbox",
    forms.RadioSelect: "form-radio",
    forms.Select: "form-select",
    forms.SelectMultiple: "form-select",
}


class RefusedChoiceBoundField(forms.BoundField):
    """Shows a model choice the form refused as no choice at all.

    Wagtail's choosers (snippets, pages) look the posted value up to show what was chosen;
    a value that is no id (text, a decimal) then failed the whole page instead of showing
    the form with its error. The error stays next to the field.
    """

    def value(self):
        value = super().value()
        if self.form.is_bound and isinstance(self.field, forms.ModelChoiceField) and self.errors:
            try:
                self.field.to_python(value)
            except ValidationError:
                return None
        return value


class FormRenderer(DjangoTemplates):
    """Django's renderer, with refused choices shown as none (``FORM_RENDERER``)."""

    bound_field_class = RefusedChoiceBoundField


class DkfdsBoundField(forms.BoundField):
    """Ties the error message to the input (aria-describedby) and adds DKFDS classes."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = next(
            (c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)), "form-input"
        )
        attrs["class"] = f"{css} {attrs.get('class', '')}".strip()
        described_by = attrs.get("aria-describedby", "").split()
        if self.errors and f"{self.auto_id}_error" not in described_by:
            # Django 5.2 links the error itself; older renderers did not.
            attrs["aria-describedby"] = " ".join([f"{self.auto_id}_error", *described_by])
        return attrs


class DkfdsForm:
    """Mixin for every public form of the site."""

    default_renderer = DkfdsFormRenderer()
    bound_field_class = DkfdsBoundField


class LoginForm(DkfdsForm, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The e-mail address or password is wrong. Capital and small letters matter in the "
            "password; try again."
        ),
        "inactive": _("This account is not active. Contact your municipality."),
    }

    def clean(self):
        """Show a failed login next to the password field, where the person will look."""
        try:
            return super().clean()
        except forms.ValidationError as error:
            self.add_error("password", error)
            return self.cleaned_data


class PasswordResetForm(DkfdsForm, auth_forms.PasswordResetForm):
    def save(self, **kwargs):
        """Queue the e-mail (``cms.tasks.send_password_reset``): the request does the same
        work for a known and an unknown address."""
        send_password_reset.enqueue(self.cleaned_data["email"])


class SetPasswordForm(DkfdsForm, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(DkfdsForm, auth_forms.PasswordChangeForm):
    pass
