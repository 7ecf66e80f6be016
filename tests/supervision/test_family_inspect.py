"""The family's inspect page: its whole case work in a fixed number of queries, logged
as a read of the family, and another municipality's family out of reach."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.models import AccessLog
from supervision.models import Attendance, ChildPlanGoal, DevelopmentGoal, EndReason
from supervision.services import close_course, end_placement
from tests.factories import (
    CohortFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
)
from tests.supervision.factories import (
    GroupSupervisionFactory,
    IndividualSupervisionFactory,
    QuarterFactory,
    RegisteredPlacementFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
MAX_QUERIES = 19  # session and user 2, family and permissions, parents, casework 6, access log


@pytest.fixture
def supervisor(client, home):
    user = SupervisorFactory(municipality=home)
    client.force_login(user)
    return user


def make_family(home, rows=1):
    """A family with ``rows`` of each: placements (with plan goals), development goals,
    past sessions with attendance, coming sessions, and group supervisions via a cohort."""
    parents = [FosterParentFactory(municipality=home, first_name=n) for n in ("Mette", "Lars")]
    family = FosterFamilyFactory(municipality=home, name="Familien Holm", parents=parents)
    cohort = CohortFactory(municipality=home, year=timezone.localdate().year, families=[family])
    quarter = QuarterFactory(cohort=cohort, number=1)
    for n in range(rows):
        placement = RegisteredPlacementFactory(
            family=family,
            child_name=f"Barn{n}",
            start_date=timezone.localdate() - (100 + n) * DAY,
        )
        ChildPlanGoal.objects.create(placement=placement, text=f"Planmål {n}")
        DevelopmentGoal.objects.create(family=family, text=f"Udviklingsmål {n}")
        past = IndividualSupervisionFactory(
            municipality=home, start=timezone.now() - (n + 2) * DAY, families=[family]
        )
        Attendance.objects.create(session=past, parent=parents[0], present=True)
        Attendance.objects.create(session=past, parent=parents[1], present=False)
        IndividualSupervisionFactory(
            municipality=home, start=timezone.now() + (n + 2) * DAY, families=[family]
        )
        GroupSupervisionFactory(
            cohort=cohort,
            quarter=quarter,
            start=timezone.now() + (n + 30) * DAY,
            another_in_quarter=True,
        )
    return family


def inspect_url(family):
    return reverse("fosterfamily:inspect", args=[family.pk])


def test_the_inspect_page_shows_the_familys_case_work(client, supervisor, home):
    family = make_family(home)
    placement = family.placements.get()
    end_placement(placement, timezone.localdate() - DAY, EndReason.MOVED_HOME)
    page = client.get(inspect_url(family)).content.decode()
    for text in ("Barn0", "Planmål 0", "Udviklingsmål 0", "Barnet er flyttet hjem", "Afsluttet"):
        assert text in page
    assert "Kommende møder" in page and "Tidligere møder og fremmøde" in page
    assert "Til stede" in page and "Fraværende" in page
    assert "Gruppesupervision" in page


def test_a_course_closed_early_shows_its_reason(client, supervisor, home):
    family = make_family(home)
    close_course(family.placements.get().startup_course, "Familien flyttede")
    assert "Familien flyttede" in client.get(inspect_url(family)).content.decode()


def test_opening_it_is_logged_as_a_read_of_the_family(client, supervisor, home):
    family = make_family(home)
    client.get(inspect_url(family))
    [log] = AccessLog.objects.all()
    assert (log.action, log.user, log.object_id) == (
        AccessLog.Action.READ_FAMILY,
        supervisor,
        family.pk,
    )


def test_the_queries_do_not_grow_with_the_case_work(
    client, supervisor, home, django_assert_max_num_queries
):
    family = make_family(home, rows=1)
    client.get(inspect_url(family))  # warm the caches
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        client.get(inspect_url(family))
    many = make_family(home, rows=6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Planmål 5" in client.get(inspect_url(many)).content.decode()


def test_another_municipalitys_family_is_not_found_nor_logged(client, supervisor):
    foreign = make_family(MunicipalityFactory())
    assert client.get(inspect_url(foreign)).status_code == 404
    assert not AccessLog.objects.exists()
