from django import forms
from django.utils.translation import gettext_lazy as _

from cms.forms import DkfdsForm


class SearchForm(DkfdsForm, forms.Form):
    q = forms.CharField(label=_("Search the modules and lessons"), max_length=200, required=False)
