"""Invitations: a new account has no usable password until its person follows the
e-mail's one-time link, which expires, works once and is replaced by a resend."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cms import accounts
from cms.models import Invitation, InvitationStatus, Role, User
from tests.factories import TEST_PASSWORD, CoordinatorFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Plejefamilie-2027!"


def link_in(message):
    return re.search(r"https?://\S+/invitation/\S+/", message.body).group(0)


def path_of(link):
    return "/" + link.split("/", 3)[3]


@pytest.fixture
def invited(mailoutbox):
    coordinator = CoordinatorFactory()
    user = accounts.create_account(
        email="Ny.Konsulent@Kommune.DK",
        first_name="Nina",
        last_name="Nyborg",
        role=Role.SUPERVISOR,
        municipality=coordinator.municipality,
        invited_by=coordinator,
    )
    return user


def test_a_new_account_has_an_unusable_password_its_role_and_a_lowercased_address(invited):
    assert invited.email == "ny.konsulent@kommune.dk"
    assert not invited.has_usable_password()
    assert invited.has_role(Role.SUPERVISOR)
    assert invited.invitation.status() == InvitationStatus.PENDING


def test_the_invitation_email_carries_a_link_and_no_family_data(invited, mailoutbox):
    (message,) = mailoutbox
    assert message.to == ["ny.konsulent@kommune.dk"]
    assert "Nina" in message.body
    assert link_in(message)
    assert "Opstart" in message.subject
    assert Invitation.objects.get().token_hash not in message.body  # only the secret's hash is kept


def test_the_invitation_is_in_the_accounts_language(mailoutbox):
    accounts.create_account(
        email="en@kommune.dk",
        first_name="Emma",
        last_name="English",
        role=Role.FOSTER_PARENT,
        municipality=MunicipalityFactory(),
        language="en",
    )
    accounts.create_account(
        email="da@kommune.dk",
        first_name="Dorthe",
        last_name="Dansk",
        role=Role.FOSTER_PARENT,
        municipality=MunicipalityFactory(),
        language="da",
    )
    english, danish = mailoutbox
    assert "choose your password" in english.body
    assert "vælge din adgangskode" in danish.body


def test_choosing_the_password_does_not_log_in_and_sends_to_the_login_page(
    client, invited, mailoutbox
):
    link = path_of(link_in(mailoutbox[0]))
    page = client.get(link)
    assert page.status_code == 200
    answer = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert answer.status_code == 302 and answer.url == reverse("login")
    assert "_auth_user_id" not in client.session
    login_page = client.get(answer.url)
    assert "adgangskode er gemt" in login_page.content.decode()
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)
    assert invited.invitation.status() == InvitationStatus.ACCEPTED
    logged_in = client.post(
        reverse("login"), {"username": "NY.konsulent@kommune.dk", "password": NEW_PASSWORD}
    )
    # The password is right: staff go on to set up two-factor before they are logged in.
    assert logged_in.status_code == 302 and logged_in.url == reverse("signin-set-up")
    assert "_auth_user_id" not in client.session


def test_a_used_link_is_refused_with_what_to_do(client, invited, mailoutbox):
    link = path_of(link_in(mailoutbox[0]))
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(link)
    assert again.status_code == 410
    assert "allerede brugt" in again.content.decode()
    second = client.post(
        link, {"new_password1": "Andet-kodeord-99", "new_password2": "Andet-kodeord-99"}
    )
    assert second.status_code == 410
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused_and_asks_for_a_new_invitation(
    client, invited, mailoutbox, settings
):
    link = path_of(link_in(mailoutbox[0]))
    Invitation.objects.update(
        sent_at=timezone.now() - timedelta(days=settings.OPSTART_INVITATION_VALID_DAYS, seconds=1)
    )
    page = client.get(link)
    assert page.status_code == 410
    assert "udløbet" in page.content.decode()
    assert "ny invitation" in page.content.decode()
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    invited.refresh_from_db()
    assert not invited.has_usable_password()
    assert User.objects.with_invitation_status().get(pk=invited.pk).invitation_status == "expired"


def test_the_validity_is_a_setting(client, invited, mailoutbox, settings):
    settings.OPSTART_INVITATION_VALID_DAYS = 30
    Invitation.objects.update(sent_at=timezone.now() - timedelta(days=20))
    assert client.get(path_of(link_in(mailoutbox[0]))).status_code == 200


def test_resending_replaces_the_old_link(client, invited, mailoutbox):
    old = path_of(link_in(mailoutbox[0]))
    accounts.invite(invited)
    new = path_of(link_in(mailoutbox[1]))
    assert old != new
    refused = client.get(old)
    assert refused.status_code == 404
    assert "nyere invitation" in refused.content.decode()
    assert client.get(new).status_code == 200


def test_a_resend_of_an_expired_invitation_makes_it_pending_again(invited):
    Invitation.objects.update(sent_at=timezone.now() - timedelta(days=100))
    accounts.invite(invited)
    assert Invitation.objects.get().status() == InvitationStatus.PENDING


def test_an_accepted_invitation_is_not_sent_again(client, invited, mailoutbox):
    link = path_of(link_in(mailoutbox[0]))
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    invited.refresh_from_db()
    with pytest.raises(ValidationError):
        accounts.invite(invited)


def test_a_deactivated_accounts_link_does_not_work(client, invited, mailoutbox):
    accounts.set_active(invited, False)
    assert client.get(path_of(link_in(mailoutbox[0]))).status_code == 404


def test_a_weak_or_mismatched_password_is_refused_next_to_the_field(client, invited, mailoutbox):
    link = path_of(link_in(mailoutbox[0]))
    page = client.post(link, {"new_password1": "123", "new_password2": "123"})
    assert page.status_code == 200
    assert page.context["form"].errors["new_password2"]
    page = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": "other"})
    assert page.context["form"].errors["new_password2"]
    invited.refresh_from_db()
    assert not invited.has_usable_password()


@pytest.mark.parametrize("token", ["x", "a" * 500, "%00", "ÆØÅ", "../../admin"])
def test_odd_tokens_get_the_refusal_page(client, token):
    assert client.get(f"/invitation/{token}/").status_code == 404


def test_an_address_in_use_is_refused_however_typed():
    UserFactory(email="a@x.dk")
    with pytest.raises(ValidationError) as refused:
        accounts.create_account(
            email="A@X.dk", first_name="A", last_name="B", role=Role.SUPERVISOR, municipality=None
        )
    assert "email" in refused.value.message_dict
    assert User.objects.filter(email__iexact="a@x.dk").count() == 1


def test_forgot_password_still_works_for_an_accepted_account(client, invited, mailoutbox):
    link = path_of(link_in(mailoutbox[0]))
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.post(reverse("password_reset"), {"email": "ny.konsulent@kommune.dk"})
    assert any("/nulstil/" in message.body for message in mailoutbox)


def test_staff_login_still_works_for_accounts_made_before(client):
    user = UserFactory(email="gammel@x.dk")
    client.post(reverse("login"), {"username": "Gammel@X.dk", "password": TEST_PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not Invitation.objects.filter(user=user).exists()


def test_an_account_with_a_password_gets_no_invitation(client):
    chosen = UserFactory(email="har-kode@x.dk")
    with pytest.raises(ValidationError):
        accounts.invite(chosen)
    assert not Invitation.objects.exists()
    assert chosen.check_password(TEST_PASSWORD)
