"""Staff screens for supervision, every one scoped to the user's municipality.

Creating a placement opens its start-up course; creating or moving a session invites
or tells the people in it: Wagtail saves them through ``supervision.actions``, which
call ``supervision.services`` as everything else does.
"""

import django_filters
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, ListingButton

from cms.accounts_admin import AccountForm, AccountViewSet, InvitationColumn
from cms.models import AccessLog
from cms.viewsets import TenantModelViewSet

from . import admin_views
from .casework import family_casework
from .models import (
    Cohort,
    CoursePlan,
    CoursePolicy,
    CourseStatus,
    FosterFamily,
    GroupSupervision,
    IndividualSupervision,
    ModuleSession,
    Placement,
    PreMeeting,
    Session,
    StartupCourse,
    ThemeSupervision,
)

STATUS_COLOURS = {
    CourseStatus.PLANNED: "#5b6770",
    CourseStatus.STARTED: "#00607a",
    CourseStatus.COMPLETED: "#1f7a3a",
    CourseStatus.AT_RISK: "#8a5a00",
    CourseStatus.LATE: "#b00020",
    CourseStatus.CLOSED: "#4d4d4d",
    CourseStatus.ENDED: "#4d4d4d",
}


def erase_button(user, family):
    """The coordinator's way to a family's erasure (the view lives in ``cms``, which
    composes all apps); None when the user may not erase or nothing is left to erase."""
    if family.is_erased or not user.has_perm("supervision.erase_fosterfamily"):
        return None
    return Button(
        _("Erase personal data"),
        url=reverse("privacy_erase_family", args=[family.pk]),
        icon_name="bin",
        priority=40,
    )


def add_parent_button(user, family):
    if family.is_erased or not user.has_perm("supervision.change_fosterfamily"):
        return None
    return Button(
        _("Add a parent"),
        url=reverse("supervision_add_parent", args=[family.pk]),
        icon_name="plus",
        priority=30,
    )


def family_buttons(user, family):
    return [b for b in (add_parent_button(user, family), erase_button(user, family)) if b]


class LogsFamilyRead:
    """Opening a page of one family's data in the admin (the family, a placement, a
    course, a plan) is a staff read of it: log it against the family."""

    @staticmethod
    def family_of(obj):
        return obj

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        AccessLog.objects.record(
            request.user, [self.object], AccessLog.Action.READ_FAMILY, family_of=self.family_of
        )
        return response


class FosterFamilyIndexView(ModelViewSet.index_view_class):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        button = erase_button(self.request.user, instance)
        return [*buttons, button] if button else buttons


class FamilyHeaderButtons:
    """A family's own page offers adding a parent and erasing its data."""

    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *family_buttons(self.request.user, self.object)]


class FosterFamilyEditView(LogsFamilyRead, FamilyHeaderButtons, ModelViewSet.edit_view_class):
    pass


class FosterFamilyInspectView(LogsFamilyRead, FamilyHeaderButtons, ModelViewSet.inspect_view_class):
    """The family's case work on one page: placements, courses, goals, sessions."""

    template_name = "supervision/admin/family_inspect.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(casework=family_casework(self.object), **kwargs)


class FosterFamilyViewSet(TenantModelViewSet):
    model = FosterFamily
    icon = "group"
    menu_label = _("Foster families")
    list_display = ["name", "family_type", "care_form"]
    list_filter = ["family_type", "care_form"]
    search_fields = ["name"]
    inspect_view_enabled = True
    index_view_class = FosterFamilyIndexView
    edit_view_class = FosterFamilyEditView
    inspect_view_class = FosterFamilyInspectView

    @cached_property
    def add_view(self):
        """A family is registered with its parents in one form (``admin_views``)."""
        return admin_views.register_family


class FosterParentIndexView(AccountViewSet.index_view_class):
    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("foster_families")


class FosterParentViewSet(AccountViewSet):
    """The municipality's foster parents and their invitations, for supervisors and
    coordinators; parents are added with their family (``admin_views.register_family``)."""

    name = "foster_parents"
    managed = "parents_managed_by"
    icon = "user"
    menu_label = _("Foster parents")
    index_view_class = FosterParentIndexView
    form_fields = ["first_name", "last_name", "email", "language"]
    list_display = [
        TitleColumn("name", label=_("Name"), accessor=str, url_name="foster_parents:edit"),
        "email",
        Column(
            "families",
            label=_("Foster families"),
            accessor=lambda user: ", ".join(str(f) for f in user.foster_families.all()),
        ),
        InvitationColumn(),
    ]

    def get_form_class(self, for_update=False):
        return AccountForm


def end_placement_button(user, placement, button_class=Button):
    """The way to end a running placement (``services.end_placement`` behind a
    confirmation); None once it has ended or without the permission."""
    if placement.has_ended or not user.has_perm("supervision.change_placement"):
        return None
    return button_class(
        _("End placement"),
        url=reverse("supervision_end_placement", args=[placement.pk]),
        icon_name="logout",
        priority=30,
    )


class PlacementIndexView(TenantModelViewSet.index_view_class):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        button = end_placement_button(self.request.user, instance)
        return [*buttons, button] if button else buttons


class PlacementEditView(LogsFamilyRead, TenantModelViewSet.edit_view_class):
    @staticmethod
    def family_of(placement):
        return placement.family

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        button = end_placement_button(self.request.user, self.object)
        return [*buttons, button] if button else buttons


class PlacementViewSet(TenantModelViewSet):
    model = Placement
    icon = "user"
    menu_label = _("Placements")
    index_view_class = PlacementIndexView
    edit_view_class = PlacementEditView
    list_display = ["child_name", "family", "start_date", "end_date"]
    search_fields = ["child_name", "family__name"]


class StatusColumn(Column):
    """The computed course status as a coloured tag."""

    cell_template_name = "supervision/admin/status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        status = instance.status()
        context.update(label=status.label, colour=STATUS_COLOURS[status])
        return context


def course_record_button(course, button_class=Button):
    return button_class(
        _("Course record (PDF)"),
        url=reverse("supervision_course_record", args=[course.pk]),
        icon_name="download",
        priority=5,
    )


class StartupCourseIndexView(TenantModelViewSet.index_view_class):
    def get_base_queryset(self):
        return super().get_base_queryset().with_status().with_policy()

    def get_list_buttons(self, instance):
        return [course_record_button(instance, ListingButton), *super().get_list_buttons(instance)]


class StartupCourseEditView(LogsFamilyRead, TenantModelViewSet.edit_view_class):
    @staticmethod
    def family_of(course):
        return course.placement.family

    @cached_property
    def header_more_buttons(self):
        buttons = [course_record_button(self.object), *super().header_more_buttons]
        if self.object.end_date is None and self.request.user.has_perm(
            "supervision.change_startupcourse"
        ):
            buttons.append(
                Button(
                    _("Close course early"),
                    url=reverse("supervision_close_course", args=[self.object.pk]),
                    icon_name="logout",
                    priority=30,
                )
            )
        return buttons


class StartupCourseViewSet(TenantModelViewSet):
    """Courses are opened by registering a placement, so no role may add one here."""

    model = StartupCourse
    icon = "date"
    menu_label = _("Start-up courses")
    index_view_class = StartupCourseIndexView
    edit_view_class = StartupCourseEditView
    list_display = [
        "placement",
        Column("family", label=_("Foster family"), accessor="placement.family"),
        "start_deadline",
        "finish_deadline",
        Column("training_days", label=_("Training days")),
        StatusColumn("status", label=_("Status")),
    ]
    search_fields = ["placement__child_name", "placement__family__name"]


class CoursePlanEditView(LogsFamilyRead, TenantModelViewSet.edit_view_class):
    @staticmethod
    def family_of(plan):
        return plan.course.placement.family


class CoursePlanViewSet(TenantModelViewSet):
    model = CoursePlan
    edit_view_class = CoursePlanEditView
    icon = "list-ul"
    menu_label = _("Course plans")
    list_display = ["course"]


class CoursePolicyViewSet(TenantModelViewSet):
    model = CoursePolicy
    icon = "cogs"
    menu_label = _("Course policy")
    list_display = [
        "municipality",
        "start_window_months",
        "required_training_days",
        "logbook_retention_months",
    ]


class CohortViewSet(TenantModelViewSet):
    model = Cohort
    icon = "calendar"
    menu_label = _("Cohorts")
    list_display = ["name", "year"]
    list_filter = ["year"]
    search_fields = ["name"]


class SessionFilterSet(WagtailFilterSet):
    """Sessions by the day they start on, compared as days: a time filter turned the day
    typed into a moment in UTC, which year 1 has none of (500)."""

    date = django_filters.DateFromToRangeFilter(
        label=_("Date"), field_name="start__date", widget=DateRangePickerWidget
    )

    class Meta:
        model = Session
        fields = []


class SessionViewSet(TenantModelViewSet):
    list_display = ["__str__", "place"]
    filterset_class = SessionFilterSet


class PreMeetingViewSet(SessionViewSet):
    model = PreMeeting
    icon = "user"
    menu_label = _("Pre-meetings")


class ModuleSessionViewSet(SessionViewSet):
    model = ModuleSession
    icon = "doc-full"
    menu_label = _("Module sessions")


class ThemeSupervisionViewSet(SessionViewSet):
    model = ThemeSupervision
    icon = "pick"
    menu_label = _("Theme supervisions")


class GroupSupervisionViewSet(SessionViewSet):
    model = GroupSupervision
    icon = "group"
    menu_label = _("Group supervisions")
    list_display = ["__str__", "cohort", "quarter", "place"]


class IndividualSupervisionViewSet(SessionViewSet):
    model = IndividualSupervision
    icon = "user"
    menu_label = _("Individual supervisions")


class SupervisionGroup(ViewSetGroup):
    menu_label = _("Families")
    menu_icon = "group"
    menu_order = 150
    items = (
        FosterFamilyViewSet,
        FosterParentViewSet,
        PlacementViewSet,
        StartupCourseViewSet,
        CoursePlanViewSet,
        CohortViewSet,
        CoursePolicyViewSet,
    )


class SessionGroup(ViewSetGroup):
    menu_label = _("Sessions")
    menu_icon = "date"
    menu_order = 160
    items = (
        PreMeetingViewSet,
        ModuleSessionViewSet,
        ThemeSupervisionViewSet,
        GroupSupervisionViewSet,
        IndividualSupervisionViewSet,
    )
