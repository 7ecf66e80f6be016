"""Custom staff screens: the agenda and past sessions, attendance, cancelling, and planning
a cohort's year.

Each looks its object up through ``for_user``, so another municipality's session or
cohort answers 404, as on the viewsets' own screens.
"""

import calendar
import datetime
from itertools import groupby

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.log_actions import log

from cms.models import AccessLog
from cms.pdf import pdf_response

from . import services
from .forms import (
    AttendanceForm,
    CloseCourseForm,
    EndPlacementForm,
    FamilyForm,
    ParentForm,
    ParentFormSet,
    PlanCohortYearForm,
)
from .models import (
    Attendance,
    CoursePlan,
    FosterFamily,
    GroupSupervision,
    IndividualSupervision,
    ModuleCompletion,
    ModuleSession,
    Placement,
    PreMeeting,
    Session,
    StartupCourse,
    ThemeSupervision,
    dates,
)
from .services import (
    cancel_session,
    close_course,
    end_placement,
    own_coming_sessions,
    plan_cohort_year,
    record_attendance,
)

SESSION_KINDS = [
    PreMeeting,
    ModuleSession,
    ThemeSupervision,
    GroupSupervision,
    IndividualSupervision,
]


def require_permission(request, codename):
    if not request.user.has_perm(f"supervision.{codename}"):
        raise PermissionDenied


def week_of(session):
    return timezone.localtime(session.start).isocalendar()[:2]


def session_links(user, session):
    """Links that other apps put on a session's row (the logbook: its shared entries),
    through the ``register_session_links`` hook, as supervision cannot import them."""
    return [
        link for hook in hooks.get_hooks("register_session_links") if (link := hook(user, session))
    ]


def agenda_rows(request, sessions):
    """The sessions with their kind, edit link and the other apps' links, in the same
    queries however many sessions there are."""
    sessions = list(sessions.select_related("polymorphic_ctype").prefetch_related("supervisors"))
    for session in sessions:
        kind = session.polymorphic_ctype.model_class()
        session.kind = kind._meta.verbose_name
        session.edit_url = reverse(f"{kind._meta.model_name}:edit", args=[session.pk])
        session.links = session_links(request.user, session)
    return sessions


def agenda(request):
    """Upcoming sessions of the municipality, grouped by ISO week (queries fixed per page)."""
    require_permission(request, "view_session")
    sessions = agenda_rows(
        request, Session.objects.for_user(request.user).upcoming().non_polymorphic()[:200]
    )
    weeks = []
    for (year, week), items in groupby(sessions, key=week_of):
        monday = datetime.date.fromisocalendar(year, week, 1)
        weeks.append({"week": week, "monday": monday, "sessions": list(items)})
    add_links = [
        (kind._meta.verbose_name, reverse(f"{kind._meta.model_name}:add")) for kind in SESSION_KINDS
    ]
    return TemplateResponse(
        request,
        "supervision/admin/agenda.html",
        {"weeks": weeks, "add_links": add_links, "page_title": _("Agenda")},
    )


def month_grid(year, month, sessions):
    """The weeks of the month (Monday first) as rows of (day, sessions that day,
    whether the day is in the month)."""
    by_day = {}
    for session in sessions:
        by_day.setdefault(timezone.localdate(session.start), []).append(session)
    return [
        [(day, by_day.get(day, []), day.month == month) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]


def agenda_month(request, year=None, month=None):
    """One month of the municipality's sessions as a calendar grid, past and coming,
    with links to the month before and after (queries fixed however many sessions)."""
    require_permission(request, "view_session")
    today = timezone.localdate()
    if year is None:
        year, month = today.year, today.month
    years = range(dates.LAW_IN_FORCE.year, dates.latest_planned_day().year + 1)
    if not (1 <= month <= 12 and year in years):
        raise Http404
    first = datetime.date(year, month, 1)
    last = first + relativedelta(months=1) - datetime.timedelta(days=1)
    sessions = agenda_rows(
        request,
        Session.objects.for_user(request.user)
        .active()
        .filter(start__date__gte=first, start__date__lte=last)
        .non_polymorphic()
        .order_by("start", "pk"),
    )

    def month_url(day):
        if day.year not in years:
            return None
        return reverse("supervision_agenda_month", args=[day.year, day.month])

    weeks = month_grid(year, month, sessions)
    return TemplateResponse(
        request,
        "supervision/admin/agenda_month.html",
        {
            "first": first,
            "weeks": weeks,
            "weekdays": [day for day, _sessions, _in_month in weeks[0]],
            "previous_url": month_url(first - datetime.timedelta(days=1)),
            "next_url": month_url(last + datetime.timedelta(days=1)),
            "today": today,
            "page_title": _("Agenda by month"),
        },
    )


PAST_SESSIONS_PER_PAGE = 50


def past_sessions(request):
    """Sessions that have ended, the latest first: the way back to their attendance and
    shared entries once they have left the agenda."""
    require_permission(request, "view_session")
    ended = (
        Session.objects.for_user(request.user)
        .active()
        .filter(end__lt=timezone.now())
        .non_polymorphic()
        .order_by("-start", "-pk")
    )
    page = Paginator(ended, PAST_SESSIONS_PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "supervision/admin/past_sessions.html",
        {
            "page": page,
            "sessions": agenda_rows(request, page.object_list),
            "page_title": _("Past sessions"),
        },
    )


def expected_parents(session):
    families = session.participating_families()
    return (
        get_user_model()
        .objects.filter(foster_families__in=families)
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def attendance(request, pk):
    """One form listing every expected parent of a session with present or absent,
    open from the session's start until ``Session.ATTENDANCE_PERIOD`` after it."""
    require_permission(request, "add_attendance")
    session = get_object_or_404(Session.objects.for_user(request.user), pk=pk)
    parents = list(expected_parents(session))
    recorded = dict(Attendance.objects.filter(session=session).values_list("parent_id", "present"))
    closed = session.attendance_closed_reason()
    form = AttendanceForm(
        request.POST if request.method == "POST" and not closed else None,
        parents=parents,
        recorded=recorded,
    )
    if request.method == "POST" and not closed and form.is_valid():
        try:
            record_attendance(session, form.presence())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Attendance saved."))
            ended = session.end < timezone.now()
            return redirect("supervision_past_sessions" if ended else "supervision_agenda")
    return TemplateResponse(
        request,
        "supervision/admin/attendance.html",
        {
            "session": session,
            "form": form,
            "closed": closed,
            "recorded": [(parent, recorded.get(parent.pk)) for parent in parents],
            "page_title": _("Attendance"),
        },
    )


@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    """Ask first (GET), cancel on the confirming POST: everyone in the session is told."""
    require_permission(request, "change_session")
    session = get_object_or_404(Session.objects.for_user(request.user).active(), pk=pk)
    if request.method == "POST":
        cancel_session(session)
        messages.success(request, _("The session is cancelled and everyone in it has been told."))
        return redirect("supervision_agenda")
    return TemplateResponse(
        request,
        "supervision/admin/cancel.html",
        {
            "session": session,
            "told": session.recipients().count(),
            "page_title": _("Cancel the session?"),
        },
    )


def confirmed_change(request, form, change, success, redirect_to):
    """Run ``change`` for a valid POST of ``form``; the service's refusals go next to the
    form's fields, and the page is shown again with what was typed."""
    if request.method == "POST" and form.is_valid():
        try:
            change(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect(redirect_to)
    return None


@require_http_methods(["GET", "POST"])
def end_placement_view(request, pk):
    """Ask when and why the child moved on (GET), end the placement on the confirming POST."""
    require_permission(request, "change_placement")
    placement = get_object_or_404(
        Placement.objects.for_user(request.user).select_related("family"), pk=pk
    )
    if placement.has_ended:
        messages.error(request, _("The placement has already ended."))
        return redirect("placement:edit", placement.pk)
    form = EndPlacementForm(request.POST if request.method == "POST" else None)
    done = confirmed_change(
        request,
        form,
        lambda data: end_placement(
            placement,
            data["end_date"],
            data["end_reason"],
            cancel_sessions=data["cancel_sessions"],
        ),
        _("The placement has ended, and its start-up course with it."),
        reverse("placement:edit", args=[placement.pk]),
    )
    return done or TemplateResponse(
        request,
        "supervision/admin/end_placement.html",
        {
            "placement": placement,
            "form": form,
            "coming_sessions": own_coming_sessions(placement.family, timezone.localdate()).count(),
            "page_title": _("End the placement"),
        },
    )


@require_http_methods(["GET", "POST"])
def close_course_view(request, pk):
    """Ask for the reason (GET), close the start-up course early on the confirming POST."""
    require_permission(request, "change_startupcourse")
    course = get_object_or_404(
        StartupCourse.objects.for_user(request.user).select_related("placement__family"), pk=pk
    )
    if course.end_date is not None:
        messages.error(request, _("The course has already ended."))
        return redirect("startupcourse:edit", course.pk)
    form = CloseCourseForm(request.POST if request.method == "POST" else None)
    done = confirmed_change(
        request,
        form,
        lambda data: close_course(course, data["close_reason"]),
        _("The start-up course is closed."),
        reverse("startupcourse:edit", args=[course.pk]),
    )
    return done or TemplateResponse(
        request,
        "supervision/admin/close_course.html",
        {"course": course, "form": form, "page_title": _("Close the course early")},
    )


def plan_year(request):
    """Create a cohort's four quarters and their group supervisions in one go."""
    require_permission(request, "add_groupsupervision")
    form = PlanCohortYearForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan_cohort_year(
                data["cohort"],
                form.themes,
                weekday=data["weekday"],
                start_time=data["start_time"],
                duration=datetime.timedelta(minutes=data["duration_minutes"]),
                supervisors=list(data["supervisors"]),
                place=data["place"],
                video_link=data["video_link"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The year is planned and the cohort is invited."))
            return redirect("supervision_agenda")
    return TemplateResponse(
        request,
        "supervision/admin/plan_year.html",
        {"form": form, "page_title": _("Plan a cohort's year")},
    )


def course_record(request, pk):
    """The course plan and completion record of one start-up course, as a PDF for filing in
    the municipality's case system; the export is written to the access log."""
    require_permission(request, "view_startupcourse")
    course = get_object_or_404(
        StartupCourse.objects.for_user(request.user)
        .with_status()
        .select_related("placement__family__family_type"),
        pk=pk,
    )
    placement, family = course.placement, course.placement.family
    plan = (
        CoursePlan.objects.filter(course=course)
        .prefetch_related("modules", "supervision_themes")
        .first()
    )
    completions = {
        completion.module_id: completion
        for completion in ModuleCompletion.objects.filter(family=family).select_related("module")
    }
    attended = list(
        Attendance.objects.filter(
            parent__foster_families=family,
            present=True,
            session__start__date__gte=placement.start_date,
            session__cancelled_at__isnull=True,
        )
        .select_related("parent", "session__polymorphic_ctype")
        .order_by("session__start", "parent__first_name")
    )
    for attendance in attended:
        attendance.kind = attendance.session.polymorphic_ctype.model_class()._meta.verbose_name
    AccessLog.objects.record(request.user, [course], AccessLog.Action.EXPORT, lambda c: family)
    context = {
        "course": course,
        "placement": placement,
        "family": family,
        "plan": plan,
        "planned_modules": [
            (module, completions.get(module.pk)) for module in (plan.modules.all() if plan else [])
        ],
        "completions": sorted(completions.values(), key=lambda c: c.completed_at),
        "attended": attended,
        "generated_at": timezone.now(),
    }
    return pdf_response(
        "pdf/course_record.html", context, request, f"course-record-{course.pk}.pdf"
    )


def register_family(request):
    """Create a family and its parents in one form (``services.register_family``): new
    parents get an account and an invitation, existing ones are linked by choice."""
    require_permission(request, "add_fosterfamily")
    data = request.POST if request.method == "POST" else None
    form = FamilyForm(data, for_user=request.user)
    parents = ParentFormSet(data, prefix="parents", form_kwargs={"for_user": request.user})
    if data is not None and all([form.is_valid(), parents.is_valid()]):  # both show errors
        try:
            family = services.register_family(
                form.instance, parents.parents(), invited_by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            log(family, "wagtail.create", user=request.user)
            messages.success(
                request,
                _("The family %(name)s is registered and its new parents are invited by e-mail.")
                % {"name": family.name},
            )
            return redirect("fosterfamily:edit", family.pk)
    return TemplateResponse(
        request,
        "supervision/admin/register_family.html",
        {"form": form, "parents": parents, "page_title": _("Register a family")},
    )


def add_parent(request, pk):
    """Add a parent to a family of the municipality: a new one, or an existing one linked."""
    require_permission(request, "change_fosterfamily")
    family = get_object_or_404(FosterFamily.objects.for_user(request.user).pickable(), pk=pk)
    form = ParentForm(request.POST or None, for_user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            parent = services.add_parent(family, form.parent(), invited_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(parent)s is added to the family %(name)s.")
                % {"parent": parent, "name": family.name},
            )
            return redirect("fosterfamily:edit", family.pk)
    return TemplateResponse(
        request,
        "supervision/admin/add_parent.html",
        {
            "form": form,
            "family": family,
            "page_title": _("Add a parent to %(name)s") % {"name": family.name},
        },
    )
