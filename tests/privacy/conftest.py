"""Two families of one municipality, one of them with data in every corner of the platform."""

import datetime

import pytest

from courses.services import answer_knowledge_check, complete_lesson
from logbook.models import Feedback
from supervision.models import (
    Attendance,
    CalendarPreferences,
    ChildPlanGoal,
    CoursePlan,
    DevelopmentGoal,
    ModuleCompletion,
)
from tests.courses.factories import add_lesson, knowledge_check, option_ids
from tests.factories import (
    CoordinatorFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
)
from tests.logbook.factories import LogbookEntryFactory, ReflectionExerciseFactory
from tests.supervision.factories import (
    GroupSupervisionFactory,
    ModuleSessionFactory,
    RegisteredPlacementFactory,
    at,
)


@pytest.fixture
def vejle(db):
    return MunicipalityFactory(name="Vejle Kommune", slug="vejle")


@pytest.fixture
def coordinator(vejle):
    return CoordinatorFactory(municipality=vejle)


@pytest.fixture
def supervisor(vejle):
    return SupervisorFactory(municipality=vejle, first_name="Karin", last_name="Konsulent")


@pytest.fixture
def module(make_module):
    return make_module(number=4, title="Mentalisering i hverdagen")


@pytest.fixture
def exercise(module):
    return ReflectionExerciseFactory(module=module, title="Før mødet")


def make_family(vejle, name, first_names):
    """A family of two parents: the first writes the shared and joint entries."""
    parents = [FosterParentFactory(first_name=n, municipality=vejle) for n in first_names]
    return FosterFamilyFactory(municipality=vejle, name=name, parents=parents), parents


def fill_family(family, parents, module, exercise, supervisor, *, child, text, goal):
    """A placement with course and plan, a goal, a session with attendance, entries and
    feedback, lesson progress and calendar choices."""
    mother, father = parents
    placement = RegisteredPlacementFactory(
        family=family, child_name=child, birth_year=2019, start_date=datetime.date(2026, 3, 1)
    )
    plan = CoursePlan.objects.create(
        course=placement.startup_course, practical_notes=f"{child}: arbejder om aftenen"
    )
    plan.modules.set([module])
    DevelopmentGoal.objects.create(family=family, text=goal)
    ChildPlanGoal.objects.create(placement=placement, text=f"{goal} i skolen")
    session = ModuleSessionFactory(
        municipality=family.municipality,
        module=module,
        start=at(2026, 4, 7),
        families=[family],
        supervisors=[supervisor],
    )
    Attendance.objects.create(session=session, parent=mother, present=True)
    Attendance.objects.create(session=session, parent=father, present=False)
    own = LogbookEntryFactory(
        family=family, exercise=exercise, author=mother, answers={"prompt_0": text}
    )
    own.share()
    Feedback.objects.create(entry=own, author=supervisor, text=f"Feedback til {text}")
    LogbookEntryFactory(
        family=family,
        exercise=exercise,
        author=father,
        answers={"prompt_0": f"Privat: {text}"},
    )
    LogbookEntryFactory(
        family=family,
        exercise=exercise,
        author=mother,
        is_joint=True,
        answers={"prompt_0": f"Sammen: {text}"},
    )
    lesson = module.get_children().first().specific
    complete_lesson(mother, lesson)
    ModuleCompletion.objects.get_or_create(family=family, module=module)
    CalendarPreferences.objects.create(user=mother, email_reminders=False)
    return placement


@pytest.fixture
def family(vejle, module, exercise, supervisor):
    family, parents = make_family(vejle, "Familien Hansen", ["Mette", "Lars"])
    fill_family(
        family, parents, module, exercise, supervisor, child="E.", text="Hansens tekst", goal="Læse"
    )
    return family


@pytest.fixture
def mette(family):
    return family.parents.get(first_name="Mette")


@pytest.fixture
def lars(family):
    return family.parents.get(first_name="Lars")


@pytest.fixture
def neighbours(vejle, module, exercise, supervisor):
    """Another family of the same municipality, in the same cohort as the Hansens."""
    family, parents = make_family(vejle, "Familien Jensen", ["Anna", "Bo"])
    fill_family(
        family,
        parents,
        module,
        exercise,
        supervisor,
        child="Z.",
        text="Jensens tekst",
        goal="Cykle",
    )
    return family


@pytest.fixture
def group_session(family, neighbours, supervisor):
    """A group supervision of a cohort both families are in."""
    session = GroupSupervisionFactory(
        municipality=family.municipality,
        cohort__municipality=family.municipality,
        cohort__families=[family, neighbours],
        start=at(2026, 11, 3),
        supervisors=[supervisor],
    )
    for parent in [*family.parents.all(), *neighbours.parents.all()]:
        Attendance.objects.create(session=session, parent=parent, present=True)
    return session


@pytest.fixture
def knowledge_lesson(module, mette):
    """A lesson with a knowledge check Mette answered."""
    lesson = add_lesson(module, slug="tjek", title="Tjek din viden", body=[knowledge_check()])
    block_id, options = option_ids(lesson)
    answer_knowledge_check(mette, lesson, block_id, [options[0]])
    return lesson
