"""Trainers author exercises in the Wagtail admin: one screen per kind of exercise."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import (
    ChecklistExercise,
    GoalFollowUpExercise,
    ObservationExercise,
    ReflectionExercise,
    ScaleExercise,
)


class ExerciseViewSet(ModelViewSet):
    """Exercises are national course content, like the modules they belong to."""

    icon = "edit"
    list_display = ["title", "module", "theme", "timing", "required"]
    list_filter = ["timing", "required"]
    search_fields = ["title", "instructions"]
    ordering = ["module__title", "sort_order"]


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
