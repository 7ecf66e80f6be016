"""Trainers author and submit; coordinators and editors approve and publish."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.models import LessonPage
from tests.courses.factories import add_lesson, knowledge_check
from tests.factories import (
    CoordinatorFactory,
    FosterFamilyFactory,
    PlacementFactory,
    TrainerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def lesson_form(title="Ny lektion", **actions):
    return nested_form_data(
        {
            "title": title,
            "slug": "ny-lektion",
            "intro": "",
            "body": streamfield([("text", rich_text("<p>Indhold</p>"))]),
            "comments": inline_formset([]),
            **actions,
        }
    )


def add_lesson_url(module):
    return reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", module.pk])


def test_trainer_cannot_publish_without_approval(client, make_module):
    module = make_module(lessons=0)
    client.force_login(TrainerFactory())
    client.post(add_lesson_url(module), lesson_form(**{"action-publish": "1"}))
    lesson = LessonPage.objects.child_of(module).get()
    assert not lesson.live
    assert not lesson.permissions_for_user(TrainerFactory()).can_publish()


def test_trainer_submits_and_a_coordinator_approves_and_publishes(client, make_module):
    module = make_module(lessons=0)
    trainer = TrainerFactory()
    client.force_login(trainer)
    client.post(add_lesson_url(module), lesson_form(**{"action-submit": "1"}))
    lesson = LessonPage.objects.child_of(module).get()
    state = WorkflowState.objects.for_instance(lesson).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not lesson.live

    client.force_login(CoordinatorFactory())
    task_state = state.current_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", task_state.pk])
    )
    assert response.status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_editor_can_publish_course_content(make_module):
    module = make_module(lessons=1)
    editor = UserFactory(role="Editor", municipality=None)
    assert module.lessons().first().permissions_for_user(editor).can_publish()


@pytest.mark.parametrize("media", ["images", "docs"])
def test_trainer_uploads_images_and_documents_in_the_choosers(client, media):
    """Wagtail checks media permissions per collection, not per group."""
    client.force_login(TrainerFactory())
    response = client.get(reverse(f"wagtail{media}_chooser:choose"))
    assert response.status_code == 200
    assert "chooser-upload" in response.content.decode()
    assert client.get(reverse(f"wagtail{media}:add")).status_code == 200


def test_the_catalogue_has_the_moderation_workflow(catalogue):
    workflow = catalogue.get_workflow()
    assert workflow is not None
    approvers = {g.name for g in workflow.tasks.get().specific.groups.all()}
    assert approvers == {"Coordinator", "Editor"}


@pytest.mark.parametrize("name", ["fosterfamily", "placement", "cohort"])
def test_trainer_cannot_open_family_admin_areas(client, catalogue, name):
    family = FosterFamilyFactory(name="Familien Hemmelig")
    PlacementFactory(family=family)
    client.force_login(TrainerFactory())
    response = client.get(reverse(f"{name}:index"))
    assert response.status_code in (302, 403)
    assert "Hemmelig" not in response.content.decode()
    response = client.get(reverse("fosterfamily:edit", args=[family.pk]))
    assert response.status_code in (302, 403, 404)


def test_trainer_edits_a_lesson_with_every_block_in_the_admin(client, make_module):
    lesson = add_lesson(
        make_module(lessons=0),
        body=[
            ("text", "<p>Tekst</p>"),
            ("quote", {"quote": "Citat", "attribution": "Plejemor", "story": "<p>Case</p>"}),
            knowledge_check(),
        ],
    )
    client.force_login(TrainerFactory())
    response = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    assert response.status_code == 200
    assert "Videnstjek" in response.content.decode()
