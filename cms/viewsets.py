"""Admin screens for tenant data: every view of the viewset sees only the user's municipality.

Rows of another municipality answer 404 on every URL (edit, delete, history, usage,
inspect, copy), exactly as if they did not exist.
"""

from django.http import Http404
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet


class TenantScopedView:
    def get_base_queryset(self):
        return super().get_base_queryset().for_user(self.request.user)

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not self._visible(obj):
            raise Http404
        return obj

    def _visible(self, obj):
        manager = type(obj)._default_manager
        return manager.for_user(self.request.user).filter(pk=obj.pk).exists()


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
    """Wraps each view class of a Wagtail viewset in ``TenantScopedView``."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for attribute in VIEW_CLASS_ATTRIBUTES:
            view_class = getattr(cls, attribute, None)
            if view_class is not None and not issubclass(view_class, TenantScopedView):
                scoped = type(f"Tenant{view_class.__name__}", (TenantScopedView, view_class), {})
                setattr(cls, attribute, scoped)


class TenantModelViewSet(TenantViewSetMixin, ModelViewSet):
    pass


class TenantSnippetViewSet(TenantViewSetMixin, SnippetViewSet):
    pass
