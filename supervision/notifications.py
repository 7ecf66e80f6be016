"""E-mails about sessions: invitation, change, cancellation and reminder.

Each goes out in the recipient's language and says only what kind of session, when and
where, and to log in; the .ics attachment says the same. Names of families or children
and any notes stay inside the platform (DOMAIN.md: notifications carry no content).
"""

from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .calendar import build_calendar, login_url

INVITATION = "invitation"
CHANGE = "change"
CANCELLATION = "cancellation"
REMINDER = "reminder"


def _subject(kind, session):
    what = session._meta.verbose_name
    return {
        INVITATION: _("Invitation: %(what)s on %(date)s"),
        CHANGE: _("Changed: %(what)s now on %(date)s"),
        CANCELLATION: _("Cancelled: %(what)s on %(date)s"),
        REMINDER: _("Reminder: %(what)s on %(date)s"),
    }[kind] % {"what": what, "date": date_format(timezone.localtime(session.start))}


def _body(kind, session):
    start = timezone.localtime(session.start)
    lead = {
        INVITATION: _("You are invited to a session."),
        CHANGE: _("The time or place of your session has changed."),
        CANCELLATION: _("Your session has been cancelled."),
        REMINDER: _("This is a reminder of your session."),
    }[kind]
    when = _("%(what)s on %(date)s at %(time)s, %(place)s.") % {
        "what": session._meta.verbose_name.capitalize(),
        "date": date_format(start, "WEEKDAY_DATE_FORMAT"),
        "time": date_format(start, "TIME_FORMAT"),
        "place": session.where,
    }
    details = _("Log in to Opstart for details: %(url)s") % {"url": login_url()}
    return f"{lead}\n\n{when}\n\n{details}\n"


def session_message(kind, session, user):
    """The e-mail to ``user`` about ``session``, in the user's language."""
    with translation.override(user.language):
        cancelled = kind == CANCELLATION
        message = EmailMessage(_subject(kind, session), _body(kind, session), to=[user.email])
        message.attach(
            "opstart.ics",
            build_calendar(
                [session],
                method="CANCEL" if cancelled else "REQUEST",
                cancelled=cancelled,
                to=user,
            ),
            "text/calendar",
        )
    return message


def notify(kind, session, users):
    """Write ``kind`` about ``session`` to each of ``users`` into the outbox, in the
    caller's transaction; the task workers send them (``cms.operations.mail``). Returns
    how many were written: inactive users (erased parents) get none."""
    messages = [session_message(kind, session, user) for user in users if user.email]
    return get_connection().send_messages(messages)
