"""The staff start page: this week's sessions, courses late or at risk, entries waiting."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from logbook.models import Feedback
from tests.factories import (
    CoordinatorFactory,
    FosterFamilyFactory,
    MunicipalityFactory,
    SupervisorFactory,
    TrainerFactory,
)
from tests.logbook.factories import LogbookEntryFactory, ReflectionExerciseFactory
from tests.supervision.factories import (
    IndividualSupervisionFactory,
    RegisteredPlacementFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 60  # the whole Wagtail dashboard; what matters is that it does not grow


def exercise():
    return ReflectionExerciseFactory(theme=ThemeFactory())


def today_at(hour):
    now = timezone.localtime()
    return now.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def vejle():
    return MunicipalityFactory(name="Vejle Kommune", slug="vejle")


@pytest.fixture
def odense():
    return MunicipalityFactory(name="Odense Kommune", slug="odense")


def populate(municipality, supervisor, n=1, place="Vejlevej 1"):
    """``n`` each of: sessions today, late courses, shared entries without feedback."""
    colleague = SupervisorFactory(municipality=municipality)
    for index in range(n):
        family = FosterFamilyFactory(municipality=municipality, name=f"Familien {place} {index}")
        IndividualSupervisionFactory(
            municipality=municipality,
            start=today_at(23) - datetime.timedelta(minutes=10 * (index + 1)),
            end=today_at(23),
            place=place,
            families=[family],
            supervisors=[supervisor if index % 2 else colleague],
        )
        RegisteredPlacementFactory(
            family=family, child_name=f"Barn {place}", start_date=datetime.date(2024, 1, 1)
        )
        LogbookEntryFactory(family=family, exercise=exercise(), shared_at=timezone.now())


def dashboard(client, user):
    client.force_login(user)
    return client.get(reverse("wagtailadmin_home")).content.decode()


def test_supervisor_sees_own_municipality_only(client, vejle, odense):
    supervisor = SupervisorFactory(municipality=vejle)
    populate(vejle, supervisor, n=2, place="Vejlevej 1")
    populate(odense, SupervisorFactory(municipality=odense), n=2, place="Odensevej 9")
    body = dashboard(client, supervisor)
    assert "Sessions this week" in body or "Møder i denne uge" in body
    assert "Vejlevej 1" in body and "Odensevej 9" not in body
    assert "Barn Vejlevej 1" in body and "Barn Odensevej 9" not in body
    assert reverse("logbook_shared_entries") in body
    assert "2 delte indlæg venter på feedback." in body


def test_supervisors_own_sessions_come_first(client, vejle):
    supervisor = SupervisorFactory(municipality=vejle)
    other = SupervisorFactory(municipality=vejle)
    family = FosterFamilyFactory(municipality=vejle)
    IndividualSupervisionFactory(
        municipality=vejle, start=today_at(21), end=today_at(22), place="Tidligt",
        families=[family], supervisors=[other],
    )  # fmt: skip
    IndividualSupervisionFactory(
        municipality=vejle, start=today_at(22), end=today_at(23), place="Mit møde",
        supervisors=[supervisor],
    )  # fmt: skip
    body = dashboard(client, supervisor)
    assert body.index("Mit møde") < body.index("Tidligt")


def test_entries_with_feedback_no_longer_wait(client, vejle):
    supervisor = SupervisorFactory(municipality=vejle)
    entry = LogbookEntryFactory(
        family=FosterFamilyFactory(municipality=vejle),
        exercise=exercise(),
        shared_at=timezone.now(),
    )
    LogbookEntryFactory(
        family=FosterFamilyFactory(municipality=vejle), exercise=exercise()
    )  # private: never counted
    Feedback.objects.create(entry=entry, author=supervisor, text="Tak")
    assert "0 delte indlæg venter på feedback." in dashboard(client, supervisor)


def test_trainer_sees_none_of_the_family_panels(client, catalogue):
    body = dashboard(client, TrainerFactory())
    assert "week-sessions-heading" not in body
    assert "courses-at-risk-heading" not in body
    assert "entries-waiting-heading" not in body


def count_queries(client, user):
    client.force_login(user)
    url = reverse("wagtailadmin_home")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("factory", [SupervisorFactory, CoordinatorFactory])
def test_queries_do_not_grow_with_rows(client, factory):
    small_town = MunicipalityFactory(slug="small")
    big_town = MunicipalityFactory(slug="big")
    small, big = factory(municipality=small_town), factory(municipality=big_town)
    populate(small_town, small, n=1)
    populate(big_town, big, n=6)
    small_count, big_count = count_queries(client, small), count_queries(client, big)
    assert small_count == big_count <= MAX_QUERIES


def test_the_count_covers_every_flagged_course_beyond_those_listed(client, vejle):
    supervisor = SupervisorFactory(municipality=vejle)
    for index in range(22):
        family = FosterFamilyFactory(municipality=vejle, name=f"Familie {index}")
        RegisteredPlacementFactory(family=family, start_date=datetime.date(2024, 1, 1))
    body = dashboard(client, supervisor)
    assert "22 forløb kræver opmærksomhed." in body
    assert len(re.findall(r"Familie \d+:", body)) == 20
