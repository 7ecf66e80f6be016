"""``/healthz``: what the load balancer and an operator's monitoring ask.

Answered by a middleware placed first, before the host check, the HTTPS redirect and
sessions: a load balancer probes a backend by its address, over plain HTTP, without a
cookie. The answer is JSON:

- ``status``: ``ok``; ``degraded`` when something needs an operator but this host can
  serve (the cache is away, tasks wait too long, no worker or scheduler is alive,
  e-mail or tasks failed); ``down`` when the database does not answer. Only ``down``
  is HTTP 503: the cache or the queue are shared, and taking every host out of the
  load balancer for them would stop a site that can still serve.
- ``database``, ``cache``: ``ok`` or ``unavailable``.
- ``tasks``: ready tasks waiting, the age of the oldest, running tasks, tasks failed in
  the last day; ``workers`` alive and seconds since the ``scheduler`` was last heard.
- ``mail``: e-mail waiting and failed.
- ``problems``: the reasons for ``degraded``, in words.

The queue figures are counted at most every ``QUEUE_FIGURES_KEPT`` seconds per process
(a load balancer asks every few seconds); the database is asked each time.
"""

import datetime
import json
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Max, Min, Q, When
from django.http import HttpResponse
from django.utils import timezone
from django_tasks import TaskResultStatus

from .models import Heartbeat, OutgoingMail

QUEUE_FIGURES_KEPT = 5.0
_kept = {"at": 0.0, "figures": None}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz" and request.method in ("GET", "HEAD"):
            return healthz()
        return self.get_response(request)


def healthz():
    report = health_report()
    response = HttpResponse(
        json.dumps(report),
        content_type="application/json",
        status=503 if report["status"] == "down" else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


def health_report(now=None):
    now = now or timezone.now()
    report = {"status": "ok", "database": "ok", "cache": "ok", "problems": []}
    available = getattr(cache, "available", None)
    if available is not None and not available():
        report["cache"] = "unavailable"
        report["problems"].append("cache unavailable: pages are served from the database")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report.update(_queue_figures(now))
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        report["database"] = "unavailable"
        report["status"] = "down"
        report["problems"].insert(0, "database unavailable")
        return report
    report["problems"] += _queue_problems(report)
    if report["problems"]:
        report["status"] = "degraded"
    return report


def _queue_figures(now):
    if _kept["figures"] is not None and time.monotonic() - _kept["at"] < QUEUE_FIGURES_KEPT:
        return _kept["figures"]
    from django_tasks_db.models import DBTaskResult, get_date_max

    waiting = Q(status=TaskResultStatus.READY) & (
        Q(run_after=get_date_max()) | Q(run_after__lte=now)
    )
    tasks = DBTaskResult.objects.aggregate(
        waiting=Count("pk", filter=waiting),
        # waiting since queued, or since due for a deferred task
        oldest=Min(
            Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")),
            filter=waiting,
        ),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        failed=Count(
            "pk",
            filter=Q(
                status=TaskResultStatus.FAILED,
                finished_at__gte=now - datetime.timedelta(days=1),
            ),
        ),
    )
    alive = now - settings.OPSTART_WORKER["heartbeat_timeout"]
    processes = Heartbeat.objects.aggregate(
        workers=Count("pk", filter=Q(kind=Heartbeat.Kind.WORKER, seen_at__gte=alive)),
        scheduler=Max("seen_at", filter=Q(kind=Heartbeat.Kind.SCHEDULER)),
    )
    mail = OutgoingMail.objects.aggregate(
        waiting=Count("pk", filter=Q(status=OutgoingMail.Status.PENDING)),
        failed=Count("pk", filter=Q(status=OutgoingMail.Status.FAILED)),
    )
    figures = {
        "tasks": {
            "waiting": tasks["waiting"],
            "oldest_waiting_seconds": _seconds_since(tasks["oldest"], now),
            "running": tasks["running"],
            "failed_last_day": tasks["failed"],
        },
        "workers": processes["workers"],
        "scheduler_seen_seconds_ago": _seconds_since(processes["scheduler"], now),
        "mail": mail,
    }
    _kept.update(at=time.monotonic(), figures=figures)
    return figures


def _queue_problems(report):
    limits = settings.OPSTART_HEALTH
    tasks = report["tasks"]
    problems = []
    if (tasks["oldest_waiting_seconds"] or 0) > limits["task_delay"].total_seconds():
        problems.append(f"oldest task has waited {tasks['oldest_waiting_seconds']} s")
    if report["workers"] == 0:
        problems.append("no task worker alive")
    seen = report["scheduler_seen_seconds_ago"]
    if seen is None or seen > settings.OPSTART_WORKER["heartbeat_timeout"].total_seconds():
        problems.append("no scheduler alive")
    if tasks["failed_last_day"]:
        problems.append(f"{tasks['failed_last_day']} tasks failed in the last day")
    if report["mail"]["failed"]:
        problems.append(f"{report['mail']['failed']} e-mails failed")
    return problems


def _seconds_since(moment, now):
    return None if moment is None else max(0, round((now - moment).total_seconds()))
