"""Progress per lesson and per module, and "continue where you left off"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import LessonProgress, ModulePage
from courses.services import CourseProgress, complete_lesson, visit_lesson
from supervision.models import CoursePlan
from tests.factories import FosterFamilyFactory, FosterParentFactory
from tests.supervision.factories import RegisteredPlacementFactory

pytestmark = pytest.mark.django_db


def test_module_progress_counts_done_lessons(make_module):
    user = FosterParentFactory()
    first, second = make_module(1, lessons=4), make_module(2, lessons=2)
    lessons = list(first.lessons())
    complete_lesson(user, lessons[0])
    complete_lesson(user, lessons[2])
    visit_lesson(user, lessons[1])

    progress = CourseProgress.for_user(user, [first, second])

    assert (progress.of(first).done, progress.of(first).total) == (2, 4)
    assert progress.of(first).percent == 50
    assert progress.of(first).next_lesson == lessons[1]
    assert progress.of(second).percent == 0
    assert not progress.of(first).is_complete


def test_another_users_progress_does_not_count(make_module):
    module = make_module(lessons=1)
    complete_lesson(FosterParentFactory(), module.lessons().first())
    assert CourseProgress.for_user(FosterParentFactory(), [module]).of(module).done == 0


def test_completing_twice_keeps_the_first_completion(make_module):
    user = FosterParentFactory()
    lesson = make_module().lessons().first()
    first = complete_lesson(user, lesson).completed_at
    assert complete_lesson(user, lesson).completed_at == first
    assert LessonProgress.objects.filter(user=user).count() == 1


def test_continue_goes_to_first_unfinished_lesson_of_latest_module(make_module):
    user = FosterParentFactory()
    make_module(1, lessons=2)
    second = make_module(2, lessons=3)
    second_lessons = list(second.lessons())
    complete_lesson(user, second_lessons[0])
    LessonProgress.objects.filter(user=user).update(
        last_visited_at=timezone.now() - datetime.timedelta(days=1)
    )
    visit_lesson(user, second_lessons[2])

    progress = CourseProgress.for_user(user, ModulePage.objects.for_learning())

    assert progress.continue_lesson == second_lessons[1]


def test_continue_moves_on_when_latest_module_is_done(make_module):
    user = FosterParentFactory()
    first, second = make_module(1, lessons=1), make_module(2, lessons=1)
    complete_lesson(user, second.lessons().first())
    progress = CourseProgress.for_user(user, [first, second])
    assert progress.continue_lesson == first.lessons().first()


def test_marking_a_lesson_done_moves_to_the_next_lesson(client, make_module):
    user = FosterParentFactory()
    lessons = list(make_module(lessons=2).lessons())
    client.force_login(user)
    response = client.post(reverse("courses:complete-lesson", args=[lessons[0].pk]))
    assert response.status_code == 302
    assert response.url == lessons[1].url
    assert LessonProgress.objects.get(user=user, lesson=lessons[0]).is_done
    body = client.get(lessons[0].url).content.decode()
    assert 'value="50"' in body


def test_continue_view_opens_the_lesson_to_continue(client, make_module):
    user = FosterParentFactory()
    lessons = list(make_module(lessons=2).lessons())
    complete_lesson(user, lessons[0])
    client.force_login(user)
    response = client.get(reverse("courses:continue"))
    assert response.url == lessons[1].url


def test_continue_view_when_everything_is_done_goes_to_the_catalogue(client, catalogue):
    client.force_login(FosterParentFactory())
    assert client.get(reverse("courses:continue")).url == catalogue.url


def test_family_actions_need_login_and_post(client, make_module):
    lesson = make_module().lessons().first()
    url = reverse("courses:complete-lesson", args=[lesson.pk])
    assert client.post(url).url.startswith(reverse("login"))
    client.force_login(FosterParentFactory())
    assert client.get(url).status_code == 405


def test_family_dashboard_shows_progress_and_where_to_continue(client, make_module):
    user = FosterParentFactory()
    module = make_module(1, title="Tryghed", lessons=2)
    family = FosterFamilyFactory(municipality=user.municipality, parents=[user])
    course = RegisteredPlacementFactory(family=family).startup_course
    CoursePlan.objects.create(course=course).modules.set([module])  # the dashboard shows the plan
    lessons = list(module.lessons())
    complete_lesson(user, lessons[0])
    client.force_login(user)
    body = client.get(reverse("family-dashboard")).content.decode()
    assert 'value="50"' in body
    assert "Dit fremskridt i Tryghed" in body
    assert f'href="{lessons[1].url}"' in body
    assert "Fortsæt hvor du slap: Lektion 1.2" in body
