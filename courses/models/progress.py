"""What each learner has done: lessons opened and finished, knowledge checks answered.

Rows belong to a user, not to a family: each foster parent has an own login and an own
pace. Progress per module is computed from these rows (``courses.services``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LessonProgress(models.Model):
    """One learner's visit to and completion of one lesson."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="progress",
    )
    last_visited_at = models.DateTimeField(_("last visited"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="unique_lesson_progress")
        ]
        indexes = [models.Index(fields=["user", "-last_visited_at"])]

    def __str__(self):
        return f"{self.user} · {self.lesson_id}"

    @property
    def is_done(self):
        return self.completed_at is not None


class KnowledgeCheckAnswer(models.Model):
    """A learner's latest answer to one knowledge check; a retry replaces it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="knowledge_check_answers",
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="knowledge_check_answers",
    )
    block_id = models.CharField(_("question"), max_length=64)
    selected_options = models.JSONField(_("chosen answers"), default=list)
    correct = models.BooleanField(_("correct"))
    answered_at = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        verbose_name = _("knowledge check answer")
        verbose_name_plural = _("knowledge check answers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "block_id"], name="unique_knowledge_check_answer"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson_id} · {self.block_id}"
