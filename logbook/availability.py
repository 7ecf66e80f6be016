"""When a family may write which exercise.

An exercise belongs to a *topic*: a module (taught in module sessions) or a theme
(supervised in theme supervisions, and in group supervisions whose quarter has it).

* A **before** exercise opens as soon as a session on its topic is scheduled for the
  family, and is due before the next such session.
* An **after** exercise opens for a family once one of its parents is recorded as
  present at a session on its topic, or when the consultant opens it by hand.
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
    exercise: Exercise
    is_open: bool
    due_session: TopicSession | None = None
    has_entry: bool = False
    sessions: list = field(default_factory=list)

    @property
    def is_due(self):
        return self.is_open and not self.has_entry

    @property
    def waiting_reason(self):
        if self.is_open:
            return ""
        if self.exercise.retired:
            return _("No longer in use. What you wrote is kept.")
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


def family_exercise_states(family, now=None):
    """State of every exercise the family meets: its plans' modules and its sessions' topics."""
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
    attended = set(
        Attendance.objects.filter(parent__foster_families=family, present=True).values_list(
            "session_id", flat=True
        )
    )
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
        if exercise.retired:
            is_open = False
        elif exercise.timing == Timing.BEFORE:
            is_open = bool(sessions)
        else:
            is_open = exercise.pk in opened_by_hand or any(s.pk in attended for s in sessions)
        states.append(
            ExerciseState(
                exercise=exercise,
                is_open=is_open,
                due_session=upcoming[0] if upcoming else None,
                has_entry=exercise.pk in written,
                sessions=sessions,
            )
        )
    return states


def is_open_for(family, exercise):
    if exercise.retired:
        return False
    sessions = family_sessions_by_topic(family).get(topic_of(exercise), [])
    if exercise.timing == Timing.BEFORE:
        return bool(sessions)
    if ExerciseOpening.objects.filter(family=family, exercise=exercise).exists():
        return True
    return Attendance.objects.filter(
        parent__foster_families=family, present=True, session__in=[s.pk for s in sessions]
    ).exists()


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
