"""What a foster parent's start page (Min side) shows, read with a fixed number of queries,
and kept rendered between requests until something it shows changes.

Composition: families and courses from ``supervision``, progress from ``courses``,
feedback from ``logbook``. Nothing here queries inside a loop over families, courses,
modules, sessions or goals; ``tests/cms/test_family_dashboard.py`` holds the count.

Kept: the rendered page body of each parent, keyed by a stamp of the parent
(``STAMP_KEY``), the outline's version, the language and the host. ``SHOWN_TO`` names,
for each kind of row the page shows, the way from a parent to it; a save, delete or link
change of such a row deletes the stamps of the parents it reaches, before the change and
again after it, as committed. Time changes what the page shows only when a session
starts or ends, so a body is kept until the first of its coming sessions does, and never
longer than ``KEPT_AT_MOST``.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.core.cache import cache
from django.db.models import Prefetch
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from courses.models import LessonProgress
from courses.outline import outline
from courses.outline import version as outline_version
from courses.services import CourseProgress, lesson_visited
from logbook.models import Exercise, Feedback, LogbookEntry
from supervision.models import (
    Cohort,
    CoursePlan,
    DevelopmentGoal,
    FosterFamily,
    GoalStatus,
    GroupSupervision,
    Placement,
    Session,
    StartupCourse,
)

from .cache import forget as forget_keys
from .cache import stamp
from .models import Municipality, User

UPCOMING_SESSIONS = 50
FEEDBACK_SHOWN = 10


@dataclass
class CourseOverview:
    """One placement's start-up course: deadlines and the modules its plan chose."""

    course: StartupCourse
    has_plan: bool
    modules: list = field(default_factory=list)  # ModuleProgress of each planned module

    @property
    def placement(self):
        return self.course.placement

    @property
    def started(self):
        return self.course.started_at is not None


@dataclass
class FamilyOverview:
    family: FosterFamily
    courses: list = field(default_factory=list)
    next_session: Session | None = None
    goals: list = field(default_factory=list)


@dataclass
class Dashboard:
    families: list
    continue_lesson: object
    feedback: list
    sessions: list  # the families' coming sessions, each family's next among them

    @property
    def has_plan(self):
        return any(course.has_plan for item in self.families for course in item.courses)

    def kept_for(self, now):
        """Seconds until a coming session starts or ends (at most ``KEPT_AT_MOST``): then
        a family's next session, or whether a course has started, changes."""
        changes = [
            session.start if session.start > now else session.end for session in self.sessions
        ]
        until = min(changes, default=now + KEPT_AT_MOST)
        return max(1, min(KEPT_AT_MOST, until - now).total_seconds())


def upcoming_sessions(family_ids, now=None):
    """The next sessions of the families (direct or through a cohort), in time order.

    Each session gets ``kind`` (its verbose name) and ``family_ids`` (which of the
    families it concerns): one query for a parent of one family, three for several.
    """
    if not family_ids:
        return []
    # One semi-join on the union of both links: PostgreSQL answers it from the indexes of
    # the two link tables (an OR of two IN-subqueries made it scan every session).
    direct = Session.families.through.objects.filter(fosterfamily_id__in=family_ids)
    through_cohort = GroupSupervision.objects.non_polymorphic().filter(
        cohort__families__in=family_ids
    )
    concerned = direct.values("session_id").union(through_cohort.order_by().values("pk"), all=True)
    sessions = list(
        Session.objects.upcoming(now)
        .filter(pk__in=concerned)
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
    progress = CourseProgress.for_user(
        user, catalogue.for_learning(set().union(*planned_ids.values()))
    )

    overview = {family.pk: FamilyOverview(family, goals=family.active_goals) for family in families}
    for course in courses:
        modules = plans.get(course.pk)
        overview[course.placement.family_id].courses.append(
            CourseOverview(
                course,
                has_plan=modules is not None,
                modules=[progress.of(module) for module in modules or []],
            )
        )
    sessions = upcoming_sessions(family_ids, now)
    for session in sessions:
        for family_id in session.family_ids:
            if overview[family_id].next_session is None:
                overview[family_id].next_session = session
    return Dashboard(
        families=list(overview.values()),
        continue_lesson=progress.continue_lesson,
        feedback=received_feedback(user),
        sessions=sessions,
    )


KEPT_AT_MOST = datetime.timedelta(minutes=10)
STAMP_KEY = "opstart:dashboard-stamp:{}"
STAMP_KEPT = 60 * 60 * 24  # longer than any body, so a body never outlives its stamp
TEMPLATE = "cms/includes/family_dashboard.html"


def rendered(request):
    """The body of ``request.user``'s dashboard, from the cache or built and kept."""
    user = request.user
    key = ":".join(
        [
            "opstart:dashboard",
            str(user.pk),
            stamp(STAMP_KEY.format(user.pk), STAMP_KEPT),
            outline_version(),
            get_language(),
            request.get_host(),
        ]
    )
    body = cache.get(key)
    if body is None:
        now = timezone.now()
        overview = family_dashboard(user, now)
        body = render_to_string(TEMPLATE, {"dashboard": overview}, request)
        cache.set(key, body, overview.kept_for(now))
    return mark_safe(body)  # noqa: S308 (rendered by the template above)


# The ways from a parent (a ``User``) to each kind of row the dashboard shows.
SHOWN_TO = {
    User: ["pk"],
    Municipality: ["foster_families__municipality"],
    FosterFamily: ["foster_families"],
    DevelopmentGoal: ["foster_families__development_goals"],
    Placement: ["foster_families__placements"],
    StartupCourse: ["foster_families__placements__startup_course"],
    CoursePlan: ["foster_families__placements__startup_course__plan"],
    Session: ["foster_families__sessions", "foster_families__cohorts__group_supervisions"],
    Feedback: ["foster_families__logbook_entries__feedback"],
    Exercise: ["foster_families__logbook_entries__exercise"],
    LessonProgress: ["lesson_progress"],
}
LINKS = [
    FosterFamily.parents.through,
    Cohort.families.through,
    Session.families.through,
    CoursePlan.modules.through,
]


def parents_shown(model, pks):
    """Ids of the parents whose dashboards show the rows ``pks`` of ``model`` (or of a
    subclass of it), as the database holds them now."""
    shown = next((SHOWN_TO[base] for base in model.__mro__ if base in SHOWN_TO), [])
    parents = set()
    for lookup in shown:
        if lookup == "pk":
            parents.update(pks)
        else:
            rows = User.objects.filter(**{f"{lookup}__in": pks}).values_list("pk", flat=True)
            parents.update(rows)
    return parents


def forget(parents):
    """Make the kept dashboards of ``parents`` unreachable."""
    if parents:
        forget_keys(*(STAMP_KEY.format(pk) for pk in parents))


def forget_row(sender, instance, raw=False, **kwargs):
    """Before a save (where the row was shown), after it (where it is shown now), and
    before a delete (while its links still exist)."""
    if not raw and instance.pk is not None:
        forget(parents_shown(sender, [instance.pk]))


def forget_link(sender, instance, model, pk_set, **kwargs):
    """A link added or removed, on both of its sides; before and after."""
    forget(parents_shown(type(instance), [instance.pk]) | parents_shown(model, pk_set or []))


def forget_visit(sender, user, **kwargs):
    forget([user.pk])


def connect():
    # Each kind of session or exercise sends its own signals.
    shown = [model for model in apps.get_models() if issubclass(model, tuple(SHOWN_TO))]
    for model in shown:
        for signal in (pre_save, post_save, pre_delete):
            signal.connect(
                forget_row, sender=model, dispatch_uid=f"cms.dashboard.{model}.{id(signal)}"
            )
    for through in LINKS:
        m2m_changed.connect(forget_link, sender=through, dispatch_uid=f"cms.dashboard.{through}")
    lesson_visited.connect(forget_visit, dispatch_uid="cms.dashboard.visit")
