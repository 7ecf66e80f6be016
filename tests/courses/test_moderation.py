"""Trainers author and submit; national editors, and nobody else, approve and publish."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.roles import sync_role_groups
from courses.models import LessonPage
from tests.courses.factories import add_lesson, knowledge_check
from tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    FosterFamilyFactory,
    PlacementFactory,
    SupervisorFactory,
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


def submitted_lesson(client, module):
    client.force_login(TrainerFactory())
    client.post(add_lesson_url(module), lesson_form(**{"action-submit": "1"}))
    lesson = LessonPage.objects.child_of(module).get()
    state = WorkflowState.objects.for_instance(lesson).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not lesson.live
    return lesson, state


def test_trainer_submits_and_an_editor_approves_and_publishes(client, make_module):
    lesson, state = submitted_lesson(client, make_module(lessons=0))
    client.force_login(EditorFactory())
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


def test_a_municipalitys_coordinator_neither_publishes_nor_approves_national_content(
    client, make_module
):
    module = make_module(lessons=0)
    coordinator = CoordinatorFactory()
    lesson, state = submitted_lesson(client, module)
    for page in (module, lesson):
        permissions = page.permissions_for_user(coordinator)
        assert not permissions.can_publish()
        assert not permissions.can_unpublish()
    client.force_login(coordinator)
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[lesson.pk, "approve", state.current_task_state.pk],
        )
    )
    lesson.refresh_from_db()
    assert not lesson.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_moderation_emails_go_to_editors_not_to_coordinators(client, make_module, mailoutbox):
    editor, coordinator = EditorFactory(), CoordinatorFactory()
    submitted_lesson(client, make_module(lessons=0))
    recipients = {address for message in mailoutbox for address in message.to}
    assert editor.email in recipients
    assert coordinator.email not in recipients


def test_an_existing_site_takes_publishing_and_approval_from_coordinators(catalogue):
    """What ``migrate`` does to a site set up when coordinators still approved."""
    coordinators = Group.objects.get(name="Coordinator")
    GroupPagePermission.objects.create(
        group=coordinators,
        page=catalogue,
        permission=Permission.objects.get(codename="publish_page"),
    )
    catalogue.get_workflow().tasks.get().specific.groups.add(coordinators)
    sync_role_groups()
    assert not catalogue.permissions_for_user(CoordinatorFactory()).can_publish()
    assert coordinators not in catalogue.get_workflow().tasks.get().specific.groups.all()


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
    assert approvers == {"Editor"}


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


def test_national_content_is_written_by_trainers_and_editors_never_by_municipal_staff(
    client, make_module
):
    from tests.logbook.factories import ReflectionExerciseFactory
    from tests.supervision.factories import ThemeFactory

    module = make_module(lessons=1)
    exercise, theme = ReflectionExerciseFactory(module=module), ThemeFactory()
    edits = [
        reverse("reflectionexercise:edit", args=[exercise.pk]),
        reverse(theme.snippet_viewset.get_url_name("edit"), args=[theme.pk]),
        reverse("wagtailadmin_pages:edit", args=[module.pk]),
        reverse("wagtailimages:add"),
    ]
    for role in (CoordinatorFactory, SupervisorFactory):
        staff = role()
        assert not module.permissions_for_user(staff).can_edit()
        client.force_login(staff)
        for url in edits:
            response = client.get(url)
            assert response.status_code in (302, 403), (role, url)
    client.force_login(TrainerFactory())
    assert client.get(edits[0]).status_code == 200
    assert client.get(edits[2]).status_code == 200


def test_an_existing_site_takes_authoring_from_coordinators(catalogue):
    coordinators = Group.objects.get(name="Coordinator")
    GroupPagePermission.objects.create(
        group=coordinators,
        page=catalogue,
        permission=Permission.objects.get(codename="change_page"),
    )
    sync_role_groups()
    assert not catalogue.permissions_for_user(CoordinatorFactory()).can_edit()
    assert not coordinators.permissions.filter(codename="change_reflectionexercise").exists()
