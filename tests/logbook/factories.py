import factory
from factory.django import DjangoModelFactory

from logbook.models import LogbookEntry, ObservationExercise, ReflectionExercise, Timing
from tests.factories import FosterFamilyFactory, FosterParentFactory


class ReflectionExerciseFactory(DjangoModelFactory):
    class Meta:
        model = ReflectionExercise

    title = factory.Sequence(lambda n: f"Refleksion {n}")
    timing = Timing.BEFORE
    prompts = "Hvad gik godt?\nHvad var svært?"
    instructions = "Skriv et par linjer."


class ObservationExerciseFactory(DjangoModelFactory):
    class Meta:
        model = ObservationExercise

    title = factory.Sequence(lambda n: f"Observation {n}")
    timing = Timing.AFTER


class LogbookEntryFactory(DjangoModelFactory):
    class Meta:
        model = LogbookEntry

    family = factory.SubFactory(FosterFamilyFactory)
    author = factory.SubFactory(
        FosterParentFactory, municipality=factory.SelfAttribute("..family.municipality")
    )
    last_edited_by = factory.SelfAttribute("author")
    answers = factory.LazyFunction(lambda: {"prompt_0": "Det gik godt", "prompt_1": ""})
