"""Two-factor sign-in: a one-time code from an authenticator app (TOTP, django-otp) after
the password, and one-time recovery codes for a lost phone.

Staff (and superusers) who log in with a password must have it: the first time they set
it up before they are logged in. Families may turn it on (then they are asked too).
People who sign in through an identity provider are never asked here: the provider does
its own multi-factor check.

The person is not logged in (``auth.login``) until the code is right: the login view only
checks the password and keeps the person *pending* in the session (``begin``), so no
page that needs a login is reached on the password alone, whichever login page was used.
"""

import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.models import User
from cms.models.users import STAFF_ROLES

PENDING = "signin_pending"
RECOVERY_CODES = "signin_recovery_codes"
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def requires_two_factor(user):
    """Staff and superusers must use two-factor when they log in with a password."""
    return user.is_superuser or bool(user.roles & STAFF_ROLES)


def has_two_factor(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def asks_second_factor(user):
    return requires_two_factor(user) or has_two_factor(user)


# The pending person: password checked, code not yet.


def begin(request, user, redirect_to):
    """After the right password: log in at once, or hold the person for their code.

    Returns the address to send them to next.
    """
    if not asks_second_factor(user):
        auth.login(request, user, backend=PASSWORD_BACKEND)
        return redirect_to
    # A new session key: a session id planted before the password cannot take over the
    # pending sign-in (and with it the secret shown on the set-up page).
    request.session.cycle_key()
    request.session[PENDING] = {"user": user.pk, "next": redirect_to, "since": time.time()}
    return reverse("signin-code" if has_two_factor(user) else "signin-set-up")


def pending_user(request):
    """The person whose password was right in this session, or None (never begun,
    expired after ``OPSTART_SECOND_FACTOR_TIMEOUT``, or deactivated meanwhile)."""
    pending = request.session.get(PENDING)
    if not pending:
        return None
    if time.time() - pending["since"] > settings.OPSTART_SECOND_FACTOR_TIMEOUT.total_seconds():
        forget(request)
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def forget(request):
    request.session.pop(PENDING, None)


def complete(request, user):
    """Log in the pending person once their code was right; the address to go on to."""
    redirect_to = request.session[PENDING]["next"]
    forget(request)
    auth.login(request, user, backend=PASSWORD_BACKEND)
    return redirect_to


# Limits: wrong codes count with wrong passwords in django-axes (per address and client).


def credentials(user):
    return {"username": user.email}


def locked(request, user):
    return not AxesProxyHandler.is_allowed(request, credentials(user))


def count_failure(request, user):
    """A wrong code is a failed login for django-axes: after ``LOGIN_FAILURE_LIMIT`` (with
    the wrong passwords before it) the address is paused and the middleware answers with
    the lockout page."""
    user_login_failed.send(sender=__name__, credentials=credentials(user), request=request)


# Devices.


def normalise_code(code):
    return "".join(code.split()).replace("-", "").lower()


RECOVERY_CODE_LENGTH = len(StaticToken.random_token())


def verify(user, code):
    """Is ``code`` the authenticator's current code or an unused recovery code? A recovery
    code is used up by this."""
    code = normalise_code(code)
    # A recovery code is 8 base32 characters (five random bytes) and may be all digits; an
    # authenticator's code is shorter.
    model = StaticDevice if len(code) == RECOVERY_CODE_LENGTH else TOTPDevice
    with transaction.atomic():
        # Locked while checked: the same code posted twice at once is taken once.
        devices = model.objects.devices_for_user(user, confirmed=True).select_for_update()
        return any(device.verify_token(code) for device in devices)


def new_authenticator(user):
    """A new, unconfirmed authenticator for the set-up page; earlier unconfirmed ones go."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_authenticator(device, code):
    """Confirm the set-up with a first code: the device replaces any earlier one and a new
    set of recovery codes is made. Returns the recovery codes (shown once), or None when
    the code is wrong."""
    if not device.verify_token(normalise_code(code)):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


def new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.OPSTART_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def reset(*users):
    """Take away every authenticator and recovery code of ``users``: they set up two-factor
    again at their next password login (staff) or sign in without it (families)."""
    TOTPDevice.objects.filter(user__in=users).delete()
    StaticDevice.objects.filter(user__in=users).delete()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
