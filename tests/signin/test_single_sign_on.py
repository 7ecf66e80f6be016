"""Single sign-on through a real OpenID provider started in a second process
(tests/oidc): who is let in, who is refused, and what a tampered answer gets."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.urls import reverse

from cms.models import IdentityProvider, LinkedIdentity
from tests.factories import (
    CoordinatorFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
    TrainerFactory,
)
from tests.oidc.server import FAMILIES_SLUG, STAFF_SLUG

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipality():
    return MunicipalityFactory(name="Kommune A", slug="kommune-a")


@pytest.fixture
def staff_provider(openid_provider, municipality):
    return openid_provider.staff_provider(municipality, "Log ind med Kommune A")


@pytest.fixture
def family_provider(openid_provider):
    return openid_provider.family_provider()


def start(client, provider, **params):
    response = client.get(reverse("sso-start", args=[provider.slug]), params)
    assert response.status_code == 302
    return response.url


def sign_in(client, openid_provider, provider, username):
    """Through the provider and back, as the browser would go."""
    back = openid_provider.sign_in(start(client, provider), username)
    return client.get(back)


def logged_in_as(client):
    return client.session.get(SESSION_KEY)


def test_staff_are_matched_by_their_verified_e_mail_and_linked(
    client, openid_provider, staff_provider, municipality
):
    anna = SupervisorFactory(email="anna@kommune-a.example.dk", municipality=municipality)
    response = sign_in(client, openid_provider, staff_provider, "anna")
    assert response.status_code == 302
    assert response.url == reverse("start")
    assert logged_in_as(client) == str(anna.pk)
    link = LinkedIdentity.objects.get(user=anna)
    assert (link.issuer, link.subject) == (openid_provider.issuer, openid_provider.subjects["anna"])


def test_staff_signed_in_through_their_provider_are_not_asked_for_a_code(
    client, openid_provider, staff_provider, municipality
):
    SupervisorFactory(email="anna@kommune-a.example.dk", municipality=municipality)
    sign_in(client, openid_provider, staff_provider, "anna")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_parents_are_matched_case_insensitively_through_the_family_provider(
    client, openid_provider, family_provider
):
    mette = FosterParentFactory(email="mette@familie.example.dk")
    response = sign_in(client, openid_provider, family_provider, "mette")
    assert logged_in_as(client) == str(mette.pk)
    assert client.get(response.url, follow=True).redirect_chain[-1][0] == reverse(
        "family-dashboard"
    )


def test_a_stored_subject_signs_in_whatever_the_address(client, openid_provider, family_provider):
    """The provider has not verified this person's address, but we linked them before."""
    lars = FosterParentFactory(email="lars.ny@familie.example.dk")
    LinkedIdentity.objects.create(
        user=lars, issuer=openid_provider.issuer, subject=openid_provider.subjects["ubekraeftet"]
    )
    sign_in(client, openid_provider, family_provider, "ubekraeftet")
    assert logged_in_as(client) == str(lars.pk)


def test_an_unverified_address_is_refused(client, openid_provider, family_provider):
    FosterParentFactory(email="lars@familie.example.dk")
    response = sign_in(client, openid_provider, family_provider, "ubekraeftet")
    assert response.status_code == 403
    assert 'id="sso-refused"' in response.content.decode()
    assert "bekræftet" in response.content.decode()  # Danish by default
    assert not logged_in_as(client)
    assert not LinkedIdentity.objects.exists()


def test_a_municipal_directory_that_verifies_every_address_may_say_so(
    client, openid_provider, staff_provider, municipality
):
    lars = SupervisorFactory(email="lars@familie.example.dk", municipality=municipality)
    staff_provider.emails_verified = True
    staff_provider.save()
    sign_in(client, openid_provider, staff_provider, "ubekraeftet")
    assert logged_in_as(client) == str(lars.pk)


def test_the_families_provider_cannot_vouch_for_every_address(family_provider):
    family_provider.emails_verified = True
    with pytest.raises(ValidationError) as refused:
        family_provider.full_clean()
    assert "emails_verified" in refused.value.message_dict


def test_an_unknown_person_is_refused_and_no_account_is_made(
    client, openid_provider, family_provider, django_user_model
):
    count = django_user_model.objects.count()
    response = sign_in(client, openid_provider, family_provider, "ukendt")
    assert response.status_code == 403
    assert "konto" in response.content.decode()
    assert django_user_model.objects.count() == count
    assert not logged_in_as(client)


def test_the_refusal_is_in_english_for_english_readers(
    client, openid_provider, family_provider, settings
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = sign_in(client, openid_provider, family_provider, "ukendt")
    assert "We could not find an account for you" in response.content.decode()


def test_staff_of_another_municipality_are_refused(client, openid_provider, staff_provider):
    SupervisorFactory(email="anna@kommune-a.example.dk", municipality=MunicipalityFactory())
    response = sign_in(client, openid_provider, staff_provider, "anna")
    assert response.status_code == 403
    assert not logged_in_as(client)
    assert not LinkedIdentity.objects.exists()


def test_a_national_trainer_is_refused_by_a_municipal_provider(
    client, openid_provider, staff_provider
):
    TrainerFactory(email="anna@kommune-a.example.dk")
    assert sign_in(client, openid_provider, staff_provider, "anna").status_code == 403


def test_a_parent_cannot_sign_in_through_the_staff_provider(
    client, openid_provider, staff_provider, municipality
):
    FosterParentFactory(email="anna@kommune-a.example.dk", municipality=municipality)
    assert sign_in(client, openid_provider, staff_provider, "anna").status_code == 403
    assert not logged_in_as(client)


def test_staff_cannot_sign_in_through_the_family_provider(
    client, openid_provider, family_provider, municipality
):
    CoordinatorFactory(email="mette@familie.example.dk", municipality=municipality)
    assert sign_in(client, openid_provider, family_provider, "mette").status_code == 403
    assert not logged_in_as(client)


def test_an_inactive_account_is_refused(client, openid_provider, family_provider):
    FosterParentFactory(email="mette@familie.example.dk", is_active=False)
    response = sign_in(client, openid_provider, family_provider, "mette")
    assert response.status_code == 403
    assert not logged_in_as(client)


def test_an_account_linked_to_another_person_at_the_provider_is_refused(
    client, openid_provider, family_provider
):
    mette = FosterParentFactory(email="mette@familie.example.dk")
    LinkedIdentity.objects.create(user=mette, issuer=openid_provider.issuer, subject="someone")
    assert sign_in(client, openid_provider, family_provider, "mette").status_code == 403
    assert not logged_in_as(client)


def test_a_tampered_state_is_refused(client, openid_provider, family_provider):
    FosterParentFactory(email="mette@familie.example.dk")
    back = openid_provider.sign_in(start(client, family_provider), "mette")
    response = client.get(back.replace("state=", "state=x"))
    assert response.status_code == 400
    assert 'id="sso-refused"' in response.content.decode()
    assert not logged_in_as(client)


def test_an_answer_meant_for_another_browser_is_refused(client, openid_provider, family_provider):
    """Someone else's code and state, brought to this browser (login CSRF)."""
    from django.test import Client

    FosterParentFactory(email="mette@familie.example.dk")
    back = openid_provider.sign_in(start(Client(), family_provider), "mette")
    start(client, family_provider)
    assert client.get(back).status_code == 400
    assert not logged_in_as(client)


def test_a_tampered_nonce_is_refused(client, openid_provider, family_provider):
    FosterParentFactory(email="mette@familie.example.dk")
    back = openid_provider.sign_in(start(client, family_provider), "mette")
    session = client.session
    for key, value in session.items():
        if key.startswith("_state_"):
            value["data"]["nonce"] = "not-the-nonce-sent"
    session.save()
    response = client.get(back)
    assert response.status_code == 400
    assert not logged_in_as(client)


def test_a_code_is_used_once(client, openid_provider, family_provider):
    FosterParentFactory(email="mette@familie.example.dk")
    back = openid_provider.sign_in(start(client, family_provider), "mette")
    assert client.get(back).status_code == 302
    client.logout()
    assert client.get(back).status_code == 400
    assert not logged_in_as(client)


def test_the_page_asked_for_is_reached_and_other_sites_are_not(
    client, openid_provider, family_provider
):
    FosterParentFactory(email="mette@familie.example.dk")
    back = openid_provider.sign_in(start(client, family_provider, next="/min-side/"), "mette")
    assert client.get(back).url == "/min-side/"
    client.logout()
    url = start(client, family_provider, next="https://evil.example.com/")
    assert client.get(openid_provider.sign_in(url, "mette")).url == reverse("start")


def test_the_login_page_offers_the_enabled_providers(client, staff_provider, family_provider):
    IdentityProvider.objects.filter(pk=staff_provider.pk).update(enabled=False)
    body = client.get(reverse("login")).content.decode()
    assert reverse("sso-start", args=[FAMILIES_SLUG]) in body
    assert "Log ind med MitID" in body
    assert reverse("sso-start", args=[STAFF_SLUG]) not in body
    assert client.get(reverse("sso-start", args=[STAFF_SLUG])).status_code == 404


def test_a_provider_that_cannot_be_reached_gives_a_clear_page(client, family_provider):
    family_provider.discovery_url = "http://127.0.0.1:9/.well-known/openid-configuration"
    family_provider.save()
    response = client.get(reverse("sso-start", args=[FAMILIES_SLUG]))
    assert response.status_code == 502
    assert 'id="sso-refused"' in response.content.decode()


def test_a_provider_error_gives_a_clear_page(client, family_provider):
    url = reverse("sso-callback", args=[FAMILIES_SLUG])
    response = client.get(url, {"error": "access_denied", "state": "x"})
    assert response.status_code == 400
    assert 'id="sso-refused"' in response.content.decode()
