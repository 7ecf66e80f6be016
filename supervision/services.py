"""State changes of supervision, used alike by the admin, the demo seeding and the tests.

Each function validates with the models' own rules (``full_clean`` and
``Session.check_bookings``), so a refused booking raises the same ``ValidationError``
with the same field messages wherever it comes from.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import accounts
from cms.models import Role, User

from .models import (
    Attendance,
    EndReason,
    FosterFamily,
    GroupSupervision,
    Placement,
    Quarter,
    Session,
    StartupCourse,
)
from .notifications import CANCELLATION, CHANGE, INVITATION, notify
from .tasks import send_session_reminder


@transaction.atomic
def register_family(family, parents, *, invited_by=None):
    """Save a new family with its parents (at least one), all or nothing.

    Each of ``parents`` is either the data of a new parent (a dict of ``first_name``,
    ``last_name``, ``email`` and optionally ``language``), who gets an account and an
    invitation, or an existing foster parent of the family's municipality to link (a
    ``User``): a parent may belong to two families, never twice to the system.
    """
    if not parents:
        raise ValidationError(_("A family has at least one parent."))
    family.full_clean(exclude=["parents"])
    family.save()
    for parent in parents:
        add_parent(family, parent, invited_by=invited_by)
    return family


@transaction.atomic
def add_parent(family, parent, *, invited_by=None):
    """Add a parent to ``family``: a new one (a dict, see ``register_family``) gets an
    account in the family's municipality and an invitation; an existing one (a ``User``)
    is linked only if it is an active foster parent of that municipality with no staff
    role. Returns the parent. Refusals are ``ValidationError`` keyed by ``email``."""
    if isinstance(parent, User):
        linkable = User.objects.foster_parents().filter(municipality=family.municipality_id)
        if not linkable.filter(pk=parent.pk).exists():
            raise ValidationError({"email": _("This account cannot be a parent in this family.")})
        user = parent
    else:
        user = accounts.create_account(
            role=Role.FOSTER_PARENT,
            municipality=family.municipality,
            invited_by=invited_by,
            **parent,
        )
    # A ParentalManyToManyField's add() waits for the family's next save: write the link.
    FosterFamily.parents.through.objects.get_or_create(fosterfamily=family, user=user)
    return user


@transaction.atomic
def register_placement(placement):
    """Save a placement and open its start-up course (one course per placement)."""
    placement.full_clean()
    placement.save()
    return StartupCourse.open_for(placement)


@transaction.atomic
def change_placement(placement):
    """Save a changed placement; a new start date re-dates its start-up course."""
    stored = Placement.objects.select_for_update().get(pk=placement.pk)
    placement.full_clean()
    placement.save()
    if placement.start_date != stored.start_date:
        StartupCourse.open_for(placement)
    return placement


def own_coming_sessions(family, after):
    """The family's coming sessions it has alone (not a cohort's group supervision, not a
    session with other families), from the day ``after`` on."""
    return Session.objects.alone_with(family).upcoming().filter(start__date__gt=after)


@transaction.atomic
def end_placement(placement, end_date, reason, *, cancel_sessions=False):
    """Record that the child moved on: the placement ends, and its start-up course with it
    (status *ended*: no longer late or at risk).

    The family's coming sessions are kept unless ``cancel_sessions`` asks to cancel those
    it has alone after the end date (everyone in them is told): the family may have
    another placement, and its cohort goes on. Refused, next to the field: an end before
    the start, more than a month ahead, or a placement already ended.
    """
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.has_ended:
        raise ValidationError({"end_date": _("The placement has already ended.")})
    error = placement.end_date_error(end_date)
    if error:
        raise ValidationError({"end_date": error})
    if reason not in EndReason.values:
        raise ValidationError({"end_reason": _("Choose why the placement ends.")})
    placement.end_date, placement.end_reason = end_date, reason
    placement.save(update_fields=["end_date", "end_reason"])
    if cancel_sessions:
        for session in own_coming_sessions(placement.family, end_date):
            cancel_session(session)
    return placement


@transaction.atomic
def close_course(course, reason, today=None):
    """Close a start-up course early (status *ended*), with a short reason."""
    course = StartupCourse.objects.select_for_update().select_related("placement").get(pk=course.pk)
    if course.end_date is not None:
        raise ValidationError({"close_reason": _("The course has already ended.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"close_reason": _("Give the reason for closing the course.")})
    limit = StartupCourse._meta.get_field("close_reason").max_length
    if len(reason) > limit:
        raise ValidationError(
            {"close_reason": _("Keep the reason under %(limit)s characters.") % {"limit": limit}}
        )
    course.closed_early_on = today or timezone.localdate()
    course.close_reason = reason
    course.save(update_fields=["closed_early_on", "close_reason"])
    return course


def schedule_reminders(session):
    """Queue one reminder task per configured offset that still lies ahead.

    A backend that cannot defer (the immediate one in tests) runs the task at once; the
    task then finds the reminder not yet due and does nothing.
    """
    now = timezone.now()
    defers = send_session_reminder.get_backend().supports_defer
    for offset in settings.OPSTART_REMINDER_OFFSETS:
        due = session.start - offset
        if due <= now:
            continue
        reminder = send_session_reminder.using(run_after=due) if defers else send_session_reminder
        reminder.enqueue(session.pk, int(offset.total_seconds()), session.sequence)


def validate_session(session, supervisors, families=None):
    """Every rule a session must meet, raised together as one field-keyed error."""
    errors = {}
    for check in (
        lambda: session.full_clean(exclude=["supervisors", "families"]),
        lambda: session.check_bookings(supervisors, families),
    ):
        try:
            check()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def session_scheduled(session):
    """Invite everyone in a newly saved session and queue its reminders."""
    notify(INVITATION, session, session.recipients())
    schedule_reminders(session)


@transaction.atomic
def schedule_session(session, supervisors, families=()):
    """Book a new session after checking every rule, then invite and queue reminders.

    The invitations are written to the outbox in the booking's transaction (and sent by
    the workers): a booking rolled back invites nobody, a booking saved invites everyone.
    """
    validate_session(session, supervisors, families)
    session.save()
    session.supervisors.set(supervisors)
    if families:
        session.families.set(families)
    session_scheduled(session)
    return session


# What moves a session: a new time or place replaces the event in people's calendars.
MOVING_FIELDS = ("start", "end", "place", "video_link")


@transaction.atomic
def change_session(session, supervisors=None, families=None):
    """Save a changed session and tell each person what it means for them.

    ``session`` carries the new field values; ``supervisors`` and ``families`` are the
    new participants (None keeps them). A moved session (``MOVING_FIELDS``) gets a new
    calendar version (``sequence``, which also stops the reminders queued before) and
    everyone who stays is told; people added are invited, people taken out get a
    cancellation.
    """
    stored = type(session).objects.select_for_update().get(pk=session.pk)
    told_before = set(stored.recipients())
    if supervisors is None:
        supervisors = list(stored.supervisors.all())
    validate_session(session, supervisors, families)
    moved = any(getattr(stored, name) != getattr(session, name) for name in MOVING_FIELDS)
    session.sequence = stored.sequence + 1 if moved else stored.sequence
    session.save()
    session.supervisors.set(supervisors)
    if families is not None:
        session.families.set(families)
    session_changed(session, told_before, moved)
    return session


def session_changed(session, told_before, moved):
    concerned = set(session.recipients())
    if moved:
        notify(CHANGE, session, concerned & told_before)
        schedule_reminders(session)
    notify(INVITATION, session, concerned - told_before)
    notify(CANCELLATION, session, told_before - concerned)


@transaction.atomic
def cancel_session(session):
    """Cancel rather than delete: the record stays, queued reminders see it and stop.

    The cancellation is a new calendar version (``sequence``), as iTIP asks of a CANCEL.
    """
    session.cancelled_at = timezone.now()
    session.sequence += 1
    session.save(update_fields=["cancelled_at", "sequence"])
    notify(CANCELLATION, session, session.recipients())


def quarter_session_date(year, quarter, weekday):
    """The first ``weekday`` (0 = Monday) of the quarter's middle month."""
    first = datetime.date(year, 3 * quarter - 1, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7)


@transaction.atomic
def plan_cohort_year(
    cohort, themes, *, weekday, start_time, duration, supervisors, place="", video_link=""
):
    """Create the cohort's four quarters with their themes and one group supervision each.

    All or nothing: if any of the four sessions breaks a rule, nothing is saved and the
    error names the quarter. Returns the four sessions.
    """
    if len(themes) != 4:
        raise ValidationError(_("Choose a theme for each of the four quarters."))
    sessions = []
    for number, theme in enumerate(themes, start=1):
        quarter, _created = Quarter.objects.update_or_create(
            cohort=cohort, number=number, defaults={"theme": theme}
        )
        day = quarter_session_date(cohort.year, number, weekday)
        start = timezone.make_aware(datetime.datetime.combine(day, start_time))
        session = GroupSupervision(
            municipality=cohort.municipality,
            cohort=cohort,
            quarter=quarter,
            start=start,
            end=start + duration,
            place=place,
            video_link=video_link,
        )
        try:
            sessions.append(schedule_session(session, supervisors))
        except ValidationError as error:
            raise ValidationError(
                [
                    _("Quarter %(number)s: %(error)s") % {"number": number, "error": message}
                    for message in error.messages
                ]
            ) from error
    return sessions


@transaction.atomic
def record_attendance(session, presence, now=None):
    """Save who was there: ``presence`` maps each expected parent to True or False.

    Only from the session's start until ``Session.ATTENDANCE_PERIOD`` after it: being
    recorded present opens the after-exercises.
    """
    closed = session.attendance_closed_reason(now)
    if closed:
        raise ValidationError(closed)
    for parent, present in presence.items():
        Attendance.objects.update_or_create(
            session=session, parent=parent, defaults={"present": present}
        )
