"""A real OpenID provider for the tests (django-oidc-provider), a Django project of its
own: its own SQLite database (``OP_DB``) and address (``OP_URL``), started in a second
process by ``tests.oidc.server``. Never part of the site."""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECRET_KEY = "opstart-test-provider"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["OP_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
# The site under test runs on the same machine: cookies of their own names, so the two
# never overwrite each other's session.
SESSION_COOKIE_NAME = "op_sessionid"
CSRF_COOKIE_NAME = "op_csrftoken"
LOGIN_URL = "/login/"
SITE_URL = os.environ["OP_URL"]
OIDC_USERINFO = "tests.oidc.claims.userinfo"
OIDC_IDTOKEN_INCLUDE_CLAIMS = True
