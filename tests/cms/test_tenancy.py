"""Staff of one municipality can never reach another's families, by URL or by form."""

import pytest
from django.urls import reverse

from supervision.models import Placement
from tests.factories import (
    CohortFactory,
    FosterFamilyFactory,
    MunicipalityFactory,
    PlacementFactory,
    SupervisorFactory,
)
from tests.supervision.factories import plan_goals_formset

pytestmark = pytest.mark.django_db

OBJECT_VIEWS = ["edit", "delete", "history", "usage"]


@pytest.fixture
def municipality_a():
    return MunicipalityFactory(name="Vejle Kommune", slug="vejle")


@pytest.fixture
def municipality_b():
    return MunicipalityFactory(name="Odense Kommune", slug="odense")


@pytest.fixture
def supervisor_a(client, municipality_a):
    supervisor = SupervisorFactory(municipality=municipality_a)
    client.force_login(supervisor)
    return supervisor


@pytest.mark.parametrize("view", [*OBJECT_VIEWS, "inspect"])
def test_supervisor_gets_404_for_another_municipalitys_family(
    client, supervisor_a, municipality_b, view
):
    family = FosterFamilyFactory(municipality=municipality_b)
    response = client.get(reverse(f"fosterfamily:{view}", args=[family.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("namespace", "make"),
    [
        ("placement", lambda m: PlacementFactory(family__municipality=m)),
        ("cohort", lambda m: CohortFactory(municipality=m)),
    ],
)
@pytest.mark.parametrize("view", OBJECT_VIEWS)
def test_every_object_view_hides_other_municipalities(
    client, supervisor_a, municipality_b, namespace, make, view
):
    obj = make(municipality_b)
    assert client.get(reverse(f"{namespace}:{view}", args=[obj.pk])).status_code == 404


def test_supervisor_can_open_own_family(client, supervisor_a, municipality_a):
    family = FosterFamilyFactory(municipality=municipality_a)
    assert client.get(reverse("fosterfamily:edit", args=[family.pk])).status_code == 200


def test_family_list_shows_only_own_municipality(
    client, supervisor_a, municipality_a, municipality_b
):
    FosterFamilyFactory(municipality=municipality_a, name="Familien Hansen")
    FosterFamilyFactory(municipality=municipality_b, name="Familien Jensen")
    body = client.get(reverse("fosterfamily:index")).content.decode()
    assert "Familien Hansen" in body
    assert "Familien Jensen" not in body


def test_placement_form_refuses_another_municipalitys_family(client, supervisor_a, municipality_b):
    foreign_family = FosterFamilyFactory(municipality=municipality_b)
    response = client.post(
        reverse("placement:add"),
        {
            "family": foreign_family.pk,
            "child_name": "Emil",
            "birth_year": 2017,
            "start_date": "2026-10-01",
            **plan_goals_formset(),
        },
    )
    assert response.status_code == 200
    assert not Placement.objects.exists()
    assert "family" in response.context["form"].errors


def test_family_form_offers_only_own_municipality(client, supervisor_a, municipality_b):
    form = client.get(reverse("fosterfamily:add")).context["form"]
    assert list(form.fields["municipality"].queryset) == [supervisor_a.municipality]
    assert form.fields["municipality"].initial == supervisor_a.municipality.pk


def test_user_without_municipality_sees_no_families():
    from supervision.models import FosterFamily

    FosterFamilyFactory()
    assert not FosterFamily.objects.for_user(SupervisorFactory(municipality=None)).exists()
