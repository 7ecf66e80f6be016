"""Who is supported, when: families, start-up courses, cohorts and sessions.

Split by concept: ``families`` (families, placements, goals), ``startup`` (the start-up
course, its policy and plan), ``sessions`` (cohorts, quarters, sessions, attendance)
and ``notifications`` (reminder preferences, the iCal feed token, reminders sent).
"""

from .families import (
    CareForm,
    ChildPlanGoal,
    DevelopmentGoal,
    EndReason,
    FosterFamily,
    GoalStatus,
    Placement,
)
from .notifications import CalendarPreferences, ReminderSent
from .sessions import (
    Attendance,
    Cohort,
    GroupSupervision,
    IndividualSupervision,
    ModuleSession,
    PreMeeting,
    Quarter,
    Session,
    ThemeSupervision,
)
from .startup import (
    CoursePlan,
    CoursePolicy,
    CourseStatus,
    ModuleCompletion,
    ModuleCompletionRule,
    StartupCourse,
    add_months,
)

__all__ = [
    "Attendance",
    "CalendarPreferences",
    "CareForm",
    "ChildPlanGoal",
    "Cohort",
    "CoursePlan",
    "CoursePolicy",
    "CourseStatus",
    "DevelopmentGoal",
    "EndReason",
    "FosterFamily",
    "GoalStatus",
    "GroupSupervision",
    "IndividualSupervision",
    "ModuleCompletion",
    "ModuleCompletionRule",
    "ModuleSession",
    "Placement",
    "PreMeeting",
    "Quarter",
    "ReminderSent",
    "Session",
    "StartupCourse",
    "ThemeSupervision",
    "add_months",
]
