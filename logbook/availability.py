"""When a family may write which exercise.

An exercise belongs to a *topic*: a module (taught in module sessions) or a theme
(supervised in theme supervisions, and in group supervisions whose quarter has it).

* A **before** exercise opens as soon as a session on its topic is scheduled for the
  family, and is due before the next such session.
* An **after** exercise opens once a parent is recorded present at a session on its
  topic that has begun, or when the consultant opens it for the family by hand. It
  reflects on what the parent took part in, so a parent's own entry opens only with
  their own presence; the household's joint entry opens with either parent's, the one
  who was there bringing the session into it. A parent recorded absent therefore writes,
  if the other was there, only in the joint entry.
* A **retired** exercise opens for nobody; a family that wrote in it still sees it, to
  read what it wrote.

Everything is read in a fixed number of queries per family, whatever its number of
sessions and exercises.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervision.models import (
    Attendance,
    CoursePlan,
    GroupSupervision,
    ModuleSession,
    ThemeSupervision,
)

from .models import Exercise, ExerciseOpening, LogbookEntry, Timing


@dataclass(frozen=True)
class TopicSession:
    pk: int
    start: object
    end: object


@dataclass
class ExerciseState:
    """An exercise as one parent meets it: ``is_open`` for their own entry,
    ``joint_open`` for the household's joint entry."""

    exercise: Exercise
    is_open: bool
    joint_open: bool
    due_session: TopicSession | None = None
    has_entry: bool = False
    sessions: list = field(default_factory=list)

    @property
    def is_due(self):
        return (self.is_open or self.joint_open) and not self.has_entry

    @property
    def waiting_reason(self):
        if self.is_open:
            return ""
        if self.exercise.retired:
            return _("No longer in use. What you wrote is kept.")
        if self.joint_open:
            return _("You were not recorded present; you can write in your joint entry.")
        if self.exercise.timing == Timing.BEFORE:
            return _("Opens when a session on this topic is planned for you.")
        return _("Opens after the session, once your attendance is recorded.")


def topic_of(exercise):
    return ("module", exercise.module_id) if exercise.module_id else ("theme", exercise.theme_id)


def family_sessions_by_topic(family):
    """The family's active sessions per topic, oldest first (three small queries)."""
    rows = [
        (("module", s["module_id"]), s)
        for s in ModuleSession.objects.non_polymorphic()
        .active()
        .filter(families=family)
        .values("pk", "start", "end", "module_id")
    ]
    rows += [
        (("theme", s["theme_id"]), s)
        for s in ThemeSupervision.objects.non_polymorphic()
        .active()
        .filter(families=family)
        .values("pk", "start", "end", "theme_id")
    ]
    rows += [
        (("theme", s["quarter__theme_id"]), s)
        for s in GroupSupervision.objects.non_polymorphic()
        .active()
        .filter(cohort__families=family)
        .values("pk", "start", "end", "quarter__theme_id")
    ]
    topics = {}
    for topic, row in sorted(rows, key=lambda item: item[1]["start"]):
        topics.setdefault(topic, []).append(TopicSession(row["pk"], row["start"], row["end"]))
    return topics


def planned_module_ids(family):
    """Modules chosen at the pre-meetings of any of the family's placements."""
    plans = CoursePlan.objects.filter(course__placement__family=family)
    return set(plans.values_list("modules", flat=True)) - {None}


def presence_by_session(family):
    """For each session, the family's parents recorded present there (one query)."""
    present = {}
    rows = Attendance.objects.filter(parent__foster_families=family, present=True).values_list(
        "session_id", "parent_id"
    )
    for session_id, parent_id in rows:
        present.setdefault(session_id, set()).add(parent_id)
    return present


def opens(exercise, sessions, present, opened_by_hand, parent, now):
    """Whether ``parent``'s own entry (the household's joint one for None) is open."""
    if exercise.retired:
        return False
    if exercise.timing == Timing.BEFORE:
        return bool(sessions)
    if exercise.pk in opened_by_hand:
        return True
    return any(
        present.get(s.pk) and (parent is None or parent.pk in present[s.pk])
        for s in sessions
        if s.start <= now
    )


def family_exercise_states(family, parent=None, now=None):
    """State of every exercise the family meets (its plans' modules and its sessions'
    topics), for ``parent``'s own entries (None: the household's joint entries)."""
    now = now or timezone.now()
    topics = family_sessions_by_topic(family)
    module_ids = planned_module_ids(family) | {pk for kind, pk in topics if kind == "module"}
    theme_ids = {pk for kind, pk in topics if kind == "theme"}
    written_in = LogbookEntry.objects.filter(family=family, exercise=OuterRef("pk"))
    exercises = (
        Exercise.objects.filter(Q(module_id__in=module_ids) | Q(theme_id__in=theme_ids))
        .filter(Q(retired=False) | Exists(written_in))
        .select_related("module", "theme")
    )
    present = presence_by_session(family)
    opened_by_hand = set(
        ExerciseOpening.objects.filter(family=family).values_list("exercise_id", flat=True)
    )
    written = set(
        LogbookEntry.objects.filter(family=family)
        .exclude(answers={})
        .values_list("exercise_id", flat=True)
    )
    states = []
    for exercise in exercises:
        sessions = topics.get(topic_of(exercise), [])
        upcoming = [s for s in sessions if s.end >= now]
        states.append(
            ExerciseState(
                exercise=exercise,
                is_open=opens(exercise, sessions, present, opened_by_hand, parent, now),
                joint_open=opens(exercise, sessions, present, opened_by_hand, None, now),
                due_session=upcoming[0] if upcoming else None,
                has_entry=exercise.pk in written,
                sessions=sessions,
            )
        )
    return states


def is_open_for(family, exercise, parent=None, now=None):
    """Whether ``parent`` may write their own entry (None: the household's joint entry)."""
    if exercise.retired:
        return False
    sessions = family_sessions_by_topic(family).get(topic_of(exercise), [])
    if exercise.timing == Timing.BEFORE:
        return bool(sessions)
    opened_by_hand = set(
        ExerciseOpening.objects.filter(family=family, exercise=exercise).values_list(
            "exercise_id", flat=True
        )
    )
    present = presence_by_session(family)
    return opens(exercise, sessions, present, opened_by_hand, parent, now or timezone.now())


def to_do(states):
    """What the family should write now: open exercises without an entry, soonest first."""
    due = [state for state in states if state.is_due]
    return sorted(due, key=lambda s: (s.due_session is None, s.due_session and s.due_session.start))


def session_topic(session):
    """The topic a session teaches or supervises, or None (pre-meetings, individual)."""
    if isinstance(session, ModuleSession):
        return ("module", session.module_id)
    if isinstance(session, ThemeSupervision):
        return ("theme", session.theme_id)
    if isinstance(session, GroupSupervision):
        return ("theme", session.quarter.theme_id) if session.quarter_id else None
    return None


def exercises_for_topic(topic):
    if topic is None:
        return Exercise.objects.none()
    kind, pk = topic
    return Exercise.objects.filter(**{f"{kind}_id": pk})
