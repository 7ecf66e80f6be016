"""A family writes an exercise once per session on its topic: each session its own entry."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from logbook import availability
from logbook.models import GoalFollowUpExercise, LogbookEntry, Timing
from supervision.models import DevelopmentGoal
from supervision.services import record_attendance
from tests.factories import (
    CohortFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    PlacementFactory,
)
from tests.logbook.factories import (
    LogbookEntryFactory,
    ObservationExerciseFactory,
    ReflectionExerciseFactory,
    entry_url,
)
from tests.supervision.factories import (
    GroupSupervisionFactory,
    ModuleSessionFactory,
    QuarterFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def days(n):
    return timezone.now() + datetime.timedelta(days=n)


def session_on(module, family, start, **kwargs):
    return ModuleSessionFactory(
        municipality=family.municipality, module=module, start=start, families=[family], **kwargs
    )


def write(client, family, exercise, session, text, joint=False, version=0):
    url = entry_url(family, exercise, session, joint=joint)
    return client.post(url, {"answer_prompt_0": text, "version": version}, **JSON)


@pytest.fixture
def two_sessions(module, family):
    return session_on(module, family, days(7)), session_on(module, family, days(21))


def test_a_recurring_exercise_keeps_one_entry_per_session(
    client, family, module, mette, two_sessions
):
    first, second = two_sessions
    exercise = ReflectionExerciseFactory(module=module)
    client.force_login(mette)
    assert write(client, family, exercise, first, "Før det første møde").status_code == 200
    assert write(client, family, exercise, second, "Før det andet møde").status_code == 200
    entries = LogbookEntry.objects.filter(exercise=exercise).order_by("session__start")
    assert [(e.session_id, e.answers["prompt_0"]) for e in entries] == [
        (first.pk, "Før det første møde"),
        (second.pk, "Før det andet møde"),
    ]
    page = client.get(entry_url(family, exercise, first)).content.decode()
    assert "Før det første møde" in page and "Før det andet møde" not in page
    assert entry_url(family, exercise, second) in page  # the same exercise, next session


def test_the_drafts_of_two_sessions_have_their_own_key(client, family, module, mette, two_sessions):
    exercise = ReflectionExerciseFactory(module=module)
    client.force_login(mette)
    keys = {
        client.get(entry_url(family, exercise, session))
        .content.decode()
        .split('data-autosave="')[1]
        .split('"')[0]
        for session in two_sessions
    }
    assert keys == {
        f"{family.pk}-{exercise.pk}-{session.pk}-own-{mette.pk}" for session in two_sessions
    }


def test_a_goal_follow_up_gives_one_entry_per_review(client, family, mette):
    theme = ThemeFactory(name="Udviklingsplan", slug="udviklingsplan")
    goal = DevelopmentGoal.objects.create(family=family, text="Faste sengetider")
    follow_up = GoalFollowUpExercise.objects.create(
        title="Opfølgning", theme=theme, timing=Timing.BEFORE
    )
    cohort = CohortFactory(municipality=family.municipality, families=[family], year=2027)
    quarter = QuarterFactory(cohort=cohort, number=1, theme=theme)
    reviews = [
        GroupSupervisionFactory(cohort=cohort, quarter=quarter, start=days(n)) for n in (5, 40)
    ]
    client.force_login(mette)
    for review, text in zip(reviews, ["Det går bedre", "Nu sover hun"], strict=True):
        url = entry_url(family, follow_up, review)
        data = {"answer_goal": str(goal.pk), "answer_progress": text, "version": 0}
        assert client.post(url, data, **JSON).json()["status"] == "saved"
    assert sorted(
        LogbookEntry.objects.filter(exercise=follow_up).values_list("session_id", flat=True)
    ) == sorted(review.pk for review in reviews)


def test_sessions_before_the_first_placement_open_nothing(family, module):
    exercise = ReflectionExerciseFactory(module=module)
    early = session_on(module, family, days(10))
    PlacementFactory(family=family, start_date=timezone.localdate(days(20)))
    late = session_on(module, family, days(30))
    assert not availability.is_open_for(family, exercise, early)
    assert availability.is_open_for(family, exercise, late)
    state = availability.family_exercise_states(family)[0]
    assert [slot.session.pk for slot in state.slots] == [late.pk]


def test_only_sessions_on_the_exercises_topic_count(family, module, make_module):
    other_module = make_module(number=9)
    exercise = ReflectionExerciseFactory(module=module)
    elsewhere = session_on(other_module, family, days(5))
    assert not availability.is_open_for(family, exercise, elsewhere)


def test_the_after_exercise_opens_per_session_with_the_parents_presence(
    family, module, mette, lars
):
    after = ObservationExerciseFactory(module=module, timing=Timing.AFTER)
    attended = session_on(module, family, days(-20))
    missed = session_on(module, family, days(-1))
    record_attendance(attended, {mette: True, lars: True})
    record_attendance(missed, {mette: True, lars: False})
    assert availability.is_open_for(family, after, attended, lars)
    assert not availability.is_open_for(family, after, missed, lars)
    assert availability.is_open_for(family, after, missed)  # the joint entry: Mette was there


def test_a_cancelled_sessions_entry_stays_readable_not_writable(
    client, family, module, mette, two_sessions
):
    first, _second = two_sessions
    exercise = ReflectionExerciseFactory(module=module)
    client.force_login(mette)
    write(client, family, exercise, first, "Skrevet før aflysningen")
    first.cancelled_at = timezone.now()
    first.save()
    url = entry_url(family, exercise, first)
    page = client.get(url)
    assert page.status_code == 200
    assert "Skrevet før aflysningen" in page.content.decode()
    assert 'name="answer_prompt_0"' not in page.content.decode()
    assert write(client, family, exercise, first, "Ændret", version=1).status_code == 403
    assert LogbookEntry.objects.get().answers["prompt_0"] == "Skrevet før aflysningen"


def test_a_cancelled_session_without_an_entry_is_not_found(client, family, module, mette):
    exercise = ReflectionExerciseFactory(module=module)
    session = session_on(module, family, days(3), cancelled_at=timezone.now())
    client.force_login(mette)
    assert client.get(entry_url(family, exercise, session)).status_code == 404


@pytest.mark.parametrize("session_id", [0, 2**31, 2**63, 10**25])
def test_unknown_and_huge_session_ids_are_not_found(client, family, exercise, mette, session_id):
    client.force_login(mette)
    url = reverse("logbook:entry", args=[family.pk, exercise.pk, session_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer_prompt_0": "x"}, **JSON).status_code == 404


def test_another_familys_session_is_not_found(client, family, module, exercise, mette):
    other = FosterFamilyFactory(municipality=family.municipality)
    theirs = session_on(module, other, days(4))
    client.force_login(mette)
    url = reverse("logbook:entry", args=[family.pk, exercise.pk, theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer_prompt_0": "x"}).status_code == 404
    assert not LogbookEntry.objects.exists()


def test_another_municipalitys_family_and_session_are_not_found(client, family, module, exercise):
    outsider = FosterParentFactory()
    theirs = FosterFamilyFactory(parents=[outsider])
    their_session = session_on(module, theirs, days(4))
    client.force_login(outsider)
    for url in (
        reverse("logbook:entry", args=[family.pk, exercise.pk, their_session.pk]),
        reverse("logbook:exercise", args=[family.pk, exercise.pk]),
        entry_url(family, exercise),
    ):
        assert client.get(url).status_code == 404


def test_the_exercises_own_link_leads_to_the_coming_sessions_entry(
    client, family, module, mette, two_sessions
):
    first, _second = two_sessions
    exercise = ReflectionExerciseFactory(module=module)
    client.force_login(mette)
    old = reverse("logbook:exercise", args=[family.pk, exercise.pk])
    assert client.get(old).url == entry_url(family, exercise, first)
    assert client.post(old, {"answer_prompt_0": "x"}).status_code == 405


def test_the_exercises_own_link_without_an_open_session_leads_to_the_list(
    client, family, module, mette
):
    exercise = ObservationExerciseFactory(module=module, timing=Timing.AFTER)
    client.force_login(mette)
    response = client.get(reverse("logbook:exercise", args=[family.pk, exercise.pk]))
    assert response.url == reverse("logbook:index")


def test_an_entry_no_session_matched_stays_readable(client, family, module, mette):
    exercise = ReflectionExerciseFactory(module=module)
    entry = LogbookEntryFactory(
        family=family, exercise=exercise, author=mette, answers={"prompt_0": "Fra før"}
    )
    assert entry.session is None
    client.force_login(mette)
    index = client.get(reverse("logbook:index")).content.decode()
    assert entry.get_absolute_url().replace("&", "&amp;") in index
    page = client.get(entry.get_absolute_url())
    assert page.status_code == 200
    assert "Fra før" in page.content.decode()


def test_the_logbook_lists_entries_by_session_to_do_first(
    client, family, module, mette, two_sessions
):
    first, second = two_sessions
    exercise = ReflectionExerciseFactory(module=module, title="Gentaget øvelse")
    LogbookEntryFactory(family=family, exercise=exercise, session=first, author=mette)
    client.force_login(mette)
    response = client.get(reverse("logbook:index"))
    logbook = response.context["logbooks"][0]
    assert [(slot.exercise, slot.session.pk) for slot in logbook["due"]] == [(exercise, second.pk)]
    assert [session.pk for session, _slots in logbook["sessions"]] == [second.pk, first.pk]


def test_the_logbook_costs_the_same_queries_for_many_sessions(
    client, django_assert_num_queries, family, module, mette
):
    ReflectionExerciseFactory(module=module)
    ObservationExerciseFactory(module=module, timing=Timing.AFTER)
    held = session_on(module, family, days(-3))
    record_attendance(held, {mette: True})
    client.force_login(mette)
    client.get(reverse("logbook:index"))  # the login's first request writes its session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("logbook:index"))
    for n in range(1, 8):
        session = session_on(module, family, days(-3 - 3 * n))
        record_attendance(session, {mette: True})
        session_on(module, family, days(3 * n))
    for state in availability.family_exercise_states(family, mette):
        for slot in state.slots[:4]:
            LogbookEntryFactory(
                family=family, exercise=state.exercise, session_id=slot.session.pk, author=mette
            )
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("logbook:index"))
    assert len(response.context["logbooks"][0]["sessions"]) == 15


def test_the_entry_page_costs_the_same_queries_for_many_sessions(
    client, django_assert_num_queries, family, module, mette
):
    exercise = ReflectionExerciseFactory(module=module)
    session = session_on(module, family, days(2))
    client.force_login(mette)
    url = entry_url(family, exercise, session)
    client.get(url)  # the login's first request writes its session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(1, 8):
        later = session_on(module, family, days(3 + n))
        LogbookEntryFactory(family=family, exercise=exercise, session=later, author=mette)
    with django_assert_num_queries(len(few)):
        assert client.get(url).status_code == 200
