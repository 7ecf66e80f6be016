"""Admin screens for tenant data: every view of the viewset sees only the user's municipality.

Rows of another municipality answer 404 on every URL (edit, delete, history, usage,
inspect, copy), exactly as if they did not exist, and get no edit link anywhere in the
admin (so a usage list names them only as "private").
"""

from django.http import Http404
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from cms.models.tenancy import tenant_rows


class TenantScopedView:
    """Any view of one object: another municipality's object is not found."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not visible_to(self.request.user, obj):
            raise Http404
        return obj


class TenantScopedIndexView(TenantScopedView):
    """The listing: only the user's municipality's rows. (Other views list other things,
    such as the history view its log entries, and are scoped by their object.)"""

    def get_base_queryset(self):
        return super().get_base_queryset().for_user(self.request.user)


def visible_to(user, obj):
    """Whether ``obj`` is in ``Model.objects.for_user(user)`` (the same rule, read from the
    object: no query when the rows on its way to its municipality are loaded)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    municipality_id = tenant_rows(type(obj)).municipality_id_of(obj)
    return user.municipality_id is not None and municipality_id == user.municipality_id


class TenantAdminURLFinder(ModelAdminURLFinder):
    """No edit link for another municipality's row, so lists that name objects by their
    edit link (the usage view of a national snippet such as a theme) show it as private."""

    def get_edit_url(self, instance):
        if self.user is not None and not visible_to(self.user, instance):
            return None
        return super().get_edit_url(instance)


VIEW_CLASS_ATTRIBUTES = (
    "index_view_class",
    "add_view_class",
    "edit_view_class",
    "delete_view_class",
    "history_view_class",
    "usage_view_class",
    "inspect_view_class",
    "copy_view_class",
)


class TenantViewSetMixin:
    """Wraps each view class of a Wagtail viewset in ``TenantScopedView`` (the index view
    in ``TenantScopedIndexView``)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for attribute in VIEW_CLASS_ATTRIBUTES:
            view_class = getattr(cls, attribute, None)
            if view_class is not None and not issubclass(view_class, TenantScopedView):
                scope = (
                    TenantScopedIndexView if attribute == "index_view_class" else TenantScopedView
                )
                scoped = type(f"Tenant{view_class.__name__}", (scope, view_class), {})
                setattr(cls, attribute, scoped)

    @property
    def url_finder_class(self):
        return type(
            "TenantURLFinder", (TenantAdminURLFinder,), {"edit_url_name": self.get_url_name("edit")}
        )


class TenantModelViewSet(TenantViewSetMixin, ModelViewSet):
    pass


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view" is ever granted, superusers included: no add, edit or delete screen."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


class NoDeletePermissionPolicy(ModelPermissionPolicy):
    """Never grants "delete", superusers included: a family's data leaves only through
    erasure (``cms.portal.privacy.erase_family``), which keeps what the reports count."""

    refused = ("delete",)

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)


class OpenedByPlacementPermissionPolicy(NoDeletePermissionPolicy):
    """Nor "add": a start-up course is opened by registering its placement, for anyone."""

    refused = ("add", "delete")
