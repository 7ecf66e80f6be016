"""The operator's screens in the admin (*Operations*, superusers only): outgoing e-mail
and background tasks, failed ones to be found by their status filter and sent or run
again from their page. Everything else about them is read-only here."""

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import mail, wakeup
from .models import OutgoingMail


class OperatorsOnly(ModelPermissionPolicy):
    """Superusers look; nobody adds, edits or deletes these records in the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser


def register_permission_policies():
    for model in (OutgoingMail, DBTaskResult):
        register_permission_policy(model, OperatorsOnly(model), exact_class=True)


class AgainView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then do it again: send a failed e-mail, run a failed task."""

    template_name = "operations/again.html"
    header_icon = "redirect"
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        self.object = get_object_or_404(self.viewset.model, pk=kwargs["pk"], **self.failed)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    @property
    def index_url(self):
        return reverse(self.viewset.get_url_name("index"))

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.index_url, "label": self.viewset.menu_label},
            {"url": "", "label": self.page_title, "sublabel": self.get_page_subtitle()},
        ]

    def post(self, request, *args, **kwargs):
        self.again()
        messages.success(request, self.done_message)
        return redirect(self.index_url)


class SendAgainView(AgainView):
    page_title = _("Send again")
    failed = {"status": OutgoingMail.Status.FAILED}
    question = _("Send this e-mail again? It gets a new round of attempts from now.")
    done_message = _("The e-mail is queued to be sent again.")

    def again(self):
        mail.send_again(self.object)


class RunAgainView(AgainView):
    page_title = _("Run again")
    failed = {"status": TaskResultStatus.FAILED}
    question = _("Run this task again? Tasks are made to be safe to run twice.")
    done_message = _("The task is queued to run again.")

    def again(self):
        DBTaskResult.objects.filter(pk=self.object.pk).update(
            status=TaskResultStatus.READY,
            run_after=timezone.now(),
            finished_at=None,
            worker_ids=[],
        )
        wakeup.notify()


class AgainInspectView(InspectView):
    again_url_name = None
    failed_status = None

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.object.status == self.failed_status:
            buttons.append(
                HeaderButton(
                    self.again_label,
                    url=reverse(self.again_url_name, args=[self.object.pk]),
                    icon_name="redirect",
                )
            )
        return buttons


class OperationsViewSet(ModelViewSet):
    inspect_view_enabled = True
    exclude_form_fields = []  # no form is ever shown: nobody may add or edit
    again_view_class = None

    def get_permissions_to_register(self):
        return Permission.objects.none()  # superusers only, not a group permission

    @property
    def inspect_view_class(self):
        return type(
            "InspectView",
            (AgainInspectView,),
            {
                "again_url_name": self.get_url_name("again"),
                "failed_status": self.again_view_class.failed["status"],
                "again_label": self.again_view_class.page_title,
            },
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "<str:pk>/again/",
                self.again_view_class.as_view(viewset=self),
                name="again",
            ),
        ]


class OutgoingMailIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("recipient")  # the "To" column


class OutgoingMailViewSet(OperationsViewSet):
    model = OutgoingMail
    index_view_class = OutgoingMailIndexView
    icon = "mail"
    menu_label = _("Outgoing e-mail")
    again_view_class = SendAgainView
    list_filter = ["status"]
    list_display = [
        "subject",
        Column("to", label=_("To")),
        "status",
        "attempts",
        DateColumn("created_at", label=_("Written")),
        DateColumn("sent_at", label=_("Sent")),
    ]
    inspect_view_fields = [
        "subject",
        "to",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "message_id",
    ]


class TaskViewSet(OperationsViewSet):
    model = DBTaskResult
    icon = "cogs"
    menu_label = _("Background tasks")
    again_view_class = RunAgainView
    list_filter = ["status"]
    ordering = ["-enqueued_at"]
    list_display = [
        Column("task_name", label=_("Task")),
        Column("status", label=_("Status")),
        DateColumn("enqueued_at", label=_("Queued")),
        DateColumn("run_after", label=_("Run after")),
        DateColumn("finished_at", label=_("Finished")),
    ]
    inspect_view_fields = [
        "task_path",
        "status",
        "args_kwargs",
        "enqueued_at",
        "run_after",
        "started_at",
        "finished_at",
        "worker_ids",
        "exception_class_path",
        "traceback",
    ]


class OperationsViewSetGroup(ViewSetGroup):
    menu_label = _("Operations")
    menu_icon = "cogs"
    menu_order = 950
    items = [OutgoingMailViewSet("outgoing_mail"), TaskViewSet("background_tasks")]
