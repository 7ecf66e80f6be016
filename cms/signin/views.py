"""The steps of signing in after the password (the login view is ``cms.portal.views``):
the code, setting up an authenticator, the recovery codes; a person's own two-factor
page; and single sign-on's start and return."""

import functools
import logging
from base64 import b32encode

import requests
import segno
from authlib.common.errors import AuthlibBaseError
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice
from joserfc.errors import JoseError

from . import providers, two_factor
from .forms import WRONG_CODE, WRONG_FIRST_CODE, CodeForm, FirstCodeForm

log = logging.getLogger(__name__)

SET_UP = "signin_set_up"  # the authenticator being set up by a logged-in person
SSO_NEXT = "signin_sso_next"
RECOVERY_NEXT = "signin_recovery_next"


def pending_required(view):
    """Only for a person whose password was right in this session; else log in again."""

    @never_cache
    @sensitive_post_parameters("code")
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        user = two_factor.pending_user(request)
        if user is None:
            messages.info(request, _("Please log in again."))
            return redirect("login")
        return view(request, user, *args, **kwargs)

    return wrapped


def lockout(request, user):
    two_factor.forget(request)
    return get_lockout_response(request, None, two_factor.credentials(user))


@pending_required
def enter_code(request, user):
    """The second step of a password login for a person with two-factor."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.locked(request, user):
            return lockout(request, user)
        if two_factor.verify(user, form.cleaned_data["code"]):
            return redirect(two_factor.complete(request, user))
        two_factor.count_failure(request, user)
        form.add_error("code", WRONG_CODE)
    return render(request, "registration/two_factor_code.html", {"form": form})


@pending_required
def set_up_at_login(request, user):
    """Staff without an authenticator set one up before they are logged in."""
    if two_factor.has_two_factor(user):
        # Set up already: a password alone never replaces an authenticator.
        return redirect("signin-code")
    pending = request.session[two_factor.PENDING]

    def keep(device):
        pending["device"] = device.pk
        request.session.modified = True

    def finish(codes):
        redirect_to = two_factor.complete(request, user)
        return show_recovery_codes(request, codes, redirect_to)

    return set_up_authenticator(request, user, pending.get("device"), keep, finish)


@login_required
@never_cache
@sensitive_post_parameters("code")
def set_up(request):
    """A logged-in person turns two-factor on (families, on their own page)."""
    user = request.user

    def keep(device):
        request.session[SET_UP] = device.pk

    def finish(codes):
        request.session.pop(SET_UP, None)
        return show_recovery_codes(request, codes, reverse("two-factor"))

    return set_up_authenticator(request, user, request.session.get(SET_UP), keep, finish)


def set_up_authenticator(request, user, device_id, keep, finish):
    """Show a new authenticator's QR code and key; a right first code confirms it."""
    device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        device = two_factor.new_authenticator(user)
        keep(device)
    form = FirstCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.locked(request, user):
            return lockout(request, user)
        codes = two_factor.confirm_authenticator(device, form.cleaned_data["code"])
        if codes is not None:
            return finish(codes)
        two_factor.count_failure(request, user)
        form.add_error("code", WRONG_FIRST_CODE)
    key = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
        "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "required": two_factor.requires_two_factor(user),
    }
    return render(request, "registration/two_factor_set_up.html", context)


def show_recovery_codes(request, codes, redirect_to):
    """The codes are shown once, on the next page, and then forgotten."""
    request.session[two_factor.RECOVERY_CODES] = codes
    request.session[RECOVERY_NEXT] = redirect_to
    return redirect("recovery-codes")


@login_required
@never_cache
def recovery_codes(request):
    codes = request.session.pop(two_factor.RECOVERY_CODES, None)
    redirect_to = request.session.pop(RECOVERY_NEXT, None) or reverse("start")
    if not codes:
        return redirect(redirect_to)
    return render(
        request, "registration/recovery_codes.html", {"codes": codes, "next": redirect_to}
    )


@login_required
@never_cache
@sensitive_post_parameters("code")
def own_two_factor(request):
    """A person's own two-factor page: on or off, recovery codes left, new ones; families
    may turn it off again (staff may not: they must use it)."""
    user = request.user
    enabled = two_factor.has_two_factor(user)
    form = CodeForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST" and enabled and form.is_valid():
        if two_factor.locked(request, user):
            return lockout(request, user)
        if two_factor.verify(user, form.cleaned_data["code"]):
            if action == "codes":
                codes = two_factor.new_recovery_codes(user)
                return show_recovery_codes(request, codes, reverse("two-factor"))
            if action == "off" and not two_factor.requires_two_factor(user):
                two_factor.reset(user)
                messages.success(request, _("Two-factor login is turned off."))
                return redirect("two-factor")
        else:
            two_factor.count_failure(request, user)
            form.add_error("code", WRONG_CODE)
    context = {
        "form": form,
        "enabled": enabled,
        "required": two_factor.requires_two_factor(user),
        "codes_left": two_factor.recovery_codes_left(user) if enabled else 0,
    }
    return render(request, "registration/two_factor.html", context)


# Single sign-on.


def safe_next(request):
    redirect_to = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        redirect_to, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect_to
    return reverse(settings.LOGIN_REDIRECT_URL)


# What a provider that is away, misconfigured or tampered with raises.
SSO_ERRORS = (AuthlibBaseError, JoseError, requests.RequestException, KeyError, ValueError)


def refused(request, message, status):
    return render(request, "registration/sso_refused.html", {"message": message}, status=status)


@never_cache
def sso_start(request, slug):
    provider = get_object_or_404(providers.enabled_providers(), slug=slug)
    app = providers.client(provider)
    request.session[SSO_NEXT] = safe_next(request)
    callback = request.build_absolute_uri(reverse("sso-callback", args=[slug]))
    try:
        response = app.authorize_redirect(request, callback)
    except SSO_ERRORS:
        log.warning("Sign-in through %s could not start", provider.slug, exc_info=True)
        return refused(request, providers.FAILED, 502)
    providers.remember_metadata(provider, app)
    return response


@never_cache
def sso_callback(request, slug):
    """The provider sends the person back: check everything, find the account, log in."""
    provider = get_object_or_404(providers.enabled_providers(), slug=slug)
    app = providers.client(provider)
    try:
        token = app.authorize_access_token(request)
        if not token.get("userinfo"):  # no ID token, so nothing signed says who this is
            raise ValueError("The provider sent no ID token")
        claims = dict(token["userinfo"])
        if "email" not in claims:
            userinfo = app.userinfo(token=token)
            if userinfo.get("sub") != claims["sub"]:
                raise ValueError("The userinfo answer is about someone else")
            claims = {**userinfo, **claims}
        user = providers.find_account(provider, claims)
    except providers.Refused as refusal:
        log.info("Sign-in through %s refused: %s", provider.slug, refusal.reason)
        return refused(request, refusal.message, 403)
    except SSO_ERRORS:
        log.warning("Sign-in through %s failed", provider.slug, exc_info=True)
        return refused(request, providers.FAILED, 400)
    providers.remember_metadata(provider, app)
    redirect_to = request.session.pop(SSO_NEXT, None) or reverse(settings.LOGIN_REDIRECT_URL)
    two_factor.forget(request)
    auth.login(request, user, backend=two_factor.PASSWORD_BACKEND)
    return redirect(redirect_to)
