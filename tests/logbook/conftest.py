import pytest

from tests.factories import FosterFamilyFactory, FosterParentFactory
from tests.logbook.factories import ReflectionExerciseFactory
from tests.supervision.factories import module_session_next_week


@pytest.fixture
def module(make_module):
    return make_module(number=4, title="Mentalisering i hverdagen")


@pytest.fixture
def module_session(module, family):
    """The session teaching the module to the family: its before-exercises are open."""
    return module_session_next_week(family, module)


@pytest.fixture
def exercise(module, module_session):
    return ReflectionExerciseFactory(module=module)


@pytest.fixture
def family(db):
    family = FosterFamilyFactory(name="Familien Hansen")
    family.parents.set(
        [
            FosterParentFactory(first_name="Mette", municipality=family.municipality),
            FosterParentFactory(first_name="Lars", municipality=family.municipality),
        ]
    )
    family.save()
    return family


@pytest.fixture
def mette(family):
    return family.parents.get(first_name="Mette")


@pytest.fixture
def lars(family):
    return family.parents.get(first_name="Lars")
