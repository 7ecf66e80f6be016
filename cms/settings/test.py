"""Test runs: fast hashing, mail kept in memory, tasks run at once unless a test says not."""

from .base import *  # noqa: F403

SECRET_KEY = "opstart-test-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django's test runner replaces EMAIL_BACKEND by locmem; tests/conftest.py puts the outbox
# back, so that e-mail goes through it as in production and lands in mail.outbox.
OPSTART_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = BASE_DIR / "build" / "test-media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_AUTOREFRESH = True
# Tasks (search index updates among them) run at once, so a test sees their effect.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"] == "cms.sqlite":  # noqa: F405
    # In memory, one database per pytest-xdist worker (pytest-django recognises only
    # Django's own engine name as SQLite and would otherwise make a file name of the path).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405

# django-otp's own pause after a wrong code (1, 2, 4… s) would slow the tests down;
# tests/signin switches it back on where it is tested. django-axes' limit stays.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
