"""Wagtail's audit log of tenant data: seen only within its municipality, names no one.

The admin logs every create, edit and delete; tenant models log to ``TenantLogEntry``
(``cms.models.logs``), stamped with the municipality and labelled by kind and number.
"""

import importlib

import factory
import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from cms.models import TenantLogEntry
from cms.roles import sync_role_groups
from supervision.models import CoursePlan, ThemeSupervision
from tests.factories import (
    CohortFactory,
    CoordinatorFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
)
from tests.supervision.factories import (
    CoursePolicyFactory,
    GroupSupervisionFactory,
    IndividualSupervisionFactory,
    RegisteredPlacementFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

SITE_HISTORY = reverse("wagtailadmin_reports:site_history")


@pytest.fixture(autouse=True)
def _roles():
    sync_role_groups()


@pytest.fixture
def vejle():
    return MunicipalityFactory(name="Vejle Kommune", slug="vejle")


@pytest.fixture
def odense():
    return MunicipalityFactory(name="Odense Kommune", slug="odense")


def family_edited_in_the_admin(municipality, name, child):
    placement = RegisteredPlacementFactory(
        family__municipality=municipality, family__name=name, child_name=child
    )
    for obj in (placement.family, placement, placement.startup_course):
        log(obj, "wagtail.edit", user=SupervisorFactory(municipality=municipality))
    return placement


@pytest.mark.parametrize("role", [SupervisorFactory, CoordinatorFactory])
def test_site_history_shows_no_other_municipalitys_families_or_children(
    client, vejle, odense, role
):
    family_edited_in_the_admin(vejle, "Familien Zebrakant", "Q.X.Zeb")
    client.force_login(role(municipality=odense))
    for query in ("", "?export=csv", "?export=xlsx"):
        response = client.get(SITE_HISTORY + query)
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Zebrakant" not in body
        assert b"Q.X.Zeb" not in body
    assert not TenantLogEntry.objects.viewable_by_user(role(municipality=odense)).exists()


def test_site_history_lists_the_own_municipalitys_entries_with_edit_links(client, vejle):
    placement = family_edited_in_the_admin(vejle, "Familien Hansen", "Emil")
    client.force_login(CoordinatorFactory(municipality=vejle))
    body = client.get(SITE_HISTORY).content.decode()
    assert reverse("fosterfamily:edit", args=[placement.family_id]) in body
    assert reverse("placement:edit", args=[placement.pk]) in body


def test_log_labels_carry_no_family_or_child_name(vejle):
    placement = family_edited_in_the_admin(vejle, "Familien Hansen", "Emil")
    labels = list(TenantLogEntry.objects.values_list("label", flat=True))
    assert len(labels) == 3
    assert not [label for label in labels if "Hansen" in label or "Emil" in label]
    assert f"Placement {placement.pk}" in labels or f"Anbringelse {placement.pk}" in labels
    assert not ModelLogEntry.objects.exists()


def test_a_cohorts_and_a_sessions_log_label_is_their_name(vejle):
    cohort = CohortFactory(municipality=vejle, name="Hold Syd")
    session = IndividualSupervisionFactory(municipality=vejle)
    log(cohort, "wagtail.edit")
    log(session, "wagtail.edit")
    labels = set(TenantLogEntry.objects.values_list("label", flat=True))
    assert labels == {str(cohort), str(session)}
    assert set(TenantLogEntry.objects.values_list("municipality", flat=True)) == {vejle.pk}


def test_site_history_costs_the_same_queries_for_more_entries(client, vejle):
    client.force_login(CoordinatorFactory(municipality=vejle))
    family_edited_in_the_admin(vejle, "Familien Et", "A")
    client.get(SITE_HISTORY)
    with CaptureQueriesContext(connection) as few:
        assert client.get(SITE_HISTORY).status_code == 200
    for number in range(6):
        family_edited_in_the_admin(vejle, f"Familien {number}", "B")
    with CaptureQueriesContext(connection) as many:
        assert client.get(SITE_HISTORY).status_code == 200
    assert len(many) == len(few)


class ThemeSupervisionFactory(IndividualSupervisionFactory):
    class Meta:
        model = ThemeSupervision

    theme = factory.SubFactory(ThemeFactory)


HISTORIES = {
    "fosterfamily": lambda m: FosterFamilyFactory(municipality=m),
    "placement": lambda m: RegisteredPlacementFactory(family__municipality=m),
    "startupcourse": lambda m: RegisteredPlacementFactory(family__municipality=m).startup_course,
    "courseplan": lambda m: CoursePlan.objects.create(
        course=RegisteredPlacementFactory(family__municipality=m).startup_course
    ),
    "coursepolicy": lambda m: CoursePolicyFactory(municipality=m),
    "cohort": lambda m: CohortFactory(municipality=m),
    "individualsupervision": lambda m: IndividualSupervisionFactory(municipality=m),
    "groupsupervision": lambda m: GroupSupervisionFactory(cohort__municipality=m),
    "themesupervision": lambda m: ThemeSupervisionFactory(municipality=m),
    "municipalities": lambda m: m,
}


@pytest.mark.parametrize("namespace", HISTORIES)
def test_the_history_of_every_municipality_scoped_object_opens_with_its_entries(
    client, vejle, namespace
):
    obj = HISTORIES[namespace](vejle)
    coordinator = CoordinatorFactory(municipality=vejle, first_name="Karin")
    log(obj, "wagtail.edit", user=coordinator)
    client.force_login(coordinator)
    response = client.get(reverse(f"{namespace}:history", args=[obj.pk]))
    assert response.status_code == 200
    assert "Karin" in response.content.decode()


def test_the_migration_moves_wagtails_entries_of_tenant_data_and_forgets_the_names(vejle):
    placement = RegisteredPlacementFactory(
        family__municipality=vejle, family__name="Familien Hansen", child_name="Emil"
    )
    parent = FosterParentFactory(municipality=vejle, first_name="Mette")
    gone = FosterFamilyFactory(municipality=vejle, name="Familien Væk")
    for obj in (placement.family, placement, parent, gone):
        ModelLogEntry.objects.log_action(obj, "wagtail.edit")
    gone_pk = gone.pk
    gone.delete()
    assert ModelLogEntry.objects.filter(label__contains="Hansen").exists()

    for app_label, name in [
        ("cms", "0005_tenant_log_entry"),
        ("supervision", "0005_move_log_entries"),
    ]:
        importlib.import_module(f"{app_label}.migrations.{name}").move_log_entries(apps, None)

    assert not ModelLogEntry.objects.exists()
    moved = {(e.object_id, e.municipality_id): e.label for e in TenantLogEntry.objects.all()}
    assert set(moved) == {
        (str(placement.family_id), vejle.pk),
        (str(placement.pk), vejle.pk),
        (str(parent.pk), vejle.pk),
        (str(gone_pk), None),
    }
    assert not [label for label in moved.values() if "Hansen" in label or "Emil" in label]
    assert not [label for label in moved.values() if "Mette" in label or "Væk" in label]
