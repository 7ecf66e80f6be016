import pytest

from tests.ops import servers


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server that the e-mail tasks send to; its handler is returned."""
    server = servers.start_smtp()
    settings.OPSTART_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server.handler
    server.stop()


@pytest.fixture
def database_tasks(settings):
    """Tasks queued in the database, as in production, instead of run at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
