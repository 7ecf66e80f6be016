"""Staff screens: tenancy by URL and by form, the course opened on create, the agenda."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.roles import sync_role_groups
from supervision.models import (
    Attendance,
    CoursePlan,
    IndividualSupervision,
    Session,
    StartupCourse,
)
from tests.factories import (
    CohortFactory,
    CoordinatorFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
    TrainerFactory,
)
from tests.supervision.factories import (
    CoursePolicyFactory,
    GroupSupervisionFactory,
    IndividualSupervisionFactory,
    QuarterFactory,
    RegisteredPlacementFactory,
    ThemeFactory,
    plan_goals_formset,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles():
    sync_role_groups()


@pytest.fixture
def home():
    return MunicipalityFactory(name="Vejle Kommune", slug="vejle")


@pytest.fixture
def other():
    return MunicipalityFactory(name="Odense Kommune", slug="odense")


def later(days, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


FOREIGN_OBJECTS = {
    "startupcourse": lambda m: RegisteredPlacementFactory(family__municipality=m).startup_course,
    "courseplan": lambda m: CoursePlan.objects.create(
        course=RegisteredPlacementFactory(family__municipality=m).startup_course
    ),
    "coursepolicy": lambda m: CoursePolicyFactory(municipality=m),
    "individualsupervision": lambda m: IndividualSupervisionFactory(municipality=m),
    "groupsupervision": lambda m: GroupSupervisionFactory(cohort__municipality=m),
}


@pytest.mark.parametrize("namespace", FOREIGN_OBJECTS)
@pytest.mark.parametrize("view", ["edit", "delete", "history"])
def test_every_new_object_view_hides_other_municipalities(client, staff, other, namespace, view):
    obj = FOREIGN_OBJECTS[namespace](other)
    assert client.get(reverse(f"{namespace}:{view}", args=[obj.pk])).status_code == 404


@pytest.mark.parametrize("name", ["supervision_attendance", "supervision_cancel"])
def test_custom_session_views_hide_other_municipalities(client, staff, other, name):
    session = IndividualSupervisionFactory(municipality=other)
    method = client.post if name == "supervision_cancel" else client.get
    assert method(reverse(name, args=[session.pk])).status_code == 404
    assert Session.objects.get().cancelled_at is None


def test_lists_show_only_own_municipality(client, staff, home, other):
    RegisteredPlacementFactory(family__municipality=home, family__name="Familien Hjemme")
    RegisteredPlacementFactory(family__municipality=other, family__name="Familien Ude")
    body = client.get(reverse("startupcourse:index")).content.decode()
    assert "Familien Hjemme" in body
    assert "Familien Ude" not in body


def test_creating_a_placement_in_the_admin_opens_its_course(client, staff, home):
    family = FosterFamilyFactory(municipality=home)
    response = client.post(
        reverse("placement:add"),
        {
            "family": family.pk,
            "child_name": "E",
            "birth_year": 2019,
            "start_date": "2024-02-29",
            **plan_goals_formset(),
        },
    )
    assert response.status_code == 302
    course = StartupCourse.objects.get()
    assert course.finish_deadline == datetime.date(2025, 2, 28)
    assert course.start_deadline == datetime.date(2024, 8, 29)


def test_course_list_shows_the_status_tag(client, staff, home):
    RegisteredPlacementFactory(family__municipality=home, start_date=timezone.localdate())
    body = client.get(reverse("startupcourse:index")).content.decode()
    assert "w-status" in body
    assert "Planlagt" in body or "Planned" in body


def session_post(supervisor, family, start, **extra):
    return {
        "municipality": supervisor.municipality_id,
        "start": timezone.localtime(start).strftime("%Y-%m-%d %H:%M"),
        "end": timezone.localtime(start + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "place": "Rådhuset",
        "video_link": "",
        "supervisors": [supervisor.pk],
        "families": [family.pk],
        **extra,
    }


def test_session_form_refuses_a_double_booked_supervisor_next_to_the_field(
    client, staff, home, mailoutbox
):
    supervisor = SupervisorFactory(municipality=home)
    family = FosterFamilyFactory(municipality=home)
    IndividualSupervisionFactory(municipality=home, start=later(10), supervisors=[supervisor])
    response = client.post(
        reverse("individualsupervision:add"), session_post(supervisor, family, later(10))
    )
    assert response.status_code == 200
    assert "supervisors" in response.context["form"].errors
    assert IndividualSupervision.objects.count() == 1


def test_session_form_refuses_another_municipalitys_family(client, staff, home, other):
    supervisor = SupervisorFactory(municipality=home)
    foreign = FosterFamilyFactory(municipality=other)
    response = client.post(
        reverse("individualsupervision:add"), session_post(supervisor, foreign, later(10))
    )
    assert "families" in response.context["form"].errors
    assert not Session.objects.exists()


def test_creating_a_session_in_the_admin_invites_its_people(
    client, staff, home, mailoutbox, django_capture_on_commit_callbacks
):
    supervisor = SupervisorFactory(municipality=home)
    parent = FosterParentFactory(municipality=home)
    family = FosterFamilyFactory(municipality=home, parents=[parent])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("individualsupervision:add"), session_post(supervisor, family, later(10))
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == sorted([supervisor.email, parent.email])


def test_plan_year_view_creates_four_group_sessions(client, staff, home):
    supervisor = SupervisorFactory(municipality=home)
    cohort = CohortFactory(municipality=home, year=timezone.localdate().year + 1)
    themes = [ThemeFactory() for _ in range(4)]
    response = client.post(
        reverse("supervision_plan_year"),
        {
            "cohort": cohort.pk,
            **{f"theme_{n}": themes[n - 1].pk for n in range(1, 5)},
            "weekday": 1,
            "start_time": "17:00",
            "duration_minutes": 120,
            "place": "Familieplejen",
            "supervisors": [supervisor.pk],
        },
    )
    assert response.status_code == 302
    assert cohort.group_supervisions.count() == 4


def test_plan_year_view_refuses_another_municipalitys_cohort(client, staff, home, other):
    cohort = CohortFactory(municipality=other)
    response = client.post(reverse("supervision_plan_year"), {"cohort": cohort.pk})
    assert "cohort" in response.context["form"].errors


def make_sessions(home, count):
    supervisor = SupervisorFactory(municipality=home)
    for index in range(count):
        parent = FosterParentFactory(municipality=home)
        family = FosterFamilyFactory(municipality=home, parents=[parent])
        IndividualSupervisionFactory(
            municipality=home,
            start=later(3 + index * 4),
            supervisors=[supervisor],
            families=[family],
        )
    cohort = CohortFactory(municipality=home, families=list(home.families.all()))
    quarter = QuarterFactory(cohort=cohort, number=1)
    return GroupSupervisionFactory(
        cohort=cohort, quarter=quarter, start=later(200), supervisors=[supervisor]
    )


def count_queries(client, url):
    client.get(url)  # the site and the national links are then in the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_agenda_query_count_does_not_grow_with_sessions(client, staff, home):
    make_sessions(home, 1)
    few = count_queries(client, reverse("supervision_agenda"))
    make_sessions(home, 4)
    assert count_queries(client, reverse("supervision_agenda")) == few


def test_attendance_records_each_expected_parent(client, staff, home):
    group = make_sessions(home, 2)
    group.start, group.end = later(-1), later(-1, 12)
    Session.objects.filter(pk=group.pk).update(start=group.start, end=group.end)
    url = reverse("supervision_attendance", args=[group.pk])
    form = client.get(url).context["form"]
    assert len(form.fields) == 2
    names = list(form.fields)
    response = client.post(url, {names[0]: "present", names[1]: "absent"})
    assert response.status_code == 302
    assert sorted(Attendance.objects.values_list("present", flat=True)) == [False, True]


def test_attendance_query_count_does_not_grow_with_parents(client, staff, home):
    small = make_sessions(home, 1)
    few = count_queries(client, reverse("supervision_attendance", args=[small.pk]))
    big = make_sessions(home, 5)
    assert count_queries(client, reverse("supervision_attendance", args=[big.pk])) == few


def test_trainers_get_none_of_the_casework_screens(client):
    client.force_login(TrainerFactory())
    assert client.get(reverse("supervision_agenda")).status_code in (302, 403)
    assert client.get(reverse("startupcourse:index")).status_code in (302, 403)


@pytest.mark.parametrize(
    "namespace",
    [
        "fosterfamily",
        "placement",
        "startupcourse",
        "courseplan",
        "coursepolicy",
        "cohort",
        "premeeting",
        "modulesession",
        "themesupervision",
        "groupsupervision",
        "individualsupervision",
    ],
)
def test_every_screen_opens_for_a_coordinator(client, staff, home, namespace):
    RegisteredPlacementFactory(family__municipality=home)
    IndividualSupervisionFactory(municipality=home)
    assert client.get(reverse(f"{namespace}:index")).status_code == 200
    if namespace != "startupcourse":
        assert client.get(reverse(f"{namespace}:add")).status_code == 200


def test_agenda_and_plan_year_open(client, staff, home):
    IndividualSupervisionFactory(municipality=home, start=later(2))
    assert client.get(reverse("supervision_agenda")).status_code == 200
    assert client.get(reverse("supervision_plan_year")).status_code == 200


FAMILY_DATA = {
    "fosterfamily": lambda m: RegisteredPlacementFactory(family__municipality=m).family,
    "placement": lambda m: RegisteredPlacementFactory(family__municipality=m),
    "startupcourse": FOREIGN_OBJECTS["startupcourse"],
    "courseplan": FOREIGN_OBJECTS["courseplan"],
}


@pytest.mark.parametrize("namespace", FAMILY_DATA)
@pytest.mark.parametrize("role", ["supervisor", "coordinator", "superuser"])
def test_no_role_deletes_a_familys_data_in_the_admin(client, home, namespace, role):
    """Only the erasure flow removes a family's data (and keeps what the reports count)."""
    user = {
        "supervisor": lambda: SupervisorFactory(municipality=home),
        "coordinator": lambda: CoordinatorFactory(municipality=home),
        "superuser": lambda: CoordinatorFactory(municipality=home, is_superuser=True),
    }[role]()
    client.force_login(user)
    obj = FAMILY_DATA[namespace](home)
    delete_url = reverse(f"{namespace}:delete", args=[obj.pk])
    assert client.get(delete_url).status_code in (302, 403)  # Wagtail: to the dashboard
    assert client.post(delete_url).status_code in (302, 403)
    assert type(obj).objects.filter(pk=obj.pk).exists()
    edit_page = client.get(reverse(f"{namespace}:edit", args=[obj.pk])).content.decode()
    assert delete_url not in edit_page
