"""Family-facing e-learning actions and the site search; the rules live in services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from . import services
from .forms import SearchForm
from .models import CourseIndexPage, LessonPage, ModulePage
from .outline import outline

SEARCH_RESULTS_PER_PAGE = 10


@login_required
@require_POST
def answer_knowledge_check(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    block_id = request.POST.get("block_id", "")
    try:
        services.answer_knowledge_check(
            request.user, lesson, block_id, request.POST.getlist("option")
        )
    except services.KnowledgeCheckError as error:
        return lesson.serve(request, answer_error=error)
    return redirect(f"{lesson.url}#check-{block_id}")


@login_required
@require_POST
def complete_lesson(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    services.complete_lesson(request.user, lesson)
    messages.success(request, _("Well done. The lesson is marked as done."))
    module = lesson.module()
    next_lesson = services.CourseProgress.for_user(request.user, [module]).of(module).next_lesson
    return redirect((next_lesson or module).url)


@login_required
def continue_learning(request):
    """Take the learner to where they left off, or to the catalogue when all is done."""
    lesson = services.CourseProgress.for_user(
        request.user, outline().for_learning()
    ).continue_lesson
    if lesson is not None:
        return redirect(lesson.url)
    catalogue = CourseIndexPage.objects.live().first()
    return redirect(catalogue.url if catalogue else "/")


def search(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        pages = (
            Page.objects.live().public().type(ModulePage, LessonPage).search(form.cleaned_data["q"])
        )
        results = Paginator(pages, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "courses/search.html", {"form": form, "results": results})
