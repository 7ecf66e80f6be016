"""Staff screens in the Wagtail admin: shared entries to read, and feedback on each."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.models import AccessLog, Municipality
from supervision.models import Session

from . import availability, retention, services
from .forms import FeedbackForm
from .models import LogbookEntry, Timing


class AdminPageView(WagtailAdminTemplateMixin, TemplateView):
    """A page of the admin for the users who have ``permission_required``."""

    permission_required = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]


class SharedEntriesView(AdminPageView):
    permission_required = "logbook.view_logbookentry"
    page_title = gettext_lazy("Shared logbook entries")
    header_icon = "comment"
    template_name = "logbook/admin/shared_entries.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        entries = (
            LogbookEntry.objects.visible_to_staff(user)
            .select_related("family", "author", "last_edited_by", "session")
            .prefetch_related("family__development_goals", "family__placements__plan_goals")
            .order_by("-shared_at")
        )
        page = Paginator(entries, self.paginate_by).get_page(self.request.GET.get("p"))
        rows = services.with_specific_exercises(list(page.object_list))
        feedback = services.feedback_by_entry(rows, user)
        AccessLog.objects.record(
            user, rows, AccessLog.Action.READ_SHARED_ENTRY, family_of=lambda e: e.family
        )
        soon = timezone.now() + datetime.timedelta(days=14)
        context.update(
            page=page,
            rows=[(entry, FeedbackForm(instance=feedback.get(entry.pk))) for entry in rows],
            sessions=Session.objects.for_user(user).upcoming().filter(start__lte=soon)[:50],
        )
        return context


class SessionEntriesView(SharedEntriesView):
    """The shared entries written for one session."""

    template_name = "logbook/admin/session_entries.html"

    def get_page_title(self):
        return _("Shared entries for the session")

    def get_page_subtitle(self):
        return str(self.session)

    def get(self, request, session_id):
        self.session = get_object_or_404(Session.objects.for_user(request.user), pk=session_id)
        return super().get(request)

    def get_context_data(self, **kwargs):
        context = WagtailAdminTemplateMixin.get_context_data(self, **kwargs)
        user = self.request.user
        families = self.session.participating_families()
        exercises = availability.exercises_for_topic(availability.session_topic(self.session))
        entries = list(
            LogbookEntry.objects.visible_to_staff(user)
            .filter(session=self.session, family__in=families)
            .select_related("family", "author", "last_edited_by")
            .prefetch_related("family__development_goals", "family__placements__plan_goals")
            .order_by("family__name", "exercise_id")
        )
        services.with_specific_exercises(entries)
        feedback = services.feedback_by_entry(entries, user)
        AccessLog.objects.record(
            user, entries, AccessLog.Action.READ_SHARED_ENTRY, family_of=lambda e: e.family
        )
        by_family = {family.pk: [] for family in families}
        for entry in entries:
            by_family[entry.family_id].append(
                (entry, FeedbackForm(instance=feedback.get(entry.pk)))
            )
        after_exercises = [e for e in exercises if e.timing == Timing.AFTER and not e.retired]
        context.update(
            session=self.session,
            groups=[(family, by_family[family.pk]) for family in families],
            after_exercises=after_exercises,
        )
        return context


@require_POST
def open_after_exercises(request, session_id, family_id):
    """The consultant opens a session's after-exercises by hand for one family."""
    if not request.user.has_perm("logbook.add_exerciseopening"):
        raise PermissionDenied
    session = get_object_or_404(Session.objects.for_user(request.user), pk=session_id)
    family = next((f for f in session.participating_families() if f.pk == family_id), None)
    if family is None:
        raise Http404
    topic = availability.session_topic(session)
    exercises = availability.exercises_for_topic(topic).filter(timing=Timing.AFTER, retired=False)
    services.open_exercises(family, session, exercises, request.user)
    messages.success(
        request, _("The after-exercises are open for %(family)s.") % {"family": family}
    )
    return redirect("logbook_session_entries", session.pk)


@require_POST
def give_feedback(request, entry_id):
    entry = get_object_or_404(LogbookEntry.objects.visible_to_staff(request.user), pk=entry_id)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        services.give_feedback(entry, request.user, form.cleaned_data["text"])
        messages.success(request, _("Feedback saved for %(family)s.") % {"family": entry.family})
    else:
        messages.error(request, " ".join(form.errors["text"]))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("logbook_shared_entries")
    return redirect(f"{back}#entry-{entry.pk}")


class RetentionReportView(AdminPageView):
    """The dry run of logbook retention for the coordinator's municipality: counts only."""

    permission_required = "supervision.change_coursepolicy"
    page_title = gettext_lazy("Logbook retention")
    header_icon = "bin"
    template_name = "logbook/admin/retention.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        municipalities = Municipality.objects.for_user(self.request.user)
        context["reports"] = retention.retention_reports(municipalities)
        return context
