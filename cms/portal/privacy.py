"""A family's rights over its data: export everything held about it, and erasure.

Composition, like ``cms.portal.dashboard``: it reads and writes across supervision, courses
and the logbook, so it lives above them.

**Export** (``family_data``) is what one parent may read: the data of each family they
belong to (family, placements with their end and the goals of the child's plan, courses and
plans, goals, completed modules, sessions,
joint logbook entries) and their own personal data (profile, calendar choice,
attendance, lesson progress, knowledge check answers, own logbook entries and the
feedback on them). The other parent's own entries stay private, as they are in the
logbook; that parent exports them with their own login.

**Erasure** (``erase_family``) removes the personal data and keeps what the statistics
count: the family row (nameless), its placements' start dates and courses, course plans'
modules, sessions, attendance and module completions. See ``erasure_summary``. Names
copied elsewhere go too: the labels of the admin's history (Wagtail's ``ModelLogEntry``)
and of the access log, and the login records django-axes keeps per e-mail address.
"""

from collections import defaultdict
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginRecord
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from cms.models import AccessLog, Invitation, LinkedIdentity, TenantLogEntry
from cms.security import normalise_login
from cms.signin import two_factor
from courses.models import KnowledgeCheckAnswer, LessonProgress
from logbook.models import ExerciseOpening, Feedback, LogbookEntry
from logbook.services import with_specific_exercises
from supervision.models import (
    Attendance,
    CalendarPreferences,
    ChildPlanGoal,
    CoursePlan,
    DevelopmentGoal,
    FosterFamily,
    ModuleCompletion,
    Placement,
    ReminderSent,
    Session,
    StartupCourse,
)
from supervision.services import cancel_session

ERASED_EMAIL_DOMAIN = "erased.opstart.invalid"


def _goal(goal):
    return {"goal": goal.text, "review_date": goal.review_date, "status": goal.get_status_display()}


def _course(placement):
    course = getattr(placement, "startup_course", None)
    if course is None:
        return None
    plan = getattr(course, "plan", None)
    return {
        "start_deadline": course.start_deadline,
        "finish_deadline": course.finish_deadline,
        "closed_early_on": course.closed_early_on,
        "close_reason": course.close_reason,
        "plan": plan
        and {
            "modules": [f"{module.number}. {module.title}" for module in plan.modules.all()],
            "theme_supervisions": [str(theme) for theme in plan.supervision_themes.all()],
            "practical_notes": plan.practical_notes,
        },
    }


def _sessions_by_family(family_ids, attendance):
    """The families' sessions (direct or through a cohort) with the parent's attendance."""
    pairs = (
        Session.objects.non_polymorphic()
        .filter(Q(families__in=family_ids) | Q(groupsupervision__cohort__families__in=family_ids))
        .values_list("pk", "families", "groupsupervision__cohort__families")
    )
    families_of = defaultdict(set)
    for session_id, *families in pairs:
        families_of[session_id].update(f for f in families if f in family_ids)
    sessions = (
        Session.objects.non_polymorphic()
        .filter(pk__in=families_of)
        .select_related("polymorphic_ctype")
        .order_by("start")
    )
    by_family = defaultdict(list)
    for session in sessions:
        row = {
            "kind": str(session.polymorphic_ctype.model_class()._meta.verbose_name),
            "start": session.start,
            "end": session.end,
            "place": session.place,
            "video_link": session.video_link,
            "cancelled": session.cancelled_at is not None,
            "present": attendance.get(session.pk),
        }
        for family_id in families_of[session.pk]:
            by_family[family_id].append(row)
    return by_family


def _entry(entry):
    return {
        "exercise": entry.exercise.title,
        # The session the entry was written for (none for the few written before entries
        # had sessions that no session matched).
        "session_start": entry.session.start if entry.session else None,
        "written_by": str(entry.author) if entry.author else "",
        "joint": entry.is_joint,
        "created_at": entry.created_at,
        "saved_at": entry.updated_at,
        "shared_at": entry.shared_at,
        "answers": [{"question": str(label), "answer": value} for label, value in entry.summary()],
        "feedback": [
            {
                "written_by": str(feedback.author) if feedback.author else "",
                "text": feedback.text,
                "created_at": feedback.created_at,
            }
            for feedback in entry.feedback.all()
        ],
    }


def _knowledge_check(answer):
    check = answer.lesson.knowledge_check(answer.block_id)
    options = {}
    if check is not None:
        options = {
            option.id: option.value["text"] for option in check.value["options"].bound_blocks
        }
    return {
        "lesson": answer.lesson.title,
        "question": check.value["question"] if check is not None else "",
        "chosen": [options.get(option, option) for option in answer.selected_options],
        "correct": answer.correct,
        "answered_at": answer.answered_at,
    }


def family_data(user, now=None):
    """Everything held about the user and their families, as plain data (JSON-ready
    with ``DjangoJSONEncoder``). The number of queries does not grow with the data."""
    families = list(
        FosterFamily.objects.of_parent(user)
        .select_related("municipality", "family_type")
        .prefetch_related(
            "parents",
            "development_goals",
            Prefetch(
                "placements",
                Placement.objects.select_related("startup_course__plan").prefetch_related(
                    "startup_course__plan__modules",
                    "startup_course__plan__supervision_themes",
                    "plan_goals",
                ),
            ),
            Prefetch(
                "module_completions",
                ModuleCompletion.objects.select_related("module").order_by("completed_at"),
            ),
        )
    )
    family_ids = {family.pk for family in families}
    attendance = dict(Attendance.objects.filter(parent=user).values_list("session", "present"))
    sessions = _sessions_by_family(family_ids, attendance)
    entries = with_specific_exercises(
        list(
            LogbookEntry.objects.readable_by_parent(user)
            .select_related("author", "session")
            .prefetch_related(Prefetch("feedback", Feedback.objects.select_related("author")))
            .order_by("created_at")
        )
    )
    families_by_id = {family.pk: family for family in families}
    entries_by_family = defaultdict(list)
    for entry in entries:
        entry.family = families_by_id[entry.family_id]  # its goals are prefetched there
        entries_by_family[entry.family_id].append(_entry(entry))
    calendar = CalendarPreferences.objects.filter(user=user).first()
    linked = LinkedIdentity.objects.filter(user=user).order_by("linked_at")
    return {
        "generated_at": now or timezone.now(),
        "you": {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "language": user.get_language_display(),
            "joined": user.date_joined,
            "last_login": user.last_login,
            "email_reminders": calendar.email_reminders if calendar else True,
            "two_factor": two_factor.has_two_factor(user),
            "signs_in_through": [
                {
                    "issuer": identity.issuer,
                    "subject": identity.subject,
                    "since": identity.linked_at,
                }
                for identity in linked
            ],
        },
        "families": [
            {
                "name": family.name,
                "municipality": family.municipality.name,
                "family_type": str(family.family_type),
                "care_form": family.get_care_form_display(),
                "parents": [
                    {"name": str(parent), "email": parent.email} for parent in family.parents.all()
                ],
                "placements": [
                    {
                        "child": placement.child_name,
                        "birth_year": placement.birth_year,
                        "start_date": placement.start_date,
                        "end_date": placement.end_date,
                        "end_reason": placement.get_end_reason_display(),
                        "startup_course": _course(placement),
                        "child_plan_goals": [_goal(goal) for goal in placement.plan_goals.all()],
                    }
                    for placement in family.placements.all()
                ],
                "development_goals": [_goal(goal) for goal in family.development_goals.all()],
                "completed_modules": [
                    {
                        "module": f"{done.module.number}. {done.module.title}",
                        "completed_at": done.completed_at,
                    }
                    for done in family.module_completions.all()
                ],
                "sessions": sessions[family.pk],
                "logbook": entries_by_family[family.pk],
            }
            for family in families
        ],
        "lessons": [
            {
                "lesson": progress.lesson.title,
                "last_visited_at": progress.last_visited_at,
                "completed_at": progress.completed_at,
            }
            for progress in LessonProgress.objects.filter(user=user)
            .select_related("lesson")
            .order_by("last_visited_at")
        ],
        "knowledge_checks": [
            _knowledge_check(answer)
            for answer in KnowledgeCheckAnswer.objects.filter(user=user)
            .select_related("lesson")
            .order_by("answered_at")
        ],
    }


def record_export(user):
    """Log that the user exported their families' data (the log shows each export)."""
    families = list(FosterFamily.objects.of_parent(user).select_related("municipality"))
    AccessLog.objects.record(user, families, AccessLog.Action.EXPORT, family_of=lambda f: f)


@dataclass
class ErasureSummary:
    """What erasing a family deletes and what it keeps, in counts (and parents' names)."""

    parents: list
    entries: int
    feedback: int
    goals: int
    plan_goals: int
    placements: int
    lesson_progress: int
    knowledge_check_answers: int
    sessions: int
    attendances: int
    module_completions: int


def _parents_to_anonymise(family):
    """The family's parents, except those also in another (not erased) family."""
    others = FosterFamily.objects.exclude(pk=family.pk).filter(erased_at__isnull=True)
    return (
        get_user_model()
        .objects.filter(foster_families=family)
        .exclude(pk__in=get_user_model().objects.filter(foster_families__in=others).values("pk"))
    )


def erasure_summary(family):
    parents = list(_parents_to_anonymise(family))
    return ErasureSummary(
        parents=parents,
        entries=LogbookEntry.objects.filter(family=family).count(),
        feedback=Feedback.objects.filter(entry__family=family).count(),
        goals=DevelopmentGoal.objects.filter(family=family).count(),
        plan_goals=ChildPlanGoal.objects.filter(placement__family=family).count(),
        placements=Placement.objects.filter(family=family).count(),
        lesson_progress=LessonProgress.objects.filter(user__in=parents).count(),
        knowledge_check_answers=KnowledgeCheckAnswer.objects.filter(user__in=parents).count(),
        sessions=Session.objects.filter(
            Q(families=family) | Q(groupsupervision__cohort__families=family)
        )
        .distinct()
        .count(),
        attendances=Attendance.objects.filter(parent__foster_families=family).count(),
        module_completions=ModuleCompletion.objects.filter(family=family).count(),
    )


def family_rows(family, parents):
    """Every row whose label may name the family, a child or a parent: model → ids.

    Read before erasure deletes any of them, so the logs about deleted rows are found too.
    """

    def ids(queryset):
        return list(queryset.values_list("pk", flat=True))

    return {
        FosterFamily: [family.pk],
        Placement: ids(Placement.objects.filter(family=family)),
        StartupCourse: ids(StartupCourse.objects.filter(placement__family=family)),
        CoursePlan: ids(CoursePlan.objects.filter(course__placement__family=family)),
        DevelopmentGoal: ids(DevelopmentGoal.objects.filter(family=family)),
        ChildPlanGoal: ids(ChildPlanGoal.objects.filter(placement__family=family)),
        ModuleCompletion: ids(ModuleCompletion.objects.filter(family=family)),
        LogbookEntry: ids(LogbookEntry.objects.filter(family=family)),
        Feedback: ids(Feedback.objects.filter(entry__family=family)),
        ExerciseOpening: ids(ExerciseOpening.objects.filter(family=family)),
        Attendance: ids(Attendance.objects.filter(parent__in=parents)),
        get_user_model(): [parent.pk for parent in parents],
    }


def _redact_admin_history(rows, label):
    """The logs of admin actions (Wagtail's, and ``TenantLogEntry`` of tenant models)
    keep what was done, by whom and when; the label becomes ``label`` and the extra data
    (which may hold old values) is dropped. None of these models keeps revisions."""
    for model, ids in rows.items():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        for log in (ModelLogEntry, TenantLogEntry):
            log.objects.filter(
                content_type=content_type, object_id__in=[str(pk) for pk in ids]
            ).update(label=label, data={})


def _forget_logins(addresses):
    """django-axes keeps failed and successful logins (address, IP, browser) per e-mail."""
    if not addresses:
        return
    named = Q()
    for address in addresses:
        named |= Q(username__iexact=normalise_login(address))
    for model in (AccessAttempt, AccessFailureLog, LoginRecord):
        model.objects.filter(named).delete()


@transaction.atomic
def erase_family(family, by):
    """Erase a family's personal data, keep its statistics; logged to the access log.

    Deleted: logbook entries with their feedback, hand-opened exercises, development
    goals and the goals of the children's plans; the children's names and birth years;
    the course plans' practical notes; the place of the sessions the family had alone
    (those still to come are cancelled, and their supervisors told); the family's name.
    Parents who belong to no other family are anonymised and deactivated (their e-mail,
    names, password, profile, calendar choices, reminders sent, lesson progress and knowledge check
    answers go, and django-axes' records of their logins), but their rows stay so that
    attendance keeps counting. Rewritten: the labels of the admin's history and of the
    access log that named the family, its children or parents. Kept: the family row
    (shown as "Slettet familie <id>"), its type and care form, placements' start dates
    and ends and their courses with deadlines (closed: never late or at risk again), the
    plans' modules, sessions, cohort membership, attendance and module completions.
    """
    family = FosterFamily.objects.select_for_update().get(pk=family.pk)
    if family.is_erased:
        return family
    parents = list(_parents_to_anonymise(family))
    rows = family_rows(family, parents)
    LogbookEntry.objects.filter(family=family).delete()
    ExerciseOpening.objects.filter(family=family).delete()
    DevelopmentGoal.objects.filter(family=family).delete()
    ChildPlanGoal.objects.filter(placement__family=family).delete()
    Placement.objects.filter(family=family).update(child_name="", birth_year=None)
    CoursePlan.objects.filter(course__placement__family=family).update(practical_notes="")
    Session.objects.alone_with(family).update(place="")
    _forget_logins([parent.email for parent in parents])
    for model in (
        LessonProgress,
        KnowledgeCheckAnswer,
        CalendarPreferences,
        ReminderSent,
        UserProfile,
        LinkedIdentity,  # the person's subject at MitID's broker
        Invitation,  # its link must not bring the account back
    ):
        model.objects.filter(user__in=parents).delete()
    two_factor.reset(*parents)
    for parent in parents:
        parent.email = f"erased-{parent.pk}@{ERASED_EMAIL_DOMAIN}"
        parent.first_name = parent.last_name = ""
        parent.is_active = False
        parent.set_unusable_password()
    get_user_model().objects.bulk_update(
        parents, ["email", "first_name", "last_name", "is_active", "password"]
    )
    family.name = ""
    family.erased_at = timezone.now()
    family.save(update_fields=["name", "erased_at"])
    # Nobody is left to come to the family's own coming sessions; their supervisors are told.
    for session in Session.objects.alone_with(family).upcoming():
        cancel_session(session)
    # The logs are the municipality's record, written in its language whoever erases.
    with translation.override(settings.LANGUAGE_CODE):
        _redact_admin_history(rows, str(family))
        AccessLog.objects.redact_family(family, rows)
        AccessLog.objects.record(by, [family], AccessLog.Action.ERASE, family_of=lambda f: f)
    return family
