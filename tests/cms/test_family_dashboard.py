"""Min side: next session, deadlines, planned modules, goals, feedback; fixed queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import LessonPage
from courses.services import complete_lesson, visit_lesson
from logbook.models import Feedback
from supervision.models import (
    ChildPlanGoal,
    CoursePlan,
    DevelopmentGoal,
    GoalStatus,
    GroupSupervision,
)
from supervision.services import cancel_session
from tests.factories import (
    CohortFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
)
from tests.logbook.factories import LogbookEntryFactory, ReflectionExerciseFactory, entry_url
from tests.supervision.factories import (
    GroupSupervisionFactory,
    IndividualSupervisionFactory,
    QuarterFactory,
    RegisteredPlacementFactory,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def soon(days, hour=10):
    start = timezone.localtime() + datetime.timedelta(days=days)
    return start.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def parent():
    municipality = MunicipalityFactory(name="Vejle Kommune", slug="vejle")
    parent = FosterParentFactory(first_name="Mette", municipality=municipality)
    return parent


def make_family(parent, make_module, *, modules=1, sessions=1, goals=1, feedback=1, offset=0):
    """A family with a placement, a plan of ``modules`` modules and that many of the rest."""
    family = FosterFamilyFactory(municipality=parent.municipality, parents=[parent])
    placement = RegisteredPlacementFactory(
        family=family, child_name="E.", start_date=datetime.date(2026, 3, 1)
    )
    plan = CoursePlan.objects.create(course=placement.startup_course)
    planned = [make_module(offset + n, lessons=2) for n in range(1, modules + 1)]
    plan.modules.set(planned)
    complete_lesson(parent, planned[0].get_children().first().specific)
    supervisor = SupervisorFactory(municipality=parent.municipality)
    for n in range(sessions):
        IndividualSupervisionFactory(
            municipality=parent.municipality,
            start=soon(3 + n + offset),
            families=[family],
            supervisors=[supervisor],
        )
    for n in range(goals):
        DevelopmentGoal.objects.create(
            family=family, text=f"Læse en bog hver dag {n}", review_date=datetime.date(2026, 6, 1)
        )
        ChildPlanGoal.objects.create(placement=placement, text=f"Går i skole {n}")
    today = timezone.localdate()
    for n in range(goals):  # a cohort this year per goal, each in its current quarter
        cohort = CohortFactory(
            municipality=parent.municipality,
            name=f"Hold {offset + n}",
            year=today.year,
            families=[family],
        )
        QuarterFactory(cohort=cohort, number=(today.month - 1) // 3 + 1)
    for n in range(feedback):
        exercise = ReflectionExerciseFactory(module=planned[0], title=f"Før mødet {n}")
        entry = LogbookEntryFactory(family=family, author=parent, exercise=exercise)
        Feedback.objects.create(entry=entry, author=supervisor, text="Godt skrevet")
    return family


def get(client, parent):
    client.force_login(parent)
    return client.get(reverse("family-dashboard"))


def test_shows_next_session_deadlines_modules_goals_and_feedback(client, parent, make_module):
    family = make_family(parent, make_module, sessions=2)
    body = get(client, parent).content.decode()
    assert "Individuel supervision" in body
    assert "Jeres opstartsforløb skal være afsluttet senest 1. marts 2027." in body
    assert "Jeres opstartsforløb skal begynde senest 1. september 2026." in body
    assert "1. Modul 1" in body and "1 af 2 lektioner gennemført" in body
    assert "Læse en bog hver dag 0" in body and "1. juni 2026" in body
    assert "Før mødet 0" in body
    exercise = family.logbook_entries.get().exercise
    assert entry_url(family, exercise) in body
    assert reverse("logbook:index") in body
    assert reverse("calendar-settings") in body
    assert "Fortsæt hvor du slap: Lektion 1.2" in body


def test_group_supervision_through_the_cohort_is_the_next_session(client, parent, make_module):
    family = FosterFamilyFactory(municipality=parent.municipality, parents=[parent])
    cohort = CohortFactory(municipality=parent.municipality, families=[family])
    start = soon(5)
    quarter = QuarterFactory(cohort=cohort, number=(start.month - 1) // 3 + 1)
    GroupSupervisionFactory(cohort=cohort, quarter=quarter, start=start)
    assert "Gruppesupervision" in get(client, parent).content.decode()


def test_without_a_plan_explains_the_pre_meeting_and_not_the_catalogue(client, parent, make_module):
    make_module(7, title="Tilknytning og udviklingstraumer")
    family = FosterFamilyFactory(municipality=parent.municipality, parents=[parent])
    RegisteredPlacementFactory(family=family)
    body = get(client, parent).content.decode()
    assert "formødet" in body
    assert "Tilknytning og udviklingstraumer" not in body
    assert "Se alle moduler i kataloget" in body


def test_empty_states_say_what_happens_next(client, parent):
    FosterFamilyFactory(municipality=parent.municipality, parents=[parent])
    body = get(client, parent).content.decode()
    assert "Der er ikke booket nogen møder endnu" in body
    assert "Der er endnu ikke registreret en anbringelse" in body
    assert "Ingen mål endnu" in body
    assert "Ingen feedback endnu" in body


def test_another_familys_feedback_and_sessions_stay_out(client, parent, make_module):
    make_family(parent, make_module)
    other = FosterParentFactory(municipality=parent.municipality)
    other_family = make_family(other, make_module, offset=10)
    other_family.logbook_entries.update()  # keep the entries; only the parent differs
    body = get(client, parent).content.decode()
    assert "Før mødet 0" in body
    assert body.count("Individuel supervision") == 1


def test_english_dates_and_deadlines(client, parent, make_module):
    make_family(parent, make_module)
    client.cookies["django_language"] = "en"
    body = get(client, parent).content.decode()
    assert "Your start-up course must be finished by 1 March 2027." in body


def test_main_menu_marks_the_current_section(client, parent, make_module):
    body = get(client, parent).content.decode()
    assert 'aria-current="page"><span>Min side</span>' in body
    for label in ("Moduler", "Logbog", "Søg"):
        assert f"<span>{label}</span>" in body
    module = make_module(1)
    body = client.get(module.url).content.decode()
    assert 'aria-current="page"><span>Moduler</span>' in body


def count_queries(client, parent):
    """Queries of the page, the shared caches (outline, site, links) warm."""
    client.force_login(parent)
    url = reverse("family-dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_modules_sessions_goals_or_feedback(client, make_module):
    small = FosterParentFactory()
    make_family(small, make_module, modules=1, sessions=1, goals=1, feedback=1)
    big = FosterParentFactory()
    make_family(big, make_module, modules=5, sessions=6, goals=5, feedback=4, offset=20)
    assert count_queries(client, small) == count_queries(client, big) <= MAX_QUERIES


# Each change below is seen on the next request (nothing is kept between requests).


@pytest.fixture
def kept(client, parent, make_module):
    """A family's dashboard seen once; ``kept.body()`` reads it again, logged in once."""
    family = make_family(parent, make_module)
    get(client, parent)

    class Kept:
        def body(self):
            return client.get(reverse("family-dashboard")).content.decode()

    kept = Kept()
    kept.family = family
    return kept


def session_of(family):
    return family.sessions.active().get()


def test_a_booked_session_cancelled_and_moved(kept, parent):
    family = kept.family
    assert "10:00" in kept.body()
    booked = IndividualSupervisionFactory(
        municipality=parent.municipality, start=soon(1, hour=8), families=[family]
    )
    assert "08:00" in kept.body()
    cancel_session(booked)
    assert "08:00" not in kept.body() and "10:00" in kept.body()
    session_of(family).families.set([FosterFamilyFactory(municipality=parent.municipality)])
    assert "Der er ikke booket nogen møder endnu" in kept.body()


def test_a_group_supervision_follows_the_cohort_and_its_members(kept, parent):
    family = kept.family
    family.sessions.clear()
    cohort = CohortFactory(municipality=parent.municipality)
    start = soon(5)
    GroupSupervisionFactory(
        cohort=cohort,
        quarter=QuarterFactory(cohort=cohort, number=(start.month - 1) // 3 + 1),
        start=start,
    )
    assert "Gruppesupervision" not in kept.body()
    cohort.families.add(family)
    cohort.save()  # as the admin saves it: a cluster's links are written with it
    assert "Gruppesupervision" in kept.body()
    group = GroupSupervision.objects.get()
    group.cohort = CohortFactory(municipality=parent.municipality)
    group.save()
    assert "Gruppesupervision" not in kept.body()


def test_feedback_given_and_withdrawn_and_the_exercise_renamed(kept):
    entry = kept.family.logbook_entries.get()
    entry.exercise.title = "Efter mødet"
    entry.exercise.save()
    assert "Efter mødet" in kept.body()
    Feedback.objects.filter(entry=entry).delete()
    assert "Ingen feedback endnu" in kept.body()
    Feedback.objects.create(entry=entry, author=SupervisorFactory(), text="Tak")
    assert "Efter mødet" in kept.body()


def test_goals_placement_course_and_contact(kept):
    family = kept.family
    goal = family.development_goals.get()
    goal.status = GoalStatus.ACHIEVED
    goal.save()
    assert "Ingen mål endnu" in kept.body()
    placement = family.placements.get()
    placement.child_name = "Frida"
    placement.save()
    assert "Opstartsforløb for Frida" in kept.body()
    course = placement.startup_course
    course.finish_deadline = datetime.date(2027, 4, 1)
    course.save()
    assert "afsluttet senest 1. april 2027" in kept.body()
    municipality = family.municipality
    municipality.emergency_phone = "70 11 22 33"
    municipality.save()
    assert "70 11 22 33" in kept.body()


def test_planned_modules_their_progress_and_where_to_continue(kept, parent, make_module):
    plan = kept.family.placements.get().startup_course.plan
    module = make_module(9, title="Samarbejde med forældrene", lessons=2)
    plan.modules.add(module)
    assert "9. Samarbejde med forældrene" in kept.body()
    lesson = module.get_children().first().specific
    visit_lesson(parent, lesson)
    assert "Fortsæt hvor du slap: Lektion 9.1" in kept.body()
    complete_lesson(parent, lesson)
    assert "Fortsæt hvor du slap: Lektion 9.2" in kept.body()
    visit_lesson(parent, LessonPage.objects.get(title="Lektion 1.2"))
    assert "Fortsæt hvor du slap: Lektion 1.2" in kept.body()
    visit_lesson(parent, lesson)  # visited before: a bare UPDATE
    assert "Fortsæt hvor du slap: Lektion 9.2" in kept.body()
    module.title = "Samarbejde med barnets forældre"
    module.save_revision().publish()
    assert "9. Samarbejde med barnets forældre" in kept.body()
    plan.modules.remove(module)
    assert "Samarbejde med barnets forældre" not in kept.body()


def test_a_parent_joining_or_leaving_a_family_and_their_name(kept, parent):
    family = kept.family
    family.parents.remove(parent)
    family.save()
    assert "Dit login er endnu ikke knyttet til en plejefamilie" in kept.body()
    parent.foster_families.add(family)
    assert family.name in kept.body()
    parent.first_name = "Mette Marie"
    parent.save()
    assert "Velkommen, Mette Marie" in kept.body()
    family.name = "Familien Holm"
    family.save()
    assert "Familien Holm" in kept.body()


def test_each_parent_and_language_has_its_own(kept, client, parent, make_module):
    other = FosterParentFactory(municipality=parent.municipality, first_name="Ole")
    body = get(client, other).content.decode()
    assert "Velkommen, Ole" in body and kept.family.name not in body
    client.cookies["django_language"] = "en"
    assert "Welcome, Mette" in get(client, parent).content.decode()


def test_each_parents_progress_and_what_is_missing_with_links(client, parent, make_module):
    family = make_family(parent, make_module, feedback=0)
    lars = FosterParentFactory(first_name="Lars", municipality=parent.municipality)
    family.parents.add(lars)
    family.save()
    module = CoursePlan.objects.get(course__placement__family=family).modules.get()
    required = ReflectionExerciseFactory(module=module, title="Skriv om tryghed")
    LogbookEntryFactory(family=family, exercise=required, author=lars)
    for lesson in module.get_children().specific():
        complete_lesson(lars, lesson)
    body = get(client, parent).content.decode()
    lars_line = body.split("<strong>Lars</strong>")[1].split("</li>")[0]
    mette_line = body.split("<strong>Mette</strong>")[1].split("</li>")[0]
    assert "2 af 2 lektioner" in lars_line and "Gennemført" in lars_line
    assert "1 af 2 lektioner" in mette_line and "0 af 1 krævet øvelse" in mette_line
    assert reverse("logbook:exercise", args=[family.pk, required.pk]) in mette_line
    assert "Lektion 1.2" in mette_line
