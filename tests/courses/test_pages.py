"""The catalogue's page tree and who may see it."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cms.models import HomePage
from cms.portal.demo_content import DEMO_IMAGE_TEXT
from courses.models import CourseIndexPage, LessonPage, ModulePage
from tests.courses.factories import add_lesson, knowledge_check
from tests.factories import FosterParentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_pages_only_go_where_the_catalogue_allows():
    assert CourseIndexPage.allowed_parent_page_models() == [HomePage]
    assert CourseIndexPage.allowed_subpage_models() == [ModulePage]
    assert ModulePage.allowed_parent_page_models() == [CourseIndexPage]
    assert ModulePage.allowed_subpage_models() == [LessonPage]
    assert LessonPage.allowed_parent_page_models() == [ModulePage]
    assert LessonPage.allowed_subpage_models() == []


def test_a_lesson_cannot_be_created_under_the_catalogue(catalogue, make_module):
    module = make_module()
    assert not LessonPage.can_create_at(catalogue)
    assert LessonPage.can_create_at(module)
    assert not ModulePage.can_create_at(module)


def test_anonymous_visitor_of_a_lesson_or_module_is_sent_to_login(client, make_module):
    module = make_module(lessons=1)
    lesson = module.lessons().first()
    for page in (module, lesson):
        response = client.get(page.url)
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={page.url}"


def test_foster_parent_sees_module_with_progress_and_lessons(client, make_module):
    module = make_module(lessons=2)
    client.force_login(FosterParentFactory())
    body = client.get(module.url).content.decode()
    assert "<progress" in body
    assert "0 af 2 lektioner gennemført" in body
    assert "Lektion 1.1" in body and "Lektion 1.2" in body


def test_lesson_renders_each_block_accessibly(client, make_module):
    module = make_module(lessons=0)
    lesson = add_lesson(
        module,
        body=[
            ("text", "<p>Indledning</p>"),
            ("quote", {"quote": "Ro giver ro.", "attribution": "Plejemor", "story": ""}),
            knowledge_check(),
        ],
    )
    client.force_login(FosterParentFactory())
    body = client.get(lesson.url).content.decode()
    assert "<p>Indledning</p>" in body
    assert "<blockquote>" in body and "Plejemor" in body
    assert "<fieldset" in body and "<legend" in body
    assert 'class="form-radio" type="radio"' in body
    assert "button button-primary" in body


def test_demo_lesson_shows_a_case_story_and_knowledge_checks(client):
    call_command("seed_demo", stdout=None)
    lesson = LessonPage.objects.get(slug="tjek-din-viden-om-tryghed")
    client.force_login(FosterParentFactory())
    body = client.get(lesson.url).content.decode()
    assert body.count("<fieldset") == 2
    assert "<blockquote>" in body
    assert f'alt="{DEMO_IMAGE_TEXT["alt_text"]}"' in body


def test_catalogue_lists_published_modules_in_order(client, make_module):
    make_module(2, title="Dynamik")
    make_module(1, title="Tryghed")
    draft = make_module(3, title="Kladde")
    draft.unpublish()
    body = client.get(draft.get_parent().url).content.decode()
    assert body.index("1. Tryghed") < body.index("2. Dynamik")
    assert "Kladde" not in body


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"body-count": "x"},
        {"body-count": "1"},
        {"body-count": "1", "body-0-type": "knowledge_check", "body-0-deleted": ""},
    ],
    ids=["no-count", "count-not-a-number", "no-block-markers", "no-option-count"],
)
def test_a_lesson_post_without_the_editors_management_fields_is_a_bad_request(
    client, make_module, body
):
    module = make_module(1)
    lesson = module.get_children().first()
    client.force_login(UserFactory(is_superuser=True))
    form = {"title": "Lektion", "slug": "lektion", **body}
    edit = client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), form)
    add = client.post(
        reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", module.pk]), form
    )
    assert (edit.status_code, add.status_code) == (400, 400)
