from django import forms
from django.utils.translation import gettext_lazy as _

from cms.forms import DkfdsForm

from .models import Feedback


class EntryForm(DkfdsForm, forms.Form):
    """The answer fields of one exercise, plus the version the writer started from."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)

    def __init__(self, exercise, family, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.exercise = exercise
        for key, field in exercise.answer_fields(family).items():
            self.fields[f"answer_{key}"] = field

    @property
    def answers(self):
        return {
            name.removeprefix("answer_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("answer_")
        }

    @property
    def base_version(self):
        return self.cleaned_data.get("version") or 0

    @classmethod
    def initial_for(cls, entry):
        if entry is None:
            return {"version": 0}
        return {"version": entry.version} | {
            f"answer_{key}": value for key, value in entry.answers.items()
        }


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "text": {"max_length": _("Keep the feedback under %(limit_value)d characters.")}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False
        self.fields["text"].help_text = _("Leave empty to remove your feedback.")
