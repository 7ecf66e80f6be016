"""Production: everything secret comes from the environment; HTTPS only."""

import os

from django.core.exceptions import ImproperlyConfigured

from cms.operations.logs import logging_config

from .base import *  # noqa: F403

DEBUG = False
if SECRET_KEY.startswith("opstart-insecure"):  # noqa: F405
    raise ImproperlyConfigured("Set SECRET_KEY in the environment for production.")
if "REDIS_URL" not in os.environ:
    # Each worker would keep its own cache, and a change made in one would never reach
    # the sessions and the outline of the others.
    raise ImproperlyConfigured("Set REDIS_URL in the environment for production.")

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# Behind the proxy every connection comes from the proxy: the client's address is read from
# X-Forwarded-For, counting TRUSTED_PROXY_COUNT proxies from the right (cms.security.client_ip).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views override it to SAMEORIGIN

# One JSON line per event and per request, for the log collector (cms.operations.logs).
LOGGING = logging_config(
    level=os.environ.get("LOG_LEVEL", "WARNING"),
    fmt=os.environ.get("LOG_FORMAT", "json"),
    access_log=os.environ.get("ACCESS_LOG", "1") == "1",
)
