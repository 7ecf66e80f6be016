from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext_lazy as _


class LogbookConfig(AppConfig):
    name = "logbook"
    verbose_name = _("Logbook")

    def ready(self):
        # Courses cannot know about the logbook (imports point one way), so the logbook
        # listens for finished lessons to keep module completion up to date.
        from courses.models import LessonProgress

        from . import completion

        post_save.connect(completion.lesson_progress_saved, sender=LessonProgress)
        # A municipality's completion rule decides the completions its families have.
        from supervision.models import CoursePolicy

        pre_save.connect(completion.course_policy_changing, sender=CoursePolicy)
        post_save.connect(completion.course_policy_saved, sender=CoursePolicy)
