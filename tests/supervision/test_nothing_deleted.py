"""Sessions, cohorts and attendance are what the reports count: the admin cancels a
session and never deletes one, for any role, superusers included."""

import pytest
from django.urls import reverse

from cms.roles import sync_role_groups
from supervision.models import Cohort, IndividualSupervision
from tests.factories import CohortFactory, CoordinatorFactory, UserFactory
from tests.supervision.factories import IndividualSupervisionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("superuser", [False, True])
def test_no_one_deletes_a_session_or_a_cohort_in_the_admin(client, superuser):
    sync_role_groups()
    session = IndividualSupervisionFactory()
    cohort = CohortFactory(municipality=session.municipality)
    if superuser:
        user = UserFactory(is_superuser=True, municipality=None)
    else:
        user = CoordinatorFactory(municipality=session.municipality)
    client.force_login(user)
    for url in (
        reverse("individualsupervision:delete", args=[session.pk]),
        reverse("cohort:delete", args=[cohort.pk]),
    ):
        client.post(url)
    assert IndividualSupervision.objects.filter(pk=session.pk).exists()
    assert Cohort.objects.filter(pk=cohort.pk).exists()
    index = client.get(reverse("individualsupervision:index")).content.decode()
    assert reverse("individualsupervision:delete", args=[session.pk]) not in index
