"""The Content-Security-Policy: strict on the site, with the Wagtail admin's few allowances.

The public site runs no inline script or style at all, so its policy is ``'self'`` only.
The Wagtail admin still writes inline scripts from its widgets and ``style`` attributes
from its editors, so the pages under ``/admin/`` get exactly those additions
(``settings.CSP_ADMIN_ADDITIONS``, which says why each is needed).
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse


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
    return str(value).strip().lower()
