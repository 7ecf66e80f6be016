"""Composition views: where each role starts, the family dashboard, the language switch."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from courses.models import CourseIndexPage

from . import dashboard, forms
from .models import Role


@login_required
def start(request):
    """Send each role to its own start page after login."""
    user = request.user
    if user.is_foster_parent:
        return redirect("family-dashboard")
    if user.is_trainer and not (user.is_supervisor or user.is_coordinator):
        catalogue = CourseIndexPage.objects.first()
        if catalogue is not None:
            return redirect("wagtailadmin_explore", catalogue.pk)
    if user.has_perm("wagtailadmin.access_admin"):
        return redirect("wagtailadmin_home")
    raise PermissionDenied


@login_required
def family_dashboard(request):
    """Min side: next session, deadlines, planned modules, goals, feedback, contact."""
    if not request.user.has_role(Role.FOSTER_PARENT):
        return redirect("start")
    return render(
        request,
        "cms/family_dashboard.html",
        {"dashboard": dashboard.family_dashboard(request.user)},
    )


@require_POST
def switch_language(request):
    """Remember the chosen language in a cookie and, when logged in, on the profile."""
    language = request.POST.get("language")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
        )
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return response


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("password_change_done")
