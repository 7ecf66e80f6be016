"""What a foster parent's start page (Min side) shows, read with a fixed number of queries.

Composition: families and courses from ``supervision``, progress from ``courses``,
feedback from ``logbook``. Nothing here queries inside a loop over families, courses,
modules, sessions or goals; ``tests/cms/test_family_dashboard.py`` holds the count.
"""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch
from django.utils import timezone

from courses.outline import outline
from courses.services import CourseProgress
from logbook.completion import family_progress
from logbook.models import Feedback, LogbookEntry
from supervision.models import (
    ChildPlanGoal,
    CoursePlan,
    DevelopmentGoal,
    FosterFamily,
    GoalStatus,
    GroupSupervision,
    Quarter,
    Session,
    StartupCourse,
)

UPCOMING_SESSIONS = 50
FEEDBACK_SHOWN = 10


@dataclass
class PlannedModule:
    """A planned module: the reader's own lesson progress (``progress``) and each
    parent's progress towards completing it for the family (``family``)."""

    progress: object  # courses.services.ModuleProgress
    family: object  # logbook.completion.ModuleFamilyProgress

    @property
    def module(self):
        return self.progress.module


@dataclass
class CourseOverview:
    """One placement's start-up course: deadlines and the modules its plan chose."""

    course: StartupCourse
    has_plan: bool
    modules: list = field(default_factory=list)  # PlannedModule of each planned module

    @property
    def placement(self):
        return self.course.placement

    @property
    def plan_goals(self):
        """The goals of the child's plan, without those dropped."""
        return self.placement.plan_goals.all()

    @property
    def started(self):
        return self.course.started_at is not None

    @property
    def has_ended(self):
        """The course ended (an end agreed ahead is not yet one)."""
        end_date = self.course.end_date
        return end_date is not None and end_date <= timezone.localdate()


@dataclass
class QuarterTheme:
    """The theme of the quarter the family's cohort is in, and the modules teaching it."""

    quarter: Quarter
    modules: list = field(default_factory=list)


@dataclass
class FamilyOverview:
    family: FosterFamily
    courses: list = field(default_factory=list)
    next_session: Session | None = None
    goals: list = field(default_factory=list)
    quarter_themes: list = field(default_factory=list)


@dataclass
class Dashboard:
    families: list
    continue_lesson: object
    feedback: list

    @property
    def has_plan(self):
        return any(course.has_plan for item in self.families for course in item.courses)


def upcoming_sessions(family_ids, now=None):
    """The next sessions of the families (direct or through a cohort), in time order.

    Each session gets ``kind`` (its verbose name) and ``family_ids`` (which of the
    families it concerns): one query for a parent of one family, three for several.
    """
    if not family_ids:
        return []
    sessions = list(
        Session.objects.upcoming(now)
        .of_families(family_ids)
        .non_polymorphic()
        .select_related("polymorphic_ctype")
        .order_by("start")[:UPCOMING_SESSIONS]
    )
    for session in sessions:
        session.kind = session.polymorphic_ctype.model_class()._meta.verbose_name
        session.family_ids = set(family_ids)
    if len(family_ids) > 1 and sessions:
        # Which of several families each session concerns: two queries, however many rows.
        ids = [session.pk for session in sessions]
        direct = Session.families.through.objects.filter(
            session_id__in=ids, fosterfamily_id__in=family_ids
        ).values_list("session_id", "fosterfamily_id")
        grouped = (
            GroupSupervision.objects.non_polymorphic()
            .filter(pk__in=ids, cohort__families__in=family_ids)
            .values_list("pk", "cohort__families")
        )
        members = {}
        for session_id, family_id in [*direct, *grouped]:
            members.setdefault(session_id, set()).add(family_id)
        for session in sessions:
            session.family_ids = members.get(session.pk, set())
    return sessions


def received_feedback(user):
    """Feedback on the entries the parent may read, newest first."""
    return list(
        Feedback.objects.filter(entry__in=LogbookEntry.objects.readable_by_parent(user))
        .select_related("entry__exercise")
        .order_by("-created_at")[:FEEDBACK_SHOWN]
    )


def current_quarters(family_ids, now=None):
    """(family id, quarter) of this quarter in each of the families' cohorts this year."""
    today = timezone.localdate(now)
    quarters = (
        Quarter.objects.filter(
            cohort__families__in=family_ids,
            cohort__year=today.year,
            number=(today.month - 1) // 3 + 1,
        )
        .annotate(family_id=F("cohort__families"))
        .select_related("theme", "cohort")
        .order_by("cohort__name", "pk")
    )
    return [(quarter.family_id, quarter) for quarter in quarters]


def family_dashboard(user, now=None):
    families = list(
        FosterFamily.objects.of_parent(user)
        .select_related("municipality", "family_type")
        .prefetch_related(
            Prefetch(
                "development_goals",
                queryset=DevelopmentGoal.objects.filter(status=GoalStatus.ACTIVE),
                to_attr="active_goals",
            )
        )
    )
    family_ids = [family.pk for family in families]
    courses = list(
        StartupCourse.objects.filter(placement__family__in=family_ids)
        .with_progress(now)
        .select_related("placement")
        .prefetch_related(
            Prefetch(
                "placement__plan_goals",
                queryset=ChildPlanGoal.objects.exclude(status=GoalStatus.DROPPED),
            )
        )
        .order_by("placement__start_date", "pk")
    )
    # Each plan's module ids in one query (a plan without modules gives one None); the
    # modules themselves come from the catalogue's outline.
    planned_ids = {}
    for course_id, module_id in CoursePlan.objects.filter(course__in=courses).values_list(
        "course_id", "modules"
    ):
        planned_ids.setdefault(course_id, set()).add(module_id)
    catalogue = outline()
    plans = {course_id: catalogue.for_learning(ids) for course_id, ids in planned_ids.items()}
    learning = catalogue.for_learning(set().union(*planned_ids.values()))
    progress = CourseProgress.for_user(user, learning)
    # Every parent's progress in every planned module, in a fixed number of queries.
    parents_progress = family_progress(families, learning)

    overview = {family.pk: FamilyOverview(family, goals=family.active_goals) for family in families}
    for course in courses:
        modules = plans.get(course.pk)
        family_id = course.placement.family_id
        overview[family_id].courses.append(
            CourseOverview(
                course,
                has_plan=modules is not None,
                modules=[
                    PlannedModule(progress.of(module), parents_progress[(family_id, module.pk)])
                    for module in modules or []
                ],
            )
        )
    all_learning = catalogue.for_learning()
    for family_id, quarter in current_quarters(family_ids, now):
        teaching = [module for module in all_learning if module.theme_id == quarter.theme_id]
        overview[family_id].quarter_themes.append(QuarterTheme(quarter, teaching))
    sessions = upcoming_sessions(family_ids, now)
    for session in sessions:
        for family_id in session.family_ids:
            if overview[family_id].next_session is None:
                overview[family_id].next_session = session
    return Dashboard(
        families=list(overview.values()),
        continue_lesson=progress.continue_lesson,
        feedback=received_feedback(user),
    )
