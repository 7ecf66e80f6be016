"""One family's case work at a glance, for the staff's inspect page of the family.

Placements with their end, start-up courses with status and deadlines, the goals of the
children's plans, the development goals, and the sessions (coming and past) with each
parent's attendance, read in a fixed number of queries however much there is.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from .models import Attendance, ChildPlanGoal, DevelopmentGoal, Session, StartupCourse

PAST_SESSIONS_SHOWN = 50


@dataclass
class PlacementCase:
    course: StartupCourse
    plan_goals: list = field(default_factory=list)

    @property
    def placement(self):
        return self.course.placement


@dataclass
class Casework:
    placements: list
    development_goals: list
    coming_sessions: list
    past_sessions: list
    parents: list


def family_casework(family, now=None):
    now = now or timezone.now()
    courses = (
        StartupCourse.objects.filter(placement__family=family)
        .with_status(now)
        .select_related("placement")
        .order_by("-placement__start_date", "-pk")
    )
    placements = {course.placement_id: PlacementCase(course) for course in courses}
    for goal in ChildPlanGoal.objects.filter(placement__family=family):
        placements[goal.placement_id].plan_goals.append(goal)
    sessions = list(
        Session.objects.of_families([family.pk])
        .non_polymorphic()
        .select_related("polymorphic_ctype")
        .order_by("start", "pk")
    )
    parents = list(family.parents.all())
    present = {
        (row.session_id, row.parent_id): row.present
        for row in Attendance.objects.filter(session__in=sessions, parent__in=parents)
    }
    for session in sessions:
        session.kind = session.polymorphic_ctype.model_class()._meta.verbose_name
        session.attendance = [(parent, present.get((session.pk, parent.pk))) for parent in parents]
    coming = [session for session in sessions if session.end >= now]
    past = [session for session in sessions if session.end < now]
    return Casework(
        placements=list(placements.values()),
        development_goals=list(DevelopmentGoal.objects.filter(family=family)),
        coming_sessions=coming,
        past_sessions=past[::-1][:PAST_SESSIONS_SHOWN],
        parents=parents,
    )
