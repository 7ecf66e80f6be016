from wagtail import hooks

from .viewsets import OperationsViewSetGroup, register_permission_policies

register_permission_policies()


@hooks.register("register_admin_viewset")
def register_operations_viewsets():
    return OperationsViewSetGroup()
