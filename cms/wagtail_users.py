"""Wagtail's user admin with the role groups named in the reader's language.

The role groups keep their English names, which the code looks up (``cms.models.Role``);
``cms.roles.group_label`` gives staff the role's label wherever Wagtail shows a group by
``str()`` (user forms, filters, workflow tasks), and this group list shows it too, where
Wagtail would print the stored name.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import TitleColumn
from wagtail.users.views import groups

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
