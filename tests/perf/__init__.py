"""Benchmarks at national scale: ``seed_scale`` fills PostgreSQL, ``load`` measures gunicorn.

Neither module is collected by pytest (``python_files = test_*.py``). Both run against
the production settings on PostgreSQL and Redis; ``configure()`` fills in what a local
HTTP run needs through the environment, without touching the production defaults.
"""

import os
import secrets

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/opstart_perf"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"


def configure():
    """Set the environment of a perf run (inherited by gunicorn) and set Django up."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
    # One key per run: the load script signs the session cookies gunicorn then reads.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    # Nothing leaves the machine: seed_demo's invitations go nowhere.
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        raise SystemExit("The perf run needs PostgreSQL: set DATABASE_URL=postgres://...")
    import django

    django.setup()
