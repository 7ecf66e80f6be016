"""Logs an operator can search: JSON lines (``LOG_FORMAT=json``, production's default),
each with the id of the request or task it belongs to.

The id comes from django-guid: a request's ``X-Request-ID`` when the proxy sent a valid
one (so the proxy's log line and ours share it), else a new one; it is returned in the
response's ``X-Request-ID``. A task's log lines carry the task's id
(``cms.operations.worker``). ``AccessLogMiddleware`` writes one line per request
(``ACCESS_LOG``); an address holding a secret (a calendar feed, a password reset link)
is logged by its pattern, never as requested.
"""

import logging
import time

logger = logging.getLogger("opstart.access")


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        path = logged_path(request)
        logger.info(
            "%s %s %s %.1f ms",
            request.method,
            path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


def logged_path(request):
    """The request's path, or its URL pattern when the path carries parameters (the
    parameters of our addresses are ids and tokens; a page's path is just its place)."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.kwargs:
        return "/" + match.route
    return request.path


def logging_config(*, level, fmt, access_log):
    """The ``LOGGING`` setting: every line to standard error, as JSON or plain text."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "django_guid.log_filters.CorrelationId"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
                "rename_fields": {
                    "asctime": "time",
                    "levelname": "level",
                    "name": "logger",
                    "correlation_id": "request_id",
                },
            },
            "text": {
                "format": "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": fmt,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Operations say what they did (a mail retried, a task reclaimed) at INFO.
            "opstart": {"level": "INFO"},
            "opstart.access": {"level": "INFO" if access_log else "WARNING"},
        },
    }
