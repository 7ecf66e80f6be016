"""When a family may write which exercise, for which session.

An exercise belongs to a *topic*: a module (taught in module sessions) or a theme
(supervised in theme supervisions, and in group supervisions whose quarter has it).
Families write an exercise once per session on its topic (one own entry per parent, one
joint entry per household), so a recurring exercise, such as a goal follow-up before each
visit, is written anew for every session.

* A **before** exercise is open for every session on its topic booked for the family
  (not cancelled); it is due until that session has ended.
* An **after** exercise is open for a session on its topic that has begun once a parent
  is recorded present there, or when the consultant opens it for that session by hand.
  It reflects on what the parent took part in, so a parent's own entry opens only with
  their own presence; the household's joint entry opens with either parent's, the one
  who was there bringing the session into it. A parent recorded absent therefore writes,
  if the other was there, only in the joint entry.
* Only sessions from the family's first placement on count: a group session held months
  before the child came opens nothing. (A family with no placement registered yet has no
  such limit: its consultant may book the first module before registering it.)
* An entry stays editable as long as its exercise is open for its session, so a parent
  may finish last visit's notes; a cancelled session's entries are read-only.
* A **retired** exercise opens for nobody; a family that wrote in it still sees it, to
  read what it wrote.

Everything is read in a fixed number of queries per family, whatever its number of
sessions and exercises.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervision.models import (
    Attendance,
    CoursePlan,
    GroupSupervision,
    ModuleSession,
    Placement,
    ThemeSupervision,
)

from .models import Exercise, ExerciseOpening, LogbookEntry, Timing


@dataclass(frozen=True)
class TopicSession:
    pk: int
    start: object
    end: object
    kind: str = ""

    def is_upcoming(self, now):
        return self.end >= now


@dataclass
class SessionSlot:
    """One exercise for one session, as one parent meets it: ``is_open`` for their own
    entry, ``joint_open`` for the household's joint one. ``entry`` is the entry the
    parent reads first there (their own, else the joint one), if any."""

    exercise: Exercise
    session: TopicSession
    is_open: bool
    joint_open: bool
    upcoming: bool
    has_entry: bool = False
    entry: LogbookEntry | None = None

    @property
    def is_due(self):
        """Open, nothing written yet, and still useful: a before-exercise until its
        session has ended, an after-exercise once open."""
        if self.has_entry or not (self.is_open or self.joint_open):
            return False
        return self.upcoming or self.exercise.timing == Timing.AFTER

    @property
    def joint(self):
        """Whether the parent writes here only in the joint entry."""
        return not self.is_open and self.joint_open


@dataclass
class ExerciseState:
    """An exercise as one parent meets it, over all the family's sessions on its topic."""

    exercise: Exercise
    slots: list = field(default_factory=list)  # SessionSlot per session, oldest first

    @property
    def is_open(self):
        return any(slot.is_open for slot in self.slots)

    @property
    def joint_open(self):
        return any(slot.joint_open for slot in self.slots)

    @property
    def is_due(self):
        return any(slot.is_due for slot in self.slots)

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


def first_placement_day(family):
    return Placement.objects.filter(family=family).aggregate(first=Min("start_date"))["first"]


def family_sessions_by_topic(family):
    """The family's active sessions per topic from its first placement on, oldest first
    (four small queries)."""
    kinds = [
        (ModuleSession, "module", "module_id", Q(families=family)),
        (ThemeSupervision, "theme", "theme_id", Q(families=family)),
        (GroupSupervision, "theme", "quarter__theme_id", Q(cohort__families=family)),
    ]
    first_day = first_placement_day(family)
    rows = []
    for model, topic_kind, topic_field, member in kinds:
        sessions = model.objects.non_polymorphic().active().filter(member)
        if first_day is not None:
            sessions = sessions.filter(start__date__gte=first_day)
        kind = model._meta.verbose_name
        rows += [
            (
                (topic_kind, row[topic_field]),
                TopicSession(row["pk"], row["start"], row["end"], kind),
            )
            for row in sessions.values("pk", "start", "end", topic_field)
        ]
    topics = {}
    for topic, session in sorted(rows, key=lambda item: item[1].start):
        topics.setdefault(topic, []).append(session)
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


def hand_openings(family, exercise=None):
    """(exercise id, session id) of the after-exercises opened by hand (one query)."""
    openings = ExerciseOpening.objects.filter(family=family)
    if exercise is not None:
        openings = openings.filter(exercise=exercise)
    return set(openings.values_list("exercise_id", "session_id"))


def opens(exercise, session, present, opened_by_hand, parent, now):
    """Whether ``parent``'s own entry (the household's joint one for None) is open for
    ``session``, one of the family's counted sessions on the exercise's topic."""
    if exercise.retired:
        return False
    if exercise.timing == Timing.BEFORE:
        return True
    if (exercise.pk, session.pk) in opened_by_hand:
        return True
    attended = present.get(session.pk, set())
    return session.start <= now and bool(attended) and (parent is None or parent.pk in attended)


def slot(exercise, session, present, opened_by_hand, parent, now):
    return SessionSlot(
        exercise=exercise,
        session=session,
        is_open=opens(exercise, session, present, opened_by_hand, parent, now),
        joint_open=opens(exercise, session, present, opened_by_hand, None, now),
        upcoming=session.is_upcoming(now),
    )


def family_exercise_states(family, parent=None, now=None):
    """State of every exercise the family meets (its plans' modules and its sessions'
    topics) per session, for ``parent``'s own entries (None: the household's joint
    entries). Each slot carries the entry ``parent`` reads there, if any."""
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
    opened_by_hand = hand_openings(family)
    written = set(
        LogbookEntry.objects.filter(family=family)
        .exclude(answers={})
        .values_list("exercise_id", "session_id")
    )
    readable = {}
    if parent is not None:
        # Own entries first, so a parent's own entry is the one shown where both exist.
        for entry in (
            LogbookEntry.objects.readable_by_parent(parent)
            .filter(family=family)
            .only("pk", "exercise_id", "session_id", "is_joint", "shared_at", "family_id")
            .order_by("-is_joint")
        ):
            readable[(entry.exercise_id, entry.session_id)] = entry
    states = []
    for exercise in exercises:
        sessions = topics.get(topic_of(exercise), [])
        slots = [slot(exercise, s, present, opened_by_hand, parent, now) for s in sessions]
        for item in slots:
            item.has_entry = (exercise.pk, item.session.pk) in written
            item.entry = readable.get((exercise.pk, item.session.pk))
        states.append(ExerciseState(exercise=exercise, slots=slots))
    return states


def topic_sessions(family, exercise):
    """The family's counted sessions on the exercise's topic, oldest first."""
    return family_sessions_by_topic(family).get(topic_of(exercise), [])


def session_of(family, exercise, session_id, sessions=None):
    """The family's counted session ``session_id`` if it is on the exercise's topic."""
    sessions = topic_sessions(family, exercise) if sessions is None else sessions
    return next((s for s in sessions if s.pk == session_id), None)


def is_open_for(family, exercise, session, parent=None, now=None):
    """Whether ``parent`` may write their own entry (None: the household's joint entry)
    for ``session`` (a TopicSession or a Session)."""
    if exercise.retired:
        return False
    # A TopicSession comes from session_of: it is known to count for the family already.
    counted = session if isinstance(session, TopicSession) else None
    counted = counted or session_of(family, exercise, session.pk)
    if counted is None:
        return False
    if exercise.timing == Timing.BEFORE:
        return True
    present = presence_by_session(family)
    opened_by_hand = hand_openings(family, exercise)
    return opens(exercise, counted, present, opened_by_hand, parent, now or timezone.now())


def session_to_write(family, exercise, parent=None, now=None):
    """The session a link to the exercise alone leads to: the soonest coming session it
    is open for, else the latest one; None when it is open for none."""
    now = now or timezone.now()
    present = presence_by_session(family)
    opened_by_hand = hand_openings(family, exercise)
    sessions = topic_sessions(family, exercise)
    open_ones = [s for s in sessions if opens(exercise, s, present, opened_by_hand, parent, now)]
    upcoming = [s for s in open_ones if s.is_upcoming(now)]
    if upcoming:
        return upcoming[0]
    return open_ones[-1] if open_ones else None


def to_do(states):
    """What the family should write now, one slot per exercise and session: after-
    exercises of sessions held first, then coming sessions' before-exercises, soonest
    first."""
    due = [item for state in states for item in state.slots if item.is_due]
    return sorted(due, key=lambda item: (item.upcoming, item.session.start, item.exercise.pk))


def by_session(states, now=None):
    """The exercises grouped by session for the logbook's list: sessions with something
    to write first, then coming sessions (soonest first), then past ones (latest first).

    Returns (session, slots) pairs; exercises open for no session are left out (the
    list shows them apart, with what they wait for).
    """
    groups = {}
    for state in states:
        for item in state.slots:
            groups.setdefault(item.session, []).append(item)

    def order(session):
        due = any(item.is_due for item in groups[session])
        past = not groups[session][0].upcoming
        return (not due, past, -session.start.timestamp() if past else session.start.timestamp())

    return [(session, groups[session]) for session in sorted(groups, key=order)]


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
