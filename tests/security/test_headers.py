"""Headers and session settings: a strict CSP on the site, the admin's additions only
under /admin/, and sessions that end with the browser or after a working day."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import SupervisorFactory

pytestmark = pytest.mark.django_db


def directives(policy):
    """``{"script-src": "'self'", ...}`` from a policy header, whatever the order."""
    pairs = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return dict(pairs)


def test_site_pages_get_the_strict_policy(client, home_page):
    header = client.get(reverse("login"))["Content-Security-Policy"]
    assert "unsafe" not in header
    policy = directives(header)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'self'"


def test_admin_pages_get_only_the_admin_additions(client):
    client.force_login(SupervisorFactory())
    policy = client.get(reverse("wagtailadmin_home"))["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "'unsafe-eval'" not in policy
    assert "object-src 'none'" in policy


def test_sessions_end_with_the_browser_and_after_a_working_day():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_language_cookie_is_not_readable_by_scripts(client, home_page):
    response = client.post(reverse("switch-language"), {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["httponly"]
