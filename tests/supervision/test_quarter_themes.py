"""Quarter themes: an individual supervision carries the quarter of the family's cohort
and its theme; a cohort meets once a quarter unless the supervisor says otherwise."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from supervision.models import GroupSupervision, IndividualSupervision
from supervision.services import cancel_session, plan_cohort_year, schedule_session
from tests.factories import (
    CohortFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
)
from tests.supervision.factories import QuarterFactory, ThemeFactory, at

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def supervisor(home):
    return SupervisorFactory(municipality=home)


@pytest.fixture
def family(home):
    return FosterFamilyFactory(municipality=home, name="Familien Holm")


@pytest.fixture
def quarter(home, family):
    """The second quarter of next year of the family's cohort, on mentalising."""
    cohort = CohortFactory(
        municipality=home, name="Hold Nord", year=timezone.localdate().year + 1, families=[family]
    )
    return QuarterFactory(cohort=cohort, number=2, theme=ThemeFactory(name="Mentalisering"))


def in_quarter(quarter, day=10, hour=17):
    return at(quarter.cohort.year, 3 * quarter.number - 1, day, hour)


def individual(home, family, quarter, **fields):
    start = in_quarter(quarter)
    return IndividualSupervision(
        municipality=home, start=start, end=start + HOUR, place="Hjemme", quarter=quarter, **fields
    )


# Individual supervision


def test_an_individual_supervision_takes_its_quarters_theme(home, family, quarter, supervisor):
    session = schedule_session(individual(home, family, quarter), [supervisor], [family])
    assert session.theme == quarter.theme


def test_the_supervisor_may_choose_another_theme(home, family, quarter, supervisor):
    other = ThemeFactory(name="Tilknytning")
    session = schedule_session(
        individual(home, family, quarter, theme=other), [supervisor], [family]
    )
    assert IndividualSupervision.objects.get(pk=session.pk).theme == other


def test_the_quarter_must_be_one_of_the_familys_cohorts(home, quarter, supervisor):
    stranger = FosterFamilyFactory(municipality=home)
    with pytest.raises(ValidationError) as refused:
        schedule_session(individual(home, stranger, quarter), [supervisor], [stranger])
    assert "quarter" in refused.value.message_dict
    assert not IndividualSupervision.objects.exists()


def individual_post(supervisor, family, quarter, **extra):
    start = in_quarter(quarter)
    return {
        "municipality": supervisor.municipality_id,
        "start": timezone.localtime(start).strftime("%Y-%m-%d %H:%M"),
        "end": timezone.localtime(start + HOUR).strftime("%Y-%m-%d %H:%M"),
        "place": "Hjemme",
        "video_link": "",
        "supervisors": [supervisor.pk],
        "families": [family.pk],
        "quarter": quarter.pk,
        "theme": "",
        **extra,
    }


def test_the_admin_form_fills_the_theme_from_the_quarter(
    client, staff, family, quarter, supervisor
):
    response = client.post(
        reverse("individualsupervision:add"), individual_post(supervisor, family, quarter)
    )
    assert response.status_code == 302
    assert IndividualSupervision.objects.get().theme == quarter.theme


def test_another_municipalitys_quarter_is_refused_by_the_form(client, staff, family, supervisor):
    foreign = QuarterFactory(cohort=CohortFactory(municipality=MunicipalityFactory(), year=2027))
    response = client.post(
        reverse("individualsupervision:add"), individual_post(supervisor, family, foreign)
    )
    assert response.status_code == 200
    assert "quarter" in response.context["form"].errors
    assert not IndividualSupervision.objects.exists()


# One group supervision per cohort and quarter


def group(quarter, day=10, **fields):
    start = in_quarter(quarter, day)
    return GroupSupervision(
        municipality=quarter.cohort.municipality,
        cohort=quarter.cohort,
        quarter=quarter,
        start=start,
        end=start + 2 * HOUR,
        place="Rådhuset",
        **fields,
    )


def test_a_second_group_supervision_in_a_quarter_is_refused_unless_on_purpose(quarter, supervisor):
    first = schedule_session(group(quarter), [supervisor])
    with pytest.raises(ValidationError) as refused:
        schedule_session(group(quarter, day=20), [supervisor])
    assert "another_in_quarter" in refused.value.message_dict
    second = schedule_session(group(quarter, day=20, another_in_quarter=True), [supervisor])
    assert set(GroupSupervision.objects.all()) == {first, second}


def test_a_cancelled_group_supervision_leaves_its_quarter_free(quarter, supervisor):
    cancel_session(schedule_session(group(quarter), [supervisor]))
    schedule_session(group(quarter, day=20), [supervisor])
    assert GroupSupervision.objects.active().count() == 1


def test_the_first_group_supervision_can_still_be_edited(quarter, supervisor):
    first = schedule_session(group(quarter), [supervisor])
    schedule_session(group(quarter, day=20, another_in_quarter=True), [supervisor])
    first.place = "Biblioteket"
    first.full_clean()


def test_planning_a_planned_year_again_is_refused_with_the_quarter(quarter, supervisor):
    themes = [quarter.theme] * 4
    kwargs = {
        "weekday": 1,
        "start_time": datetime.time(17),
        "duration": 2 * HOUR,
        "supervisors": [supervisor],
    }
    plan_cohort_year(quarter.cohort, themes, place="Rådhuset", **kwargs)
    with pytest.raises(ValidationError):
        plan_cohort_year(quarter.cohort, themes, place="Rådhuset", **kwargs)
    assert GroupSupervision.objects.count() == 4


def test_the_admin_form_shows_the_refusal_next_to_the_checkbox(client, staff, quarter, supervisor):
    schedule_session(group(quarter), [supervisor])
    start = in_quarter(quarter, day=20)
    data = {
        "municipality": quarter.cohort.municipality_id,
        "cohort": quarter.cohort_id,
        "quarter": quarter.pk,
        "start": timezone.localtime(start).strftime("%Y-%m-%d %H:%M"),
        "end": timezone.localtime(start + HOUR).strftime("%Y-%m-%d %H:%M"),
        "place": "Rådhuset",
        "video_link": "",
        "supervisors": [supervisor.pk],
    }
    response = client.post(reverse("groupsupervision:add"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "another_in_quarter" in form.errors
    assert form["place"].value() == "Rådhuset"
    response = client.post(reverse("groupsupervision:add"), {**data, "another_in_quarter": "on"})
    assert response.status_code == 302
    assert GroupSupervision.objects.count() == 2


# Min side


def test_min_side_shows_the_current_quarters_theme_with_its_module(client, home, make_module):
    today = timezone.localdate()
    parent = FosterParentFactory(municipality=home)
    family = FosterFamilyFactory(municipality=home, parents=[parent])
    cohort = CohortFactory(municipality=home, year=today.year, families=[family])
    theme = ThemeFactory(name="Mentalisering", description="At forstå barnets indre.")
    current = (today.month - 1) // 3 + 1
    QuarterFactory(cohort=cohort, number=current, theme=theme)
    QuarterFactory(cohort=cohort, number=current % 4 + 1, theme=ThemeFactory(name="Tilknytning"))
    module = make_module(number=7, title="Mentalisering i hverdagen", theme=theme)
    client.force_login(parent)
    page = client.get(reverse("family-dashboard")).content.decode()
    assert "Mentalisering" in page and "At forstå barnets indre." in page
    assert "Tilknytning" not in page
    assert module.url in page


def test_min_side_shows_no_theme_without_a_cohort_this_year(client, home):
    parent = FosterParentFactory(municipality=home)
    family = FosterFamilyFactory(municipality=home, parents=[parent])
    cohort = CohortFactory(municipality=home, year=timezone.localdate().year - 1, families=[family])
    QuarterFactory(cohort=cohort, number=1, theme=ThemeFactory(name="Mentalisering"))
    client.force_login(parent)
    assert "Mentalisering" not in client.get(reverse("family-dashboard")).content.decode()
