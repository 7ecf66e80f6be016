from .entries import ExerciseOpening, Feedback, LogbookEntry, ShareDigest
from .exercises import (
    ChecklistExercise,
    Exercise,
    GoalFollowUpExercise,
    ObservationExercise,
    ReflectionExercise,
    ScaleExercise,
    Timing,
)

__all__ = [
    "ChecklistExercise",
    "Exercise",
    "ExerciseOpening",
    "Feedback",
    "GoalFollowUpExercise",
    "LogbookEntry",
    "ObservationExercise",
    "ReflectionExercise",
    "ScaleExercise",
    "ShareDigest",
    "Timing",
]
