"""iCalendar (RFC 5545) events for sessions: invitations, cancellations and the feed.

Events carry only the kind of session, its time and place, and a link to log in: no
family, child or note ever goes into a calendar, which may sync to third-party clouds.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

PRODID = "-//Opstart//Supervision//DA"


def login_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("login")


def session_event(session, *, cancelled=False, alarm_before=datetime.timedelta(days=1)):
    event = Event()
    event.add("uid", f"session-{session.pk}@opstart")
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("dtstart", session.start)
    event.add("dtend", session.end)
    event.add("sequence", session.sequence)
    event.add("summary", _("Opstart: %(kind)s") % {"kind": session._meta.verbose_name})
    event.add("location", session.where)
    event.add("description", _("Log in to Opstart for details: %(url)s") % {"url": login_url()})
    event.add("url", login_url())
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("Opstart: %(kind)s") % {"kind": session._meta.verbose_name})
        alarm.add("trigger", -alarm_before)
        event.add_component(alarm)
    return event


def build_calendar(sessions, *, method=None, cancelled=False, name=None):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for session in sessions:
        calendar.add_component(session_event(session, cancelled=cancelled))
    return calendar.to_ical()
