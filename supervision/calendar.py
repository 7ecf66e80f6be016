"""iCalendar (RFC 5545) events for sessions: invitations, cancellations and the feed.

Events carry only the kind of session, its time and place, and a link to log in: no
family, child or note ever goes into a calendar, which may sync to third-party clouds.

Times are local (``TIME_ZONE``) with the zone's VTIMEZONE, which ``TZID`` needs. An
invitation or cancellation (``METHOD:REQUEST``/``CANCEL``, iTIP, RFC 5546) names its
ORGANIZER and the one ATTENDEE it is sent to, as Outlook requires; the personal feed has
no METHOD and names no one, a plain published calendar. UIDs carry the installation's
host, so two installations never share one.
"""

import datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, vCalAddress

PRODID = "-//Opstart//Supervision//DA"


def login_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("login")


def event_uid(session):
    return f"session-{session.pk}@{urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname}"


def organizer(session):
    """The municipality's contact address, else the first supervisor's (the site's
    sender as a last resort), as the organizer replies would go to."""
    municipality = session.municipality
    supervisor = session.supervisors.exclude(email="").order_by("pk").first()
    email = municipality.contact_email or (supervisor and supervisor.email)
    address = vCalAddress(f"mailto:{email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    address.params["CN"] = municipality.name
    return address


def attendee(user):
    """The person the invitation or cancellation is sent to, by the address it goes to
    and no name (a parent's surname is often the family's); no reply is asked for."""
    address = vCalAddress(f"mailto:{user.email}")
    address.params.update(
        {
            "CUTYPE": "INDIVIDUAL",
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "FALSE",
        }
    )
    return address


def session_event(session, *, cancelled=False, to=None, alarm_before=datetime.timedelta(days=1)):
    """The session as a VEVENT; ``to`` (a user) makes it an iTIP message to them."""
    event = Event()
    event.add("uid", event_uid(session))
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("dtstart", timezone.localtime(session.start))
    event.add("dtend", timezone.localtime(session.end))
    event.add("sequence", session.sequence)
    event.add("summary", _("Opstart: %(kind)s") % {"kind": session._meta.verbose_name})
    event.add("location", session.where)
    event.add("description", _("Log in to Opstart for details: %(url)s") % {"url": login_url()})
    event.add("url", login_url())
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if to is not None:
        event.add("organizer", organizer(session))
        event.add("attendee", attendee(to))
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("Opstart: %(kind)s") % {"kind": session._meta.verbose_name})
        alarm.add("trigger", -alarm_before)
        event.add_component(alarm)
    return event


def build_calendar(sessions, *, method=None, cancelled=False, name=None, to=None):
    """The sessions as an iCalendar file: with ``method`` (REQUEST or CANCEL) an iTIP
    message to the user ``to``, without it a published calendar."""
    if method and to is None:
        raise ValueError("An iTIP message (METHOD) names its attendee.")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    sessions = list(sessions)
    for session in sessions:
        calendar.add_component(session_event(session, cancelled=cancelled, to=to))
    if sessions:
        # Whole years around the events, so the zone carries both its summer and winter time.
        first = min(timezone.localdate(s.start) for s in sessions)
        last = max(timezone.localdate(s.end) for s in sessions)
        calendar.add_missing_timezones(
            datetime.date(first.year, 1, 1), datetime.date(last.year + 1, 1, 1)
        )
    return calendar.to_ical()
