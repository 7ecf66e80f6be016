"""Builders for lesson content: knowledge checks and lessons with any blocks."""

from courses.models import LessonPage


def knowledge_check(question="Hvad skaber tryghed?", choice="single", options=None):
    """A knowledge check block as (type, value); options are (text, correct, explanation)."""
    options = options or [
        ("Faste rutiner", True, "Forudsigelighed giver ro."),
        ("Mange nye oplevelser", False, "For mange indtryk gør det svært."),
    ]
    return (
        "knowledge_check",
        {
            "question": question,
            "choice": choice,
            "options": [
                {"text": text, "correct": correct, "explanation": explanation}
                for text, correct, explanation in options
            ],
        },
    )


def add_lesson(module, slug="lektion", title="Lektion", body=(), **fields):
    """Add a published lesson with ``body`` (a list of (type, value)) under ``module``."""
    lesson = module.add_child(
        instance=LessonPage(title=title, slug=slug, body=list(body), **fields)
    )
    return LessonPage.objects.get(pk=lesson.pk)


def option_ids(lesson, check_index=0):
    """The ids of the options of the lesson's ``check_index``-th knowledge check, and its id."""
    checks = [block for block in lesson.body if block.block_type == "knowledge_check"]
    check = checks[check_index]
    return check.id, [child.id for child in check.value["options"].bound_blocks]
