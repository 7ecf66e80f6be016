"""An exercise families wrote in is retired, never deleted: their entries survive."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from courses.services import complete_lesson
from logbook import availability
from logbook.completion import module_is_completed
from logbook.models import Exercise, LogbookEntry
from tests.factories import FosterFamilyFactory, FosterParentFactory, TrainerFactory
from tests.logbook.factories import LogbookEntryFactory, ReflectionExerciseFactory, entry_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(family, exercise, mette):
    """Mette's entry, and one from a family of another municipality."""
    own = LogbookEntryFactory(
        family=family, exercise=exercise, author=mette, answers={"prompt_0": "Mor & far"}
    )
    elsewhere = FosterFamilyFactory()
    LogbookEntryFactory(family=elsewhere, exercise=exercise)
    return own


def delete_url(exercise):
    return reverse("reflectionexercise:delete", args=[exercise.pk])


def test_entries_protect_their_exercise_in_the_database(written, exercise):
    with pytest.raises(ProtectedError):
        exercise.delete()


def test_deleting_an_exercise_families_wrote_in_is_refused_with_the_count(
    client, written, exercise
):
    client.force_login(TrainerFactory())
    page = client.get(delete_url(exercise))
    assert page.status_code == 200
    assert page.context["is_protected"] and page.context["usage_count"] >= 2
    text = page.content.decode()
    assert "Familier har skrevet 2 logbogsindlæg i denne øvelse, i 2 kommuner" in text
    assert "“Udgået”" in text
    assert f'action="{delete_url(exercise)}"' not in text  # no "Yes, delete" form
    response = client.post(delete_url(exercise))
    assert response.status_code == 302
    assert Exercise.objects.filter(pk=exercise.pk).exists()
    assert LogbookEntry.objects.filter(exercise=exercise).count() == 2


def test_the_usage_page_counts_the_entries(client, written, exercise):
    client.force_login(TrainerFactory())
    usage = client.get(reverse("reflectionexercise:usage", args=[exercise.pk]))
    assert usage.status_code == 200
    assert "2 logbogsindlæg" in usage.content.decode()
    assert "Mor &amp; far" not in usage.content.decode()  # counts, never the entries


def test_an_exercise_nobody_wrote_in_can_still_be_deleted(client, module):
    unused = ReflectionExerciseFactory(module=module)
    client.force_login(TrainerFactory())
    assert client.post(delete_url(unused)).status_code == 302
    assert not Exercise.objects.filter(pk=unused.pk).exists()


def test_a_retired_exercise_leaves_the_to_do_and_its_entry_stays_readable(
    client, family, exercise, module, written, mette
):
    never_written = ReflectionExerciseFactory(module=module, title="Aldrig skrevet", retired=True)
    exercise.retired = True
    exercise.save()
    states = availability.family_exercise_states(family)
    assert [state.exercise.pk for state in states] == [exercise.pk]
    assert not states[0].is_open and availability.to_do(states) == []
    client.force_login(mette)
    index = client.get(reverse("logbook:index")).content.decode()
    assert never_written.title not in index
    assert entry_url(family, exercise) in index
    url = entry_url(family, exercise)
    page = client.get(url)
    assert page.status_code == 200
    assert "Mor &amp; far" in page.content.decode()
    response = client.post(url, {"answer_prompt_0": "Ændret", "version": written.version})
    assert response.status_code == 403
    written.refresh_from_db()
    assert written.answers["prompt_0"] == "Mor & far"


def test_a_retired_exercise_is_not_offered_to_a_family_that_never_wrote_in_it(
    client, family, exercise
):
    exercise.retired = True
    exercise.save()
    parent = FosterParentFactory(municipality=family.municipality)
    family.parents.add(parent)
    family.save()
    assert availability.family_exercise_states(family) == []
    client.force_login(parent)
    assert client.get(entry_url(family, exercise)).status_code == 403


def test_a_retired_required_exercise_does_not_hold_back_completing_the_module(
    family, module, exercise, mette
):
    for parent in family.parents.all():
        for lesson in module.get_children().specific():
            complete_lesson(parent, lesson)
    assert exercise.required and not module_is_completed(family, module)
    exercise.retired = True
    exercise.save()
    assert module_is_completed(family, module)
