"""/healthz: for the load balancer (any host, plain HTTP) and the operator's monitoring."""

import datetime

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.operations import health
from cms.operations.models import Heartbeat, OutgoingMail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_figures(monkeypatch, settings):
    monkeypatch.setattr(health, "_kept", {"at": 0.0, "figures": None})
    # As in production: only the site's own name, and HTTPS only.
    settings.ALLOWED_HOSTS = ["opstart.example.dk"]
    settings.SECURE_SSL_REDIRECT = True


def alive(kind, process_id):
    Heartbeat.objects.create(process_id=process_id, kind=kind, host="web-a", pid=1)


def probe(client):
    return client.get("/healthz", HTTP_HOST="10.1.2.3:8000")  # by address, over HTTP


def test_a_load_balancer_probe_by_address_over_http_gets_the_figures(
    client, django_assert_num_queries
):
    alive(Heartbeat.Kind.WORKER, "w1")
    alive(Heartbeat.Kind.SCHEDULER, "s1")
    with django_assert_num_queries(4):
        response = probe(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "problems": [],
        "tasks": {"waiting": 0, "oldest_waiting_seconds": None, "running": 0, "failed_last_day": 0},
        "workers": 1,
        "scheduler_seen_seconds_ago": 0,
        "mail": {"waiting": 0, "failed": 0},
    }


def test_a_stuck_queue_and_failed_mail_make_it_degraded_but_still_serving(client, settings):
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="x",
        backend_name="default",
        run_after=timezone.now() - datetime.timedelta(minutes=20),  # due twenty minutes ago
    )
    OutgoingMail.objects.create(
        status=OutgoingMail.Status.FAILED, address="a@example.dk", subject="Hej", message_id="<1@x>"
    )
    response = probe(client)
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "degraded"
    assert report["tasks"]["waiting"] == 1
    assert 1190 <= report["tasks"]["oldest_waiting_seconds"] <= 1210
    assert report["problems"] == [
        f"oldest task has waited {report['tasks']['oldest_waiting_seconds']} s",
        "no task worker alive",
        "no scheduler alive",
        "1 e-mails failed",
    ]


def test_the_cache_away_is_degraded_not_down(client, monkeypatch):
    monkeypatch.setattr(health.cache, "available", lambda: False, raising=False)
    report = probe(client).json()
    assert report["cache"] == "unavailable" and report["status"] == "degraded"


def test_the_database_away_takes_this_host_out_of_the_load_balancer(client, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", refused)
    response = probe(client)
    assert response.status_code == 503
    assert response.json()["status"] == "down"
