from django import forms
from django.utils.translation import gettext_lazy as _

from cms.forms import DkfdsForm

WRONG_CODE = _(
    "The code is wrong or too old. Type the 6 digits your app shows now, or one of your "
    "recovery codes."
)
WRONG_FIRST_CODE = _(
    "The code is wrong or too old. Check that the app shows Opstart and type the 6 digits "
    "it shows now."
)


class CodeForm(DkfdsForm, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits from your authenticator app, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class FirstCodeForm(CodeForm):
    """Confirms a new authenticator: only the app's code will do."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=20,
        help_text=_("The 6 digits the app shows for Opstart."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
