"""The dates staff may give, from the domain, shared by every model's ``clean``.

Nothing of the start-up course lies before the law that made it (1 July 2019,
DOMAIN.md). Ahead, a placement is registered at most a year before the child moves in,
and sessions and development-plan reviews are planned at most two years ahead; a session
lasts at most 12 hours (a training day). Beyond these limits a date is a typing error,
and stored it broke pages: year 1 cannot be converted between time zones, deadlines
near year 1 broke date arithmetic in SQLite, and a 1000-year session blocked every later
booking. The upper limits move with today, so a valid date stays valid.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

LAW_IN_FORCE = datetime.date(2019, 7, 1)
PLACEMENT_AHEAD = relativedelta(years=1)
PLANNING_AHEAD = relativedelta(years=2)
# A placement ends when the child moves on: recorded when it happens or once agreed.
END_AHEAD = relativedelta(months=1)
LONGEST_SESSION = datetime.timedelta(hours=12)
# A placed child is under 18: with only the birth year known, born at most 18 years before.
CHILDHOOD_YEARS = 18


def latest_placement_start(today=None):
    return (today or timezone.localdate()) + PLACEMENT_AHEAD


def latest_planned_day(today=None):
    return (today or timezone.localdate()) + PLANNING_AHEAD


BEFORE_THE_LAW = _(
    "The date cannot be before %(date)s, when the law on start-up courses came into force."
)


def range_error(value, latest, too_late):
    """The message for ``value`` before the law or after the day ``latest``, or None.

    ``value`` is a date or an aware date and time; a time is compared as a moment, never
    converted (year 1 has no UTC equivalent in Copenhagen). ``too_late`` names the
    limit with ``%(date)s``.
    """
    first, last = LAW_IN_FORCE, latest
    if isinstance(value, datetime.datetime):
        first = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
        last = timezone.make_aware(datetime.datetime.combine(last, datetime.time.max))
    if value < first:
        return BEFORE_THE_LAW % {"date": date_format(LAW_IN_FORCE)}
    if value > last:
        return too_late % {"date": date_format(latest)}
    return None
