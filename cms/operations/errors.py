"""Error reporting to Sentry or a Sentry-compatible service (GlitchTip, self-hosted in
the EU) when ``SENTRY_DSN`` is set.

What is sent is kept to the fault (``data_collection``): no user, IP address, cookies or
request headers, no request bodies (a logbook entry is in one), query strings or query
parameters, no local variables of the stack frames (they hold what the code was working
on). Each event
carries the request id of the log lines as its ``request_id`` tag.
"""


def start_error_reporting(dsn, *, environment, release, traces_sample_rate=0.0, transport=None):
    # Imported here: the settings call this, before Django is set up.
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},  # a search may name a family
            "database_query_data": False,  # query parameters carry what was looked up
            "stack_frame_variables": False,
        },
        traces_sample_rate=traces_sample_rate,
        before_send=_tag_request_id,
        transport=transport,
    )


def _tag_request_id(event, hint):
    from django_guid import get_guid

    request_id = get_guid()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event
