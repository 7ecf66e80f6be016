"""Composition views: where each role starts, the family dashboard, a family's data export,
the language switch."""

import functools

from axes.utils import reset as reset_login_failures
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cms import accounts, forms
from cms.pdf import pdf_response
from cms.security import normalise_login, password_reset_limited
from cms.signin import two_factor
from cms.signin.providers import enabled_providers
from courses.models import CourseIndexPage

from . import privacy
from .dashboard import family_dashboard as dashboard_of


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


def foster_parent_only(view):
    """Log in first; other roles go to their own start page."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_foster_parent:
            return redirect("start")
        return view(request, *args, **kwargs)

    return wrapped


@foster_parent_only
def family_dashboard(request):
    """Min side: next session, deadlines, planned modules, goals, feedback, contact."""
    return render(request, "cms/family_dashboard.html", {"dashboard": dashboard_of(request.user)})


@foster_parent_only
def my_data(request):
    """Mine data: what the platform holds about you, and the downloads of it."""
    return render(request, "cms/my_data.html")


@foster_parent_only
def my_data_json(request):
    data = privacy.family_data(request.user)
    privacy.record_export(request.user)
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="opstart-data.json"'
    return response


@foster_parent_only
def my_data_pdf(request):
    data = privacy.family_data(request.user)
    privacy.record_export(request.user)
    context = {"data": data, "generated_at": data["generated_at"]}
    return pdf_response("cms/my_data_pdf.html", context, request, "opstart-data.pdf")


@require_POST
def switch_language(request):
    """Remember the chosen language in a cookie and, when logged in, on the profile."""
    language = request.POST.get("language")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)  # redirect() would take a word for a view name
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
        )
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return response


class LoginView(auth_views.LoginView):
    """The one login page, for the site and the admin (``/admin/login/`` is this view):
    the password, then (staff, or anyone who turned it on) the second factor before the
    person is logged in (``cms.signin.two_factor``); and the single sign-on buttons."""

    form_class = forms.LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        return HttpResponseRedirect(
            two_factor.begin(self.request, form.get_user(), self.get_success_url())
        )

    def get_context_data(self, **kwargs):
        providers = list(enabled_providers())
        return super().get_context_data(
            **kwargs,
            staff_providers=[provider for provider in providers if provider.for_staff],
            family_providers=[provider for provider in providers if not provider.for_staff],
        )


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once an e-mail address and IP address have failed too often.

    The login page again (also for the admin's login) with the reason and the way out in
    an alert above the form, and 429 Too Many Requests; no password is checked.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = forms.LoginForm(request, initial={"username": request.POST.get("username", "")})
    message = ngettext(
        "Too many failed attempts. For your safety, logging in with this e-mail address is "
        "paused for %(minutes)d minute. Try again later, or set a new password with "
        "“Forgot your password?”.",
        "Too many failed attempts. For your safety, logging in with this e-mail address is "
        "paused for %(minutes)d minutes. Try again later, or set a new password with "
        "“Forgot your password?”.",
        minutes,
    ) % {"minutes": minutes}
    return render(
        request, "registration/login.html", {"form": form, "locked_out": message}, status=429
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        """Queue the e-mail, unless this address or this e-mail address asked too often."""
        if password_reset_limited(self.request, form.cleaned_data["email"]):
            context = self.get_context_data(form=form, limited=True)
            return self.render_to_response(context, status=429)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        """A new password ends a lockout: the person proved they own the address."""
        reset_login_failures(username=normalise_login(form.user.get_username()))
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("password_change_done")


def accept_invitation(request, token):
    """Choose the first password of an invited account (``cms.accounts``). It does not log
    the person in: the login page follows, with its own steps for staff. A used, replaced
    or expired link gets a page that says so and what to do."""
    invitation, problem = accounts.find_invitation(token)
    if problem:
        return render(
            request,
            "registration/invitation_refused.html",
            {"problem": problem},
            status=410 if problem != "unknown" else 404,
        )
    form = forms.SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.accept_invitation(invitation, form.cleaned_data["new_password1"])
        except ValidationError:
            return render(
                request, "registration/invitation_refused.html", {"problem": "accepted"}, status=410
            )
        reset_login_failures(username=normalise_login(invitation.user.get_username()))
        messages.success(request, _("Your password is saved. Log in with your e-mail address."))
        return redirect("login")
    return render(
        request,
        "registration/accept_invitation.html",
        {"form": form, "invited": invitation.user},
    )
