"""Who the admin's pickers offer, and what saving a form may never undo.

A parent picker offers the municipality's active foster parents, a supervisor picker its
active supervisors and coordinators; an erased family is offered nowhere. Anything else
posted is refused next to the field. Links to rows the editor cannot see are kept on save.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.admin_forms import TenantAdminForm
from cms.models import User
from cms.roles import sync_role_groups
from supervision.models import Cohort, FosterFamily, Session
from tests.factories import (
    CohortFactory,
    CoordinatorFactory,
    EditorFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
    TrainerFactory,
    UserFactory,
)
from tests.supervision.factories import IndividualSupervisionFactory, RegisteredPlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles():
    sync_role_groups()


@pytest.fixture
def home():
    return MunicipalityFactory(name="Vejle Kommune", slug="vejle")


@pytest.fixture
def supervisor(client, home):
    user = SupervisorFactory(municipality=home, first_name="Sanne")
    client.force_login(user)
    return user


@pytest.fixture
def people(home):
    """One user of each kind a picker must tell apart."""
    return {
        "parent": FosterParentFactory(municipality=home),
        "coordinator": CoordinatorFactory(municipality=home),
        "supervisor": SupervisorFactory(municipality=home),
        "trainer": TrainerFactory(municipality=home),
        "editor": EditorFactory(),
        "inactive parent": FosterParentFactory(municipality=home, is_active=False),
        "inactive supervisor": SupervisorFactory(municipality=home, is_active=False),
        "parent elsewhere": FosterParentFactory(),
        "supervisor elsewhere": SupervisorFactory(),
        "no role": UserFactory(municipality=home),
    }


def choices(client, url, field):
    return set(client.get(url).context["form"].fields[field].queryset)


def family_post(family, parents):
    return {
        "municipality": family.municipality_id,
        "name": family.name,
        "family_type": family.family_type_id,
        "care_form": family.care_form,
        "parents": [p.pk for p in parents],
        "development_goals-TOTAL_FORMS": "0",
        "development_goals-INITIAL_FORMS": "0",
        "development_goals-MIN_NUM_FORMS": "0",
        "development_goals-MAX_NUM_FORMS": "1000",
    }


def test_parent_picker_offers_only_the_municipalitys_active_foster_parents(
    client, supervisor, home, people
):
    """(A new family's parents are typed or linked by address in its registration form:
    tests/supervision/test_register_family.py.)"""
    family = FosterFamilyFactory(municipality=home)
    url = reverse("fosterfamily:edit", args=[family.pk])
    assert choices(client, url, "parents") == {people["parent"]}


def test_supervisor_cannot_make_themself_a_parent_of_a_family(client, supervisor, home):
    parent = FosterParentFactory(municipality=home)
    family = FosterFamilyFactory(municipality=home, parents=[parent])
    response = client.post(
        reverse("fosterfamily:edit", args=[family.pk]), family_post(family, [parent, supervisor])
    )
    assert response.status_code == 200
    assert "parents" in response.context["form"].errors
    assert list(family.parents.all()) == [parent]


@pytest.mark.parametrize(
    "namespace", ["cohort", "premeeting", "individualsupervision", "groupsupervision"]
)
def test_supervisor_pickers_offer_only_active_supervisors_and_coordinators(
    client, supervisor, home, people, namespace
):
    offered = choices(client, reverse(f"{namespace}:add"), "supervisors")
    assert offered == {supervisor, people["supervisor"], people["coordinator"]}


def test_plan_year_offers_only_active_supervisors_and_coordinators(
    client, supervisor, home, people
):
    offered = choices(client, reverse("supervision_plan_year"), "supervisors")
    assert offered == {supervisor, people["supervisor"], people["coordinator"]}


def test_a_session_form_refuses_a_foster_parent_as_supervisor_next_to_the_field(
    client, supervisor, home
):
    parent = FosterParentFactory(municipality=home)
    family = FosterFamilyFactory(municipality=home)
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=5))
    response = client.post(
        reverse("individualsupervision:add"),
        {
            "municipality": home.pk,
            "start": start.strftime("%Y-%m-%d %H:%M"),
            "end": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "place": "Rådhuset",
            "supervisors": [parent.pk],
            "families": [family.pk],
        },
    )
    assert "supervisors" in response.context["form"].errors
    assert not Session.objects.exists()


def erased_family(home):
    placement = RegisteredPlacementFactory(family__municipality=home, family__name="Slettet")
    FosterFamily.objects.filter(pk=placement.family_id).update(erased_at=timezone.now())
    return FosterFamily.objects.get(pk=placement.family_id)


@pytest.mark.parametrize(
    ("url_name", "field"),
    [
        ("cohort:add", "families"),
        ("individualsupervision:add", "families"),
        ("premeeting:add", "families"),
        ("placement:add", "family"),
    ],
)
def test_an_erased_family_is_offered_in_no_picker(client, supervisor, home, url_name, field):
    living = FosterFamilyFactory(municipality=home)
    erased_family(home)
    assert choices(client, reverse(url_name), field) == {living}


def test_an_erased_familys_course_is_offered_in_no_picker(client, supervisor, home):
    living = RegisteredPlacementFactory(family__municipality=home).startup_course
    erased = erased_family(home).placements.get().startup_course
    offered = choices(client, reverse("premeeting:add"), "course")
    assert living in offered
    assert erased not in offered


def test_saving_a_family_keeps_the_parents_the_editor_cannot_see(client, supervisor, home):
    """A parent linked from another municipality (or by a superuser) is not the
    supervisor's to remove: the form neither shows nor unlinks them."""
    own = FosterParentFactory(municipality=home)
    unseen = FosterParentFactory(first_name="Skjult")
    family = FosterFamilyFactory(municipality=home, parents=[own, unseen])
    form = client.get(reverse("fosterfamily:edit", args=[family.pk])).context["form"]
    assert unseen not in form.fields["parents"].queryset

    response = client.post(
        reverse("fosterfamily:edit", args=[family.pk]),
        {**family_post(family, [own]), "name": "Familien Ny"},
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.name == "Familien Ny"
    assert set(family.parents.all()) == {own, unseen}


def test_saving_a_session_keeps_the_supervisors_the_editor_cannot_see(client, supervisor, home):
    unseen = SupervisorFactory(first_name="Skjult")
    family = FosterFamilyFactory(municipality=home)
    session = IndividualSupervisionFactory(
        municipality=home,
        start=timezone.now() + datetime.timedelta(days=3),
        supervisors=[supervisor, unseen],
        families=[family],
    )
    start = timezone.localtime(session.start)
    response = client.post(
        reverse("individualsupervision:edit", args=[session.pk]),
        {
            "municipality": home.pk,
            "start": start.strftime("%Y-%m-%d %H:%M"),
            "end": timezone.localtime(session.end).strftime("%Y-%m-%d %H:%M"),
            "place": "Nyt sted",
            "supervisors": [supervisor.pk],
            "families": [family.pk],
        },
    )
    assert response.status_code == 302
    assert set(session.supervisors.all()) == {supervisor, unseen}


def test_a_linked_staff_member_shows_as_a_parent_so_it_can_be_unlinked(client, supervisor, home):
    """A link the editor can see but may not make anew (a staff member linked as a parent
    before pickers were limited) is offered as it stands, so it can be removed."""
    parent = FosterParentFactory(municipality=home)
    family = FosterFamilyFactory(municipality=home, parents=[parent, supervisor])
    url = reverse("fosterfamily:edit", args=[family.pk])
    assert choices(client, url, "parents") == {parent, supervisor}
    assert client.post(url, family_post(family, [parent])).status_code == 302
    assert list(family.parents.all()) == [parent]


def test_a_cohort_form_still_shows_its_erased_family(client, supervisor, home):
    """Not offered to new cohorts, but an erased family stays in its own (the reports
    count it), and the form shows it as linked instead of dropping it."""
    erased = erased_family(home)
    living = FosterFamilyFactory(municipality=home)
    cohort = CohortFactory(municipality=home, families=[erased, living])
    form = client.get(reverse("cohort:edit", args=[cohort.pk])).context["form"]
    assert set(form.fields["families"].queryset) == {erased, living}
    assert set(Cohort.objects.get().families.all()) == {erased, living}


def test_every_user_picker_of_the_tenant_admin_says_whom_it_offers():
    """A user picker nobody declared offers nobody; this keeps each one declared."""
    from django.apps import apps

    undeclared = []
    for model in apps.get_models():
        if not issubclass(getattr(model, "base_form_class", object), TenantAdminForm):
            continue
        declared = getattr(model, "picker_choices", {})
        for field in model._meta.get_fields():
            picks_users = field.is_relation and not field.auto_created
            if picks_users and field.related_model is User and field.name not in declared:
                undeclared.append(f"{model._meta.label}.{field.name}")
    assert not undeclared
