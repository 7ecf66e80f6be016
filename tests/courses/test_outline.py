"""The catalogue's outline is read once per process and forgotten whenever it changes."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from courses import outline as outline_module
from courses.models import LessonPage
from courses.outline import outline
from courses.services import CourseProgress
from tests.factories import FosterParentFactory


def titles(module):
    return [lesson.title for lesson in outline().lessons_of(module)]


def test_modules_in_catalogue_order_with_their_lessons_in_order(make_module):
    second = make_module(2, lessons=1)
    first = make_module(1, lessons=2)
    assert [module.pk for module in outline().for_learning()] == [first.pk, second.pk]
    assert titles(first) == ["Lektion 1.1", "Lektion 1.2"]
    assert outline().module_at(first.path).pk == first.pk


def test_read_once_then_kept(make_module):
    module = make_module(1, lessons=2)
    parent = FosterParentFactory()
    outline()
    with CaptureQueriesContext(connection) as queries:
        assert titles(module) == ["Lektion 1.1", "Lektion 1.2"]
        CourseProgress.for_user(parent, [module])
    assert len(queries) == 1  # the user's progress


def test_a_new_lesson_a_new_title_and_an_unpublished_lesson_are_seen_at_once(make_module):
    module = make_module(1, lessons=1)
    assert titles(module) == ["Lektion 1.1"]
    module.add_child(instance=LessonPage(title="Ny lektion", slug="ny"))
    assert titles(module) == ["Lektion 1.1", "Ny lektion"]
    lesson = LessonPage.objects.get(slug="lektion-1")
    lesson.title = "Omdøbt"
    lesson.save_revision().publish()
    assert titles(module) == ["Omdøbt", "Ny lektion"]
    lesson.unpublish()
    assert titles(module) == ["Ny lektion"]


def test_a_module_kind_renamed_or_a_module_restricted_is_seen_at_once(make_module):
    module = make_module(1)
    kind = module.kind
    kind.name = "Tema"
    kind.save()
    assert outline().for_learning()[0].kind.name == "Tema"
    PageViewRestriction.objects.create(page=module, restriction_type=PageViewRestriction.LOGIN)
    assert outline().for_learning() == []
    assert outline().module_at(module.path).pk == module.pk  # still published


def test_a_moved_lesson_or_a_deleted_module_is_seen_at_once(make_module):
    first, second = make_module(1), make_module(2, lessons=0)
    lesson = LessonPage.objects.child_of(first).get()
    lesson.move(second, pos="last-child")
    assert titles(first) == []
    assert titles(second) == ["Lektion 1.1"]
    first.delete()
    assert [module.pk for module in outline().for_learning()] == [second.pk]


def test_an_unpublished_catalogue_is_gone_as_wagtail_has_it(client, make_module):
    module = make_module(1)
    catalogue = module.get_parent()
    client.force_login(FosterParentFactory())
    assert client.get(catalogue.url).status_code == 200
    catalogue.unpublish()
    assert client.get(catalogue.url).status_code == 404
    assert client.get(module.url).status_code == 200  # Wagtail routes to published children


def test_a_public_lesson_is_served_without_asking_for_restrictions(client, make_module):
    lesson = LessonPage.objects.child_of(make_module(1)).get()
    client.force_login(FosterParentFactory())
    client.get(lesson.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lesson.url).status_code == 200
    assert not [query for query in queries if "wagtailcore_pageviewrestriction" in query["sql"]]


def test_a_restriction_on_a_lesson_or_its_module_still_keeps_others_out(client, make_module):
    module = make_module(1, lessons=2)
    first, second = LessonPage.objects.child_of(module).order_by("path")
    client.force_login(FosterParentFactory())
    assert 'name="password"' not in client.get(first.url).content.decode()
    restriction = PageViewRestriction.objects.create(
        page=first, restriction_type=PageViewRestriction.PASSWORD, password="hemmelig"
    )
    assert 'name="password"' in client.get(first.url).content.decode()
    assert 'name="password"' not in client.get(second.url).content.decode()
    restriction.delete()
    PageViewRestriction.objects.create(
        page=module, restriction_type=PageViewRestriction.PASSWORD, password="hemmelig"
    )
    assert 'name="password"' in client.get(second.url).content.decode()


def test_the_version_is_read_once_per_request(client, make_module, monkeypatch):
    lesson = LessonPage.objects.child_of(make_module(1)).get()
    client.force_login(FosterParentFactory())
    client.get(lesson.url)
    reads = []
    monkeypatch.setattr(outline_module, "stamp", lambda key: reads.append(key) or "v")
    assert client.get(lesson.url).status_code == 200
    assert reads == [outline_module.VERSION_KEY]
    client.get(lesson.url)
    assert len(reads) == 2  # and again in the next request


def test_a_bulk_unpublish_or_a_slug_changed_above_is_seen_at_once(
    make_module, home_page, django_capture_on_commit_callbacks
):
    module = make_module(1)
    second = make_module(2)
    outline()
    Page.objects.get(pk=second.pk).unpublish()  # as the explorer's bulk action does
    assert [m.pk for m in outline().for_learning()] == [module.pk]
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail signals it on commit
        home_page.slug = "ny-forside"
        home_page.save_revision().publish()
    assert "/ny-forside/" in outline().module_at(module.path).url_path
