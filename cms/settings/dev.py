"""Local development: debug on, e-mail printed to the console."""

import os

from .base import *  # noqa: F403

DEBUG = True
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
WHITENOISE_AUTOREFRESH = True
