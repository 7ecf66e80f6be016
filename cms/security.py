"""What protects the site: its Content-Security-Policy, who a request comes from, and the
limits on logging in and on asking for a new password.

The public site runs no inline script or style at all, so its policy is ``'self'`` only.
The Wagtail admin still writes inline scripts from its widgets and ``style`` attributes
from its editors, so the pages under ``/admin/`` get exactly those additions
(``settings.CSP_ADMIN_ADDITIONS``, which says why each is needed).
"""

import hashlib
import ipaddress
import time

from axes.models import AccessAttempt
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from ipware import get_client_ip

from .models import User


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(reverse("wagtailadmin_home")):
            additions = {**settings.CSP_ADMIN_ADDITIONS, **(parts.update or {})}
            parts.update = additions
        return parts


# No e-mail address is longer (RFC 5321); django-axes stores the name in 255 characters.
LONGEST_ADDRESS = 254


def login_username(request, credentials=None):
    """The address django-axes counts failures for: ``Mette@X.dk`` and ``mette@x.dk`` are one.

    Whatever was typed, it fits the database: cut to the longest address, NUL bytes
    (which PostgreSQL refuses in text) dropped.
    """
    value = (credentials or {}).get("username") or request.POST.get("username") or ""
    return normalise_login(value).replace("\x00", "")[:LONGEST_ADDRESS] or None


def normalise_login(value):
    return User.normalize_username(str(value))


def client_ip(request):
    """The address a request came from, as the first of our own proxies saw it.

    Behind ``TRUSTED_PROXY_COUNT`` proxies that each append the address they were reached
    from to X-Forwarded-For (nginx's ``$proxy_add_x_forwarded_for``, HAProxy's ``forwardfor``,
    cloud load balancers), the client is that many places from the right; whatever stands
    further left the client wrote itself and is not believed. Without proxies, or for a
    request that did not come through them, it is the connection's own address. An IPv6
    address counts as its /64, the block one household or phone is given, so that stepping
    through one's own addresses does not dodge a limit.
    """
    address = None
    if settings.TRUSTED_PROXY_COUNT:
        address, _routable = get_client_ip(
            request,
            # ipware counts the proxies listed after the client; the nearest proxy is not
            # listed, it is the connection's address.
            proxy_count=settings.TRUSTED_PROXY_COUNT - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            # At least that many entries, the client's own ones skipped: a strict count would
            # take every request with a forged header for the proxy's, all in one bucket.
            strict=False,
        )
    try:
        ip = ipaddress.ip_address(address or request.META.get("REMOTE_ADDR"))
    except ValueError:
        return None
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def login_failure_limit(request, credentials=None):
    """How many wrong passwords one address may try for one account before it is paused.

    ``LOGIN_FAILURE_LIMIT`` (django-axes pauses that address and account only, never the
    account for everyone). An account guessed at from many addresses, more than
    ``LOGIN_ACCOUNT_FAILURE_LIMIT`` failures from all of them within the cool-off, gets one
    try per address instead: the guessing slows to a crawl, while its owner, typing the right
    password from an address of their own, still gets in.
    """
    username = login_username(request, credentials)
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    if (failures or 0) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
        return 1
    return settings.LOGIN_FAILURE_LIMIT


def password_reset_limited(request, email):
    """Count a request for a new password; True once its address or its e-mail address has
    asked too often within ``PASSWORD_RESET_LIMIT_WINDOW``.

    Known and unknown e-mail addresses are counted alike, so the answer tells nobody which
    have an account.
    """
    window = settings.PASSWORD_RESET_LIMIT_WINDOW
    by_email = over_limit(
        "reset-email", normalise_login(email), settings.PASSWORD_RESET_LIMIT_PER_EMAIL, window
    )
    by_ip = over_limit(
        "reset-ip", client_ip(request) or "", settings.PASSWORD_RESET_LIMIT_PER_IP, window
    )
    return by_email or by_ip


def over_limit(scope, value, limit, window):
    """Count one more request for ``value``; True once more than ``limit`` came in this window.

    Fixed windows in the shared cache (Redis in production, so every worker counts
    together); the value is hashed, so no e-mail address is written into the cache.
    """
    seconds = int(window.total_seconds())
    digest = hashlib.sha256(value.encode()).hexdigest()
    key = f"limit:{scope}:{digest}:{int(time.time() // seconds)}"
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.set(key, 1, seconds)
        count = 1
    return count > limit
