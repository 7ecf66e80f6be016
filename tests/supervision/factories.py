"""Factories for start-up courses, cohorts and sessions; families and people come from
``tests.factories``."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from courses.models import Theme
from supervision.models import (
    CoursePolicy,
    GroupSupervision,
    IndividualSupervision,
    ModuleSession,
    Quarter,
)
from supervision.services import register_placement
from tests.factories import CohortFactory, MunicipalityFactory, PlacementFactory


class RegisteredPlacementFactory(PlacementFactory):
    """A placement registered the way the admin does it: its course is opened."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        placement = model_class(*args, **kwargs)
        register_placement(placement)
        return placement


class CoursePolicyFactory(DjangoModelFactory):
    class Meta:
        model = CoursePolicy
        django_get_or_create = ["municipality"]


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Tema {n}")
    slug = factory.Sequence(lambda n: f"tema-{n}")


class QuarterFactory(DjangoModelFactory):
    class Meta:
        model = Quarter

    cohort = factory.SubFactory(CohortFactory)
    number = 1
    theme = factory.SubFactory(ThemeFactory)


def at(year, month, day, hour=10, minute=0):
    """An aware local datetime, as staff type it in the admin."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


class SessionFactory(DjangoModelFactory):
    """Abstract base: sessions take supervisors and families after creation."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    start = factory.LazyFunction(lambda: at(2026, 10, 6))
    end = factory.LazyAttribute(lambda s: s.start + datetime.timedelta(hours=2))
    place = "Familieplejen, Vejlevej 1"

    @factory.post_generation
    def supervisors(self, create, extracted, **kwargs):
        if create and extracted:
            self.supervisors.set(extracted)

    @factory.post_generation
    def families(self, create, extracted, **kwargs):
        if create and extracted:
            self.families.set(extracted)


class IndividualSupervisionFactory(SessionFactory):
    class Meta:
        model = IndividualSupervision


class ModuleSessionFactory(SessionFactory):
    class Meta:
        model = ModuleSession


class GroupSupervisionFactory(SessionFactory):
    class Meta:
        model = GroupSupervision

    cohort = factory.SubFactory(CohortFactory)
    municipality = factory.SelfAttribute("cohort.municipality")
    quarter = factory.SubFactory(QuarterFactory, cohort=factory.SelfAttribute("..cohort"), number=4)


def module_session_next_week(family, module):
    """The session teaching ``module`` to ``family`` a week from now: the module's
    before-exercises are open for the family."""
    return ModuleSessionFactory(
        municipality=family.municipality,
        module=module,
        start=timezone.now() + datetime.timedelta(days=7),
        families=[family],
    )


def plan_goals_formset(*goals):
    """The child's plan inline of a placement form post: ``goals`` are dicts of fields."""
    data = {
        "plan_goals-TOTAL_FORMS": str(len(goals)),
        "plan_goals-INITIAL_FORMS": "0",
        "plan_goals-MIN_NUM_FORMS": "0",
        "plan_goals-MAX_NUM_FORMS": "1000",
    }
    for index, goal in enumerate(goals):
        data.update({f"plan_goals-{index}-{key}": value for key, value in goal.items()})
        data[f"plan_goals-{index}-ORDER"] = str(index + 1)
    return data
