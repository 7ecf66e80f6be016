"""Two municipalities with start-up courses in every state, for the coordinator reports."""

import codecs
import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.roles import sync_role_groups
from tests.factories import CoordinatorFactory, FosterFamilyFactory, MunicipalityFactory
from tests.supervision.factories import RegisteredPlacementFactory


@pytest.fixture(autouse=True)
def _roles(db):
    sync_role_groups()


@pytest.fixture
def vejle(db):
    return MunicipalityFactory(name="Vejle Kommune", slug="vejle")


@pytest.fixture
def odense(db):
    return MunicipalityFactory(name="Odense Kommune", slug="odense")


@pytest.fixture
def coordinator(client, vejle):
    user = CoordinatorFactory(municipality=vejle)
    client.force_login(user)
    return user


def course(municipality, family_name, days_ago=0):
    """The course of a placement registered ``days_ago`` days ago."""
    start = timezone.localdate() - datetime.timedelta(days=days_ago)
    family = FosterFamilyFactory(municipality=municipality, name=family_name)
    return RegisteredPlacementFactory(
        family=family, child_name="E.", start_date=start
    ).startup_course


@pytest.fixture
def courses(vejle, odense):
    """Vejle: one late (started two years ago), one at risk (start deadline in ten days),
    one just planned. Odense: one late."""
    return {
        "late": course(vejle, "Familien Sen", days_ago=730),
        "at_risk": course(vejle, "Familien Snart", days_ago=172),
        "planned": course(vejle, "Familien Ny"),
        "odense_late": course(odense, "Familien Fyn", days_ago=730),
    }


def count_queries(client, url):
    client.get(url)  # the site and the national links are then in the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def csv_rows(response):
    """The rows of a CSV export as Danish Excel reads it: UTF-8 with a byte order mark,
    fields separated by ``;``."""
    content = b"".join(response.streaming_content)
    assert content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
