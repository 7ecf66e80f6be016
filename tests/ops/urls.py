"""A page that fails, for the error reporting test."""

from django.urls import include, path


def failing(request):
    entry = request.POST.get("entry")  # noqa: F841 - a local variable must not be reported
    raise ZeroDivisionError("a fault")


urlpatterns = [path("fails/", failing), path("", include("cms.portal.urls"))]
