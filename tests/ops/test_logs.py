"""Logs as JSON lines with request ids, addresses with secrets logged by their pattern,
and errors reported to a Sentry-compatible service without personal data."""

import io
import json
import logging
import uuid

import pytest
import sentry_sdk
from django_guid.log_filters import CorrelationId
from pythonjsonlogger.json import JsonFormatter
from sentry_sdk.transport import Transport

from cms.operations.errors import start_error_reporting
from cms.operations.logs import logging_config

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """What ``opstart.access`` writes, formatted as the production settings do."""
    options = dict(logging_config(level="INFO", fmt="json", access_log=True)["formatters"]["json"])
    options.pop("()")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(CorrelationId())
    logger = logging.getLogger("opstart.access")
    logger.addHandler(handler)
    level, logger.level = logger.level, logging.INFO
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.level = level


def test_each_request_is_one_json_line_with_the_proxys_request_id(client, home_page, json_lines):
    request_id = uuid.uuid4().hex
    response = client.get("/", HTTP_X_REQUEST_ID=request_id)
    assert response["X-Request-ID"] == request_id
    [line] = json_lines()
    assert line["request_id"] == request_id
    assert (line["level"], line["logger"]) == ("INFO", "opstart.access")
    assert (line["method"], line["path"], line["status"]) == ("GET", "/", 200)
    assert line["duration_ms"] >= 0 and line["time"]


def test_a_request_without_an_id_gets_a_new_one(client, home_page, json_lines):
    response = client.get("/", HTTP_X_REQUEST_ID="not a uuid; DROP TABLE")
    [line] = json_lines()
    assert line["request_id"] == response["X-Request-ID"] != "not a uuid; DROP TABLE"


def test_an_address_holding_a_secret_is_logged_by_its_pattern(client, json_lines):
    client.get("/kalender/the-secret-feed-token.ics")
    [line] = json_lines()
    assert line["path"] == "/kalender/<slug:token>.ics"
    assert "the-secret-feed-token" not in json.dumps(line)


class Captured(Transport):
    events = []

    def capture_envelope(self, envelope):
        event = envelope.get_event()
        if event is not None:
            self.events.append(event)


@pytest.fixture
def error_reports():
    Captured.events = []
    start_error_reporting(
        "https://key@errors.example.dk/1",
        environment="test",
        release="opstart@test",
        transport=Captured,
    )
    yield Captured.events
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: reporting off again


def test_an_error_is_reported_with_its_request_id_and_without_personal_data(
    client, settings, error_reports
):
    settings.ROOT_URLCONF = "tests.ops.urls"
    client.raise_request_exception = False
    client.cookies["sessionid"] = "a-session"
    response = client.post("/fails/", {"entry": "Emil græd hele natten"})
    assert response.status_code == 500
    sentry_sdk.flush()

    [event] = error_reports
    assert event["exception"]["values"][-1]["type"] == "ZeroDivisionError"
    assert event["tags"]["request_id"] == response["X-Request-ID"]
    report = json.dumps(event)
    for personal in ("Emil", "a-session"):  # the body, a local variable, the cookie
        assert personal not in report
    assert "user" not in event
