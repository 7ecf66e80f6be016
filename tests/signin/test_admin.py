"""The admin side of sign-in: providers are the superusers' alone; coordinators reset the
two-factor login of their own municipality's people."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.models import IdentityProvider, TenantLogEntry
from tests.factories import (
    CoordinatorFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
    UserFactory,
    authenticator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True, municipality=None)


def test_only_superusers_reach_the_identity_providers(client, superuser):
    client.force_login(CoordinatorFactory())
    assert client.get(reverse("identity_providers:index")).status_code == 302
    client.force_login(superuser)
    assert client.get(reverse("identity_providers:index")).status_code == 200


def provider_form(**changes):
    return {
        "name": "Log ind med MitID",
        "slug": "mitid",
        "audience": "families",
        "municipality": "",
        "discovery_url": "https://broker.example.dk/.well-known/openid-configuration",
        "client_id": "opstart",
        "client_secret": "s3cret",
        "enabled": "on",
        **changes,
    }


def test_a_superuser_adds_a_provider_and_its_secret_is_kept_on_edit(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("identity_providers:add"), provider_form())
    assert response.status_code == 302
    provider = IdentityProvider.objects.get()
    edit = client.get(reverse("identity_providers:edit", args=[provider.pk]))
    assert "s3cret" not in edit.content.decode()
    client.post(
        reverse("identity_providers:edit", args=[provider.pk]),
        provider_form(client_secret="", name="MitID"),
    )
    provider.refresh_from_db()
    assert (provider.name, provider.client_secret) == ("MitID", "s3cret")


def test_a_staff_provider_needs_its_municipality_and_the_family_one_has_none(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("identity_providers:add"), provider_form(audience="staff", client_secret="")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"municipality", "client_secret"} <= set(errors)
    response = client.post(
        reverse("identity_providers:add"),
        provider_form(municipality=MunicipalityFactory().pk),
    )
    assert "municipality" in response.context["form"].errors
    assert not IdentityProvider.objects.exists()


def test_a_coordinator_resets_two_factor_in_their_municipality(client):
    coordinator = CoordinatorFactory()
    supervisor = SupervisorFactory(municipality=coordinator.municipality)
    authenticator(supervisor)
    client.force_login(coordinator)
    listing = client.get(reverse("two_factor_users"))
    assert supervisor.email in listing.content.decode()
    response = client.post(reverse("two_factor_reset", args=[supervisor.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=supervisor).exists()
    assert TenantLogEntry.objects.filter(action="opstart.two_factor_reset").count() == 1


def test_another_municipality_is_out_of_reach_by_list_and_by_url(client):
    coordinator = CoordinatorFactory()
    elsewhere = SupervisorFactory(municipality=MunicipalityFactory())
    authenticator(elsewhere)
    client.force_login(coordinator)
    assert elsewhere.email not in client.get(reverse("two_factor_users")).content.decode()
    assert client.post(reverse("two_factor_reset", args=[elsewhere.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=elsewhere).exists()


def test_a_coordinator_cannot_reset_a_superuser(client, superuser):
    coordinator = CoordinatorFactory()
    superuser.municipality = coordinator.municipality
    superuser.save()
    authenticator(superuser)
    client.force_login(coordinator)
    assert client.post(reverse("two_factor_reset", args=[superuser.pk])).status_code == 404


@pytest.mark.parametrize("factory", [SupervisorFactory, FosterParentFactory])
def test_others_cannot_reset(client, factory):
    user = factory()
    colleague = SupervisorFactory(municipality=user.municipality)
    authenticator(colleague)
    client.force_login(user)
    assert client.get(reverse("two_factor_users")).status_code in (302, 403)
    assert client.post(reverse("two_factor_reset", args=[colleague.pk])).status_code in (302, 403)
    assert TOTPDevice.objects.filter(user=colleague).exists()


def test_a_superuser_resets_anyone(client, superuser):
    parent = FosterParentFactory()
    authenticator(parent)
    client.force_login(superuser)
    client.post(reverse("two_factor_reset", args=[parent.pk]))
    assert not TOTPDevice.objects.filter(user=parent).exists()


def test_the_list_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    coordinator = CoordinatorFactory()
    for _ in range(8):
        authenticator(SupervisorFactory(municipality=coordinator.municipality))
    client.force_login(coordinator)
    client.get(reverse("two_factor_users"))  # warm the caches of the admin's menus
    with django_assert_max_num_queries(20):
        response = client.get(reverse("two_factor_users"))
    assert len(response.context["people"]) == 8
