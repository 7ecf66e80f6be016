import factory
from django.urls import reverse
from factory.django import DjangoModelFactory

from logbook import availability
from logbook.models import LogbookEntry, ObservationExercise, ReflectionExercise, Timing
from supervision.models import Session
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
    # The family's latest session on the exercise's topic, if it has one.
    session = factory.LazyAttribute(lambda entry: latest_session(entry.family, entry.exercise))
    author = factory.SubFactory(
        FosterParentFactory, municipality=factory.SelfAttribute("..family.municipality")
    )
    last_edited_by = factory.SelfAttribute("author")
    answers = factory.LazyFunction(lambda: {"prompt_0": "Det gik godt", "prompt_1": ""})


def latest_session(family, exercise):
    sessions = availability.family_sessions_by_topic(family).get(
        availability.topic_of(exercise), []
    )
    return Session.objects.get(pk=sessions[-1].pk) if sessions else None


def entry_url(family, exercise, session=None, joint=False):
    """The page of the family's entry in ``exercise`` for ``session``: by default the
    session a link to the exercise leads to (the coming one it is open for), else the
    family's latest session on its topic, else the exercise's own link."""
    if session is None:
        sessions = availability.family_sessions_by_topic(family).get(
            availability.topic_of(exercise), []
        )
        session = availability.session_to_write(family, exercise) or (
            sessions[-1] if sessions else None
        )
    if session is None:
        url = reverse("logbook:exercise", args=[family.pk, exercise.pk])
    else:
        url = reverse("logbook:entry", args=[family.pk, exercise.pk, session.pk])
    return f"{url}?joint=1" if joint else url
