"""Deleting course content never takes families' work along, and never answers 500."""

import pytest
from django.urls import reverse

from courses.models import ModulePage, Theme
from logbook.models import Exercise, LogbookEntry
from supervision.models import Quarter
from tests.factories import UserFactory
from tests.logbook.factories import LogbookEntryFactory, ReflectionExerciseFactory
from tests.supervision.factories import QuarterFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    user = UserFactory(is_superuser=True, municipality=None)
    client.force_login(user)
    return user


@pytest.fixture
def module(make_module):
    return make_module(number=3, title="Samvær")


@pytest.fixture
def entry(module):
    """An entry a family of some municipality wrote in the module's exercise."""
    return LogbookEntryFactory(exercise=ReflectionExerciseFactory(module=module))


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_deleting_a_module_families_wrote_in_is_refused_and_their_entries_survive(
    client, admin, module, entry
):
    url = reverse("wagtailadmin_pages:delete", args=[module.pk])
    for response in (client.get(url, follow=True), client.post(url, follow=True)):
        assert response.status_code == 200
        assert any("1 logbogsindlæg" in text for text in messages_of(response))
    assert ModulePage.objects.filter(pk=module.pk).exists()
    assert LogbookEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_the_catalogue_above_a_used_module_is_refused(client, admin, catalogue, entry):
    response = client.post(reverse("wagtailadmin_pages:delete", args=[catalogue.pk]))
    assert response.status_code == 302
    assert LogbookEntry.objects.filter(pk=entry.pk).exists()
    assert ModulePage.objects.exists()


def test_bulk_deleting_a_used_module_is_refused(client, admin, catalogue, module, entry):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    next_url = reverse("wagtailadmin_explore", args=[catalogue.pk])
    response = client.post(f"{url}?id={module.pk}&next={next_url}", follow=True)
    assert response.status_code == 200
    assert any("1 logbogsindlæg" in text for text in messages_of(response))
    assert LogbookEntry.objects.filter(pk=entry.pk).exists()


def test_a_module_nobody_used_can_still_be_deleted_with_its_exercises(client, admin, module):
    ReflectionExerciseFactory(module=module)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[module.pk]))
    assert response.status_code == 302
    assert not ModulePage.objects.filter(pk=module.pk).exists()
    assert not Exercise.objects.exists()


def test_deleting_a_theme_families_wrote_in_is_refused(client, admin):
    theme = ThemeFactory()
    entry = LogbookEntryFactory(exercise=ReflectionExerciseFactory(theme=theme))
    url = reverse(theme.snippet_viewset.get_url_name("delete"), args=[theme.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert any("1 logbogsindlæg" in text for text in messages_of(response))
    assert Theme.objects.filter(pk=theme.pk).exists()
    assert LogbookEntry.objects.filter(pk=entry.pk).exists()


def test_a_delete_the_database_refuses_answers_with_the_reason_not_a_500(rf, admin):
    """The safety net behind the up-front checks (Wagtail's reference index, ours): a
    ``ProtectedError`` from any POST sends the user back with the counts, not a 500."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.db.models import ProtectedError

    from cms.middleware import ProtectedDeletionMiddleware

    quarter = QuarterFactory()
    request = rf.post("/admin/snippets/courses/theme/delete/1/")
    request.user, request.session = admin, {}
    request._messages = FallbackStorage(request)
    error = ProtectedError("protected", {quarter})
    response = ProtectedDeletionMiddleware(lambda r: None).process_exception(request, error)
    assert (response.status_code, response.url) == (302, "/admin/snippets/courses/theme/delete/1/")
    assert [str(message) for message in request._messages] == [
        "Dette kan ikke slettes, så længe andre oplysninger bruger det: Kvartaler: 1."
    ]
    assert Quarter.objects.filter(pk=quarter.pk).exists()


def test_a_lesson_foster_parents_took_is_refused_and_their_progress_kept(client, admin, module):
    from courses.models import LessonPage, LessonProgress
    from courses.services import complete_lesson
    from tests.factories import FosterParentFactory

    lesson = LessonPage.objects.child_of(module).first()
    complete_lesson(FosterParentFactory(), lesson)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[lesson.pk]), follow=True)
    assert any("1 lektion gennemgået" in text for text in messages_of(response)), messages_of(
        response
    )
    assert LessonPage.objects.filter(pk=lesson.pk).exists()
    assert LessonProgress.objects.filter(lesson=lesson).count() == 1
