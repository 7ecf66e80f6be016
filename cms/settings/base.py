"""Settings shared by every environment.

Everything that differs between a laptop and a server is read from the environment:
SQLite and local-memory cache by default, PostgreSQL and Redis when DATABASE_URL and
REDIS_URL are set.
"""

import os
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from cms.operations.errors import start_error_reporting
from cms.operations.logs import logging_config
from cms.operations.storage import LOCAL, media_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "opstart-insecure-development-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "courses",
    "supervision",
    "logbook",
    "cms.portal",
    # Before django_tasks_db: its db_worker command is the one with heartbeats.
    "cms.operations",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "cms.apps.WagtailUsersConfig",  # role groups shown by their label (cms.wagtail_users)
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "polymorphic",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_guid",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
]

MIDDLEWARE = [
    # First: a load balancer probes /healthz by address, over plain HTTP, without cookies.
    "cms.operations.health.HealthCheckMiddleware",
    "django_guid.middleware.guid_middleware",
    "cms.operations.logs.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cms.operations.media.RangeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cms.middleware.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cms.middleware.ProtectedDeletionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.security.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into cms.portal.views.locked_out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"
FORM_RENDERER = "cms.forms.FormRenderer"  # the admin's forms survive a refused chooser value

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Page queries are short: PostgreSQL's JIT compiled longer than they ran (the late and
    # at-risk courses of a 1 000-family municipality spent 90 of 460 ms compiling).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        options="-c jit=off",
        # Parameters bound on the server, and each query shape prepared once per connection
        # after two uses: planning was most of the database time of a family's page (the
        # course status subqueries plan in 2 ms and run in 0.5 ms).
        server_side_binding=True,
        prepare_threshold=2,
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several people and the task worker at once: a writer
    # takes the write lock when its transaction begins and others wait for it (up to 20 s)
    # instead of failing with "database is locked"; readers never wait for a writer (WAL).
    # cms.sqlite compares ids beyond SQLite's 64-bit integers as PostgreSQL does.
    DATABASES["default"]["ENGINE"] = "cms.sqlite"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.5"))  # seconds
    CACHES = {
        "default": {
            # One client per pool (cms.cache); Redis away is a miss, not an error.
            "BACKEND": "cms.operations.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "cms.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes' backend first: it refuses a locked-out username+IP before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"
# Sign-in (cms.signin, docs/architecture.md "Sign-in"): staff who log in with a password
# confirm a one-time code from an authenticator app (TOTP); the first time they set it up.
# Providers of single sign-on (OpenID Connect) are added by superusers in the admin.
OTP_TOTP_ISSUER = "Opstart"
# How long a correct password waits for its code before the person starts again.
OPSTART_SECOND_FACTOR_TIMEOUT = timedelta(minutes=10)
# How many one-time recovery codes a person gets when they set up two-factor.
OPSTART_RECOVERY_CODES = 10
# Discovery documents and key sets of the identity providers are fetched at most this often.
OPSTART_OIDC_METADATA_CACHE = timedelta(hours=1)
OPSTART_OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT_SECONDS", "10"))
# Sessions are read from the cache (Redis in production) and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day; a shared family computer must not stay logged in
# ...and closing the browser logs out too (the server still ends the session after 8 hours).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Who a request comes from (cms.security.client_ip): the address the first of
# TRUSTED_PROXY_COUNT proxies in front of the site saw, read from X-Forwarded-For counting
# from the right; with none, the connection's own address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Login throttling (django-axes): five wrong passwords for one e-mail address from one IP
# address pause logging in for that pair, and only that pair, for 15 minutes. An account
# guessed at from many addresses (more than LOGIN_ACCOUNT_FAILURE_LIMIT failures in all)
# gets one try per address instead (cms.security.login_failure_limit). A correct login, or
# setting a new password through "Forgot your password?", clears the count.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
AXES_FAILURE_LIMIT = "cms.security.login_failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "cms.security.login_username"
AXES_CLIENT_IP_CALLABLE = "cms.security.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cms.portal.views.locked_out"
AXES_VERBOSE = False

# Asking for a new password (cms.portal.views.PasswordResetView): at most this many requests
# per e-mail address and per client address in a window; the e-mail goes out from a task.
PASSWORD_RESET_LIMIT_PER_EMAIL = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_EMAIL", "3"))
PASSWORD_RESET_LIMIT_PER_IP = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_IP", "20"))
PASSWORD_RESET_LIMIT_WINDOW = timedelta(hours=1)

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "assets" / "build"]
# Media on local disk, or on S3-compatible storage when a bucket is named: the way for
# several web hosts (cms.operations.storage and .media).
MEDIA_STORAGE, MEDIA_ORIGINS = media_storage(os.environ)
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Django serves image files from local disk under MEDIA_URL unless a proxy does.
OPSTART_SERVE_MEDIA = os.environ.get("SERVE_MEDIA", "1" if MEDIA_STORAGE is LOCAL else "0") == "1"

# Content-Security-Policy (django-csp, cms.security): nothing inline, nothing from elsewhere
# but video embeds and, when media live on object storage, its address (CSP_MEDIA_ORIGINS,
# the bucket's own included).
VIDEO_EMBED_ORIGINS = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
CSP_MEDIA_ORIGINS = [*env_list("CSP_MEDIA_ORIGINS"), *MEDIA_ORIGINS]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *CSP_MEDIA_ORIGINS],
        "media-src": [SELF, *CSP_MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF, *VIDEO_EMBED_ORIGINS],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],  # the admin's live preview frames the site itself
    }
}
# What the Wagtail admin needs on top, under /admin/ only. Wagtail 8 still writes inline
# <script> from widget templates that never see the request (date and time pickers,
# InlinePanel, MultipleChooserPanel, chooser widgets, the workflow dialog), so they cannot
# carry a nonce; its editors set style attributes; image uploads preview from blob: URLs.
# Everything the admin shows from users is escaped (plain text) or cleaned by
# cms.sanitising (rich text).
CSP_ADMIN_ADDITIONS = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}
# Staff avatars are not sent to a third party (Gravatar) for hashing their e-mail address.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
# English dates as "1 March 2027" (Django's own "en" is American); Danish is Django's.
FORMAT_MODULE_PATH = ["cms.formats"]
# The project's own strings first; then the Danish of the installed packages (Wagtail's own
# covers a fifth of its admin), which overrides their catalogues (tests.i18n.vendor_catalogue).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# Every e-mail is written to the database and sent by a task (cms.operations.mail); the
# transport that task uses is EMAIL_BACKEND of the environment (SMTP by default).
EMAIL_BACKEND = "cms.operations.mail.OutboxBackend"
OPSTART_EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))  # a hung server holds a mail's lock
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Opstart <noreply@opstart.dk>")

TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


def seconds(name, default):
    return timedelta(seconds=float(os.environ.get(name, default)))


# Task workers (cms.operations.worker): a heartbeat every `heartbeat`; a task running on a
# worker silent for `heartbeat_timeout` is queued again; an idle worker looks for due
# tasks at least every `max_idle` (on PostgreSQL a new task wakes it at once).
OPSTART_WORKER = {
    "heartbeat": seconds("WORKER_HEARTBEAT_SECONDS", 10),
    "heartbeat_timeout": seconds("WORKER_HEARTBEAT_TIMEOUT_SECONDS", 60),
    "max_idle": seconds("WORKER_MAX_IDLE_SECONDS", 60),
}
# A task failing with a transient error (database, Redis, network) runs again after
# `backoff`, doubling up to `max_backoff`, at most `attempts` runs in all.
OPSTART_TASK_RETRY = {
    "attempts": 5,
    "backoff": seconds("TASK_RETRY_SECONDS", 10),
    "max_backoff": timedelta(minutes=10),
}
# An e-mail the mail server did not take is tried again after `backoff`, doubling up to
# `max_backoff`, `attempts` times in all (about seven hours), then listed as failed.
# Waiting e-mail overdue by `stalled_after` is queued again (a lost task).
OPSTART_MAIL_RETRY = {
    "attempts": 12,
    "backoff": seconds("MAIL_RETRY_SECONDS", 30),
    "max_backoff": timedelta(hours=1),
    "stalled_after": timedelta(minutes=5),
}
# Periodic jobs, queued by `manage.py run_scheduler` (cms.operations.scheduler): each runs
# once per moment its cron expression names, in TIME_ZONE, however many schedulers run.
OPSTART_SCHEDULE = {
    "publish-scheduled-pages": {
        "task": "cms.operations.tasks.publish_scheduled_pages",
        "cron": "* * * * *",
    },
    "requeue-stalled-mail": {
        "task": "cms.operations.tasks.requeue_stalled_mail",
        "cron": "*/5 * * * *",
    },
    "enforce-retention": {"task": "logbook.tasks.enforce_retention", "cron": "0 3 * * *"},
    "prune-sessions": {"task": "cms.operations.tasks.prune_sessions", "cron": "10 3 * * *"},
    "prune-task-results": {
        "task": "cms.operations.tasks.prune_task_results",
        "cron": "20 3 * * *",
    },
    "prune-login-logs": {"task": "cms.operations.tasks.prune_login_logs", "cron": "30 3 * * *"},
    "prune-operations-records": {
        "task": "cms.operations.tasks.prune_operations_records",
        "cron": "40 3 * * *",
    },
}
# How long records of operations are kept (the pruning jobs above).
OPSTART_KEEP = {
    "task_results": timedelta(days=7),
    "failed_task_results": timedelta(days=30),
    "login_logs": timedelta(days=30),
    "outgoing_mail": timedelta(days=30),
    "scheduled_runs": timedelta(days=30),
    "heartbeats": timedelta(days=1),
}
# /healthz calls the site degraded when the oldest ready task has waited this long.
OPSTART_HEALTH = {"task_delay": seconds("HEALTH_TASK_DELAY_SECONDS", 300)}

WAGTAIL_SITE_NAME = "Opstart"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# The admin's own reset would dodge the limits and the task of ours; the admin's login is
# the site's login page (cms.portal.urls), which links ours.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search_backend"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Uploads are checked by content (cms.uploads): images re-encoded by Pillow, documents
# (videos and captions of lessons among them) checked against the kind their name claims.
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("IMAGE_MAX_UPLOAD_MB", "10")) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000  # larger is refused: a decompression bomb
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.uploads.ImageForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "vtt", "mp4", "webm"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.uploads.DocumentForm"
OPSTART_DOCUMENT_MAX_UPLOAD_SIZE = (
    int(os.environ.get("DOCUMENT_MAX_UPLOAD_MB", "500")) * 1024 * 1024
)  # lesson videos are documents too
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Logs (cms.operations.logs): JSON lines with LOG_FORMAT=json (production's default),
# each with its request id; ACCESS_LOG=1 adds a line per request.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = logging_config(
    level=os.environ.get("LOG_LEVEL", "WARNING"),
    fmt=LOG_FORMAT,
    access_log=os.environ.get("ACCESS_LOG", "0") == "1",
)
# The request id: the proxy's X-Request-ID when it is a valid UUID, else a new one.
DJANGO_GUID = {"GUID_HEADER_NAME": "X-Request-ID", "RETURN_HEADER": True}

# Errors reported to Sentry or a compatible service (GlitchTip) when a DSN is given.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    start_error_reporting(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=f"opstart@{version('opstart')}",
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Reminder e-mails go out this long before each session (supervision.tasks).
OPSTART_REMINDER_OFFSETS = [timedelta(days=7), timedelta(days=1)]

# How long shares wait to be sent together in one e-mail to the consultant.
OPSTART_SHARE_DIGEST_DELAY = timedelta(minutes=int(os.environ.get("SHARE_DIGEST_MINUTES", "15")))

# How long the link of an invitation to a new account works (cms.accounts).
OPSTART_INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "7"))
