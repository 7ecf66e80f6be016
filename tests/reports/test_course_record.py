"""The course plan and completion record of one placement, as a PDF for the case system."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cms.models import AccessLog
from supervision.models import (
    Attendance,
    CoursePlan,
    EndReason,
    ModuleCompletion,
    ModuleSession,
)
from supervision.services import close_course, end_placement
from tests.factories import (
    CoordinatorFactory,
    FosterParentFactory,
    SupervisorFactory,
    TrainerFactory,
)
from tests.reports.conftest import count_queries
from tests.supervision.factories import ModuleSessionFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def url(course):
    return reverse("supervision_course_record", args=[course.pk])


@pytest.fixture
def record(make_module, courses):
    """The late Vejle course with a plan of two modules (one completed) and a session the
    family's parent attended."""
    course = courses["late"]
    family = course.placement.family
    parent = FosterParentFactory(municipality=family.municipality, first_name="Mette")
    family.parents.add(parent)
    family.save()  # parental many-to-many relations are written on save
    first, second = make_module(1, title="Den robuste plejefamilie"), make_module(2)
    plan = CoursePlan.objects.create(course=course, practical_notes="Møder efter kl. 16")
    plan.modules.set([first, second])
    plan.supervision_themes.set([ThemeFactory(name="Mentalisering")])
    ModuleCompletion.objects.create(family=family, module=first)
    session = ModuleSessionFactory(
        municipality=family.municipality, module=first, families=[family]
    )
    Attendance.objects.create(session=session, parent=parent, present=True)
    return course


def test_the_record_is_a_pdf_with_plan_completions_and_attendance(client, coordinator, record):
    response = client.get(url(record))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 2000
    context = response.context
    assert context["family"].name == "Familien Sen"
    assert context["course"].status().value == "late"
    assert [(m.title, c is not None) for m, c in context["planned_modules"]] == [
        ("Den robuste plejefamilie", True),
        ("Modul 2", False),
    ]
    assert [c.module.title for c in context["completions"]] == ["Den robuste plejefamilie"]
    assert [a.parent.first_name for a in context["attended"]] == ["Mette"]
    assert context["attended"][0].kind == ModuleSession._meta.verbose_name
    keys = ["course", "placement", "family", "plan", "planned_modules", "completions", "attended"]
    html = render_to_string("pdf/course_record.html", {key: context[key] for key in keys})
    assert "Møder efter kl. 16" in html and "Mentalisering" in html


def test_the_export_is_access_logged(client, coordinator, record):
    client.get(url(record))
    logged = AccessLog.objects.get()
    assert (logged.user, logged.action, logged.family_label) == (
        coordinator,
        AccessLog.Action.EXPORT,
        "Familien Sen",
    )


def test_a_course_without_plan_still_prints(client, coordinator, courses):
    response = client.get(url(courses["planned"]))
    assert response.content.startswith(b"%PDF")
    assert response.context["plan"] is None


def test_another_municipalitys_course_answers_404(client, odense, record):
    client.force_login(CoordinatorFactory(municipality=odense))
    assert client.get(url(record)).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("factory", [FosterParentFactory, TrainerFactory])
def test_foster_parents_and_trainers_are_refused(client, record, factory):
    client.force_login(factory(municipality=record.placement.family.municipality))
    assert client.get(url(record)).status_code in (302, 403)


def test_supervisors_reach_it_from_the_course_list_and_edit_view(client, vejle, record):
    client.force_login(SupervisorFactory(municipality=vejle))
    assert url(record) in client.get(reverse("startupcourse:index")).content.decode()
    edit = client.get(reverse("startupcourse:edit", args=[record.pk])).content.decode()
    assert url(record) in edit


def test_query_count_does_not_grow_with_sessions(client, coordinator, record):
    few = count_queries(client, url(record))
    family = record.placement.family
    for parent in family.parents.all():
        for _ in range(3):
            session = ModuleSessionFactory(
                municipality=family.municipality,
                module=record.plan.modules.first(),
                families=[family],
            )
            Attendance.objects.create(session=session, parent=parent, present=True)
    assert count_queries(client, url(record)) == few


def test_an_ended_placement_and_an_early_close_are_on_the_record(client, coordinator, record):
    close_course(record, "Familien flyttede")
    end_placement(record.placement, timezone.localdate(), EndReason.MOVED_HOME)
    context = client.get(url(record)).context
    assert context["course"].status().value == "ended"
    keys = ["course", "placement", "family", "plan", "planned_modules", "completions", "attended"]
    html = render_to_string("pdf/course_record.html", {key: context[key] for key in keys})
    assert "Familien flyttede" in html and "Barnet er flyttet hjem" in html
