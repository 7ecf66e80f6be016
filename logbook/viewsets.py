"""Trainers author exercises in the Wagtail admin: one screen per kind of exercise."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import (
    ChecklistExercise,
    GoalFollowUpExercise,
    ObservationExercise,
    ReflectionExercise,
    ScaleExercise,
)


def in_use_message(use):
    entries = ngettext("%(count)s logbook entry", "%(count)s logbook entries", use["entries"]) % {
        "count": use["entries"]
    }
    municipalities = ngettext(
        "%(count)s municipality", "%(count)s municipalities", use["municipalities"]
    ) % {"count": use["municipalities"]}
    return _(
        "Families have written %(entries)s in this exercise, in %(municipalities)s. It "
        "cannot be deleted: retire it instead (tick “Retired” on the exercise). Families "
        "then no longer get it, and what they wrote stays readable."
    ) % {"entries": entries, "municipalities": municipalities}


class CountsFamilyUse:
    """The delete and usage views of an exercise count the entries families wrote in it.

    Wagtail's usage count comes from its reference index, which does not index logbook
    entries, so it said "referenced 0 times" of an exercise hundreds of entries use.
    Entries are deliberately not indexed: the usage list would show trainers every entry
    (never theirs to see), and every autosave would queue an index update. Their count,
    from the database, is added instead; entries protect the exercise (``PROTECT``).
    """

    @cached_property
    def family_use(self):
        return self.object.family_use()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.family_use["entries"]:
            context["family_use_message"] = in_use_message(self.family_use)
            if "usage_count" in context:
                context["usage_count"] += self.family_use["entries"]
                context["is_protected"] = True
        return context


class ExerciseDeleteView(CountsFamilyUse, ModelViewSet.delete_view_class):
    template_name = "logbook/admin/exercise_confirm_delete.html"

    def form_valid(self, form):
        if self.family_use["entries"]:
            messages.error(self.request, in_use_message(self.family_use))
            return redirect(self.get_delete_url())
        return super().form_valid(form)


class ExerciseUsageView(CountsFamilyUse, ModelViewSet.usage_view_class):
    template_name = "logbook/admin/exercise_usage.html"


class ExerciseViewSet(ModelViewSet):
    """Exercises are national course content, like the modules they belong to. One that
    families wrote in is retired, never deleted."""

    icon = "edit"
    list_display = ["title", "module", "theme", "timing", "required", "retired"]
    list_filter = ["timing", "required", "retired"]
    search_fields = ["title", "instructions"]
    ordering = ["module__title", "sort_order"]
    delete_view_class = ExerciseDeleteView
    usage_view_class = ExerciseUsageView


def exercise_viewset(exercise_model, icon):
    return type(
        f"{exercise_model.__name__}ViewSet",
        (ExerciseViewSet,),
        {"model": exercise_model, "icon": icon},
    )


class LogbookExerciseGroup(ViewSetGroup):
    menu_label = _("Logbook exercises")
    menu_icon = "edit"
    menu_order = 210
    items = (
        exercise_viewset(ReflectionExercise, "comment"),
        exercise_viewset(ScaleExercise, "list-ol"),
        exercise_viewset(ObservationExercise, "view"),
        exercise_viewset(GoalFollowUpExercise, "success"),
        exercise_viewset(ChecklistExercise, "tasks"),
    )
