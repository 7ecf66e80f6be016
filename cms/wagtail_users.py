"""Wagtail's user admin (superusers only) with the role groups named in the reader's
language, and a user's municipality and language in its forms.

The role groups keep their English names, which the code looks up (``cms.models.Role``);
``cms.roles.group_label`` gives staff the role's label wherever Wagtail shows a group by
``str()`` (user forms, filters, workflow tasks), and this group list shows it too, where
Wagtail would print the stored name.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import TitleColumn
from wagtail.users import forms as user_forms
from wagtail.users.views import groups, users

from .roles import group_label


class GroupIndexView(groups.IndexView):
    columns = [
        TitleColumn(
            "name",
            accessor=group_label,
            label=_("Name"),
            sort_key="name",
            url_name="wagtailusers_groups:edit",
        ),
    ]


class GroupViewSet(groups.GroupViewSet):
    index_view_class = GroupIndexView


PERSON_FIELDS = {"municipality", "language"}


class UserCreationForm(user_forms.UserCreationForm):
    class Meta(user_forms.UserCreationForm.Meta):
        fields = user_forms.UserCreationForm.Meta.fields | PERSON_FIELDS


class UserEditForm(user_forms.UserEditForm):
    class Meta(user_forms.UserEditForm.Meta):
        fields = user_forms.UserEditForm.Meta.fields | PERSON_FIELDS


class UserViewSet(users.UserViewSet):
    """A superuser sets a user's municipality and language too (staff of a municipality
    are made in *Staff* by its coordinator, with an invitation: ``cms.accounts_admin``)."""

    create_template_name = "cms/admin/wagtail_user_create.html"
    edit_template_name = "cms/admin/wagtail_user_edit.html"

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm
