"""Two-factor login: staff who log in with a password set up and then use a code from an
authenticator app before they are logged in; families may turn it on."""

import base64
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.signin import two_factor
from tests.factories import (
    TEST_PASSWORD,
    CoordinatorFactory,
    EditorFactory,
    FosterParentFactory,
    SupervisorFactory,
    TrainerFactory,
    UserFactory,
    authenticator,
    totp_code,
)

pytestmark = pytest.mark.django_db

STAFF = [SupervisorFactory, CoordinatorFactory, TrainerFactory, EditorFactory]


def log_in(client, user, password=TEST_PASSWORD, url=None, **extra):
    return client.post(
        url or reverse("login"), {"username": user.email, "password": password}, **extra
    )


def logged_in(client):
    return SESSION_KEY in client.session


def set_up_code(response):
    """What a person's app shows after scanning the set-up page (read from its key)."""
    key = re.search(r'id="totp-key">([A-Z2-7 ]+)<', response.content.decode()).group(1)
    totp = TOTP(base64.b32decode(key.replace(" ", "")))
    return f"{totp.token():06d}"


@pytest.mark.parametrize("factory", STAFF)
def test_staff_with_a_password_must_set_up_two_factor_before_they_are_logged_in(client, factory):
    user = factory()
    response = log_in(client, user)
    assert response.url == reverse("signin-set-up")
    assert not logged_in(client)
    # No admin or family page is reached on the password alone.
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
    assert not logged_in(client)

    page = client.get(reverse("signin-set-up"))
    assert page.status_code == 200
    assert 'id="totp-qr-code"' in page.content.decode()
    assert 'src="data:image/svg+xml' in page.content.decode()
    response = client.post(reverse("signin-set-up"), {"code": set_up_code(page)})
    assert response.url == reverse("recovery-codes")
    assert logged_in(client)
    assert TOTPDevice.objects.get(user=user).confirmed

    codes = client.get(reverse("recovery-codes"))
    shown = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", codes.content.decode())
    assert len(shown) == 10
    assert StaticToken.objects.filter(device__user=user).count() == 10
    # Shown once: the page does not show them again.
    assert client.get(reverse("recovery-codes")).status_code == 302


def test_superuser_must_set_up_two_factor_too(client):
    user = UserFactory(is_superuser=True, is_staff=True, municipality=None)
    assert log_in(client, user).url == reverse("signin-set-up")


def test_the_set_up_keeps_its_key_while_the_person_reads_it(client):
    log_in(client, SupervisorFactory())
    first = client.get(reverse("signin-set-up")).content.decode()
    again = client.get(reverse("signin-set-up")).content.decode()
    key = re.compile(r'id="totp-key">([^<]+)<')
    assert key.search(first).group(1) == key.search(again).group(1)


def test_a_wrong_first_code_is_refused_next_to_the_field_and_the_key_stays(client):
    log_in(client, SupervisorFactory())
    page = client.get(reverse("signin-set-up"))
    right = set_up_code(page)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(reverse("signin-set-up"), {"code": wrong})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert response.context["form"]["code"].value() == wrong
    assert not logged_in(client)
    assert client.post(reverse("signin-set-up"), {"code": right}).status_code == 302
    assert logged_in(client)


def test_staff_with_an_authenticator_type_its_code(client):
    user = SupervisorFactory()
    device = authenticator(user)
    response = log_in(client, user)
    assert response.url == reverse("signin-code")
    assert not logged_in(client)
    response = client.post(reverse("signin-code"), {"code": totp_code(device)})
    assert response.url == reverse("start")
    assert logged_in(client)


def test_the_page_asked_for_is_reached_after_the_code(client):
    user = SupervisorFactory()
    device = authenticator(user)
    client.post(
        reverse("login"),
        {"username": user.email, "password": TEST_PASSWORD, "next": "/admin/pages/"},
    )
    response = client.post(reverse("signin-code"), {"code": totp_code(device)})
    assert response.url == "/admin/pages/"


def test_a_password_alone_cannot_replace_an_authenticator(client):
    user = SupervisorFactory()
    authenticator(user)
    log_in(client, user)
    assert client.get(reverse("signin-set-up")).url == reverse("signin-code")
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_wrong_code_is_refused_with_a_message_and_counted(client):
    user = SupervisorFactory()
    authenticator(user)
    log_in(client, user)
    response = client.post(reverse("signin-code"), {"code": "000000"})
    assert response.status_code == 200
    assert "Koden er forkert" in str(response.context["form"].errors["code"])
    assert not logged_in(client)
    assert AccessAttempt.objects.get(username=user.email).failures_since_start == 1


def test_an_empty_code_is_refused_next_to_the_field(client):
    user = SupervisorFactory()
    authenticator(user)
    log_in(client, user)
    response = client.post(reverse("signin-code"), {"code": ""})
    assert "code" in response.context["form"].errors


def test_too_many_wrong_codes_pause_the_login(client, settings):
    user = SupervisorFactory()
    device = authenticator(user)
    log_in(client, user)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = client.post(reverse("signin-code"), {"code": "000000"})
    assert response.status_code == 429
    assert 'id="login-locked-out"' in response.content.decode()
    # Even the right password and code are refused while the pause lasts.
    assert log_in(client, user).status_code == 429
    assert not logged_in(client)
    assert client.post(reverse("signin-code"), {"code": totp_code(device)}).status_code == 429
    assert not logged_in(client)


def test_the_authenticator_pauses_after_a_wrong_code_too(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    user = SupervisorFactory()
    device = authenticator(user)
    log_in(client, user)
    client.post(reverse("signin-code"), {"code": "000000"})
    response = client.post(reverse("signin-code"), {"code": totp_code(device)})
    assert "code" in response.context["form"].errors
    assert not logged_in(client)


def test_a_recovery_code_works_once(client):
    user = SupervisorFactory()
    authenticator(user)
    code = two_factor.new_recovery_codes(user)[0]
    log_in(client, user)
    assert client.post(reverse("signin-code"), {"code": code.upper()}).status_code == 302
    assert logged_in(client)
    client.logout()
    log_in(client, user)
    response = client.post(reverse("signin-code"), {"code": code})
    assert "code" in response.context["form"].errors
    assert not logged_in(client)
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_a_code_is_asked_for_only_after_the_right_password(client):
    user = SupervisorFactory()
    authenticator(user)
    assert log_in(client, user, password="wrong").status_code == 200
    assert client.get(reverse("signin-code")).url == reverse("login")


def test_the_pending_login_expires(client, settings):
    user = SupervisorFactory()
    device = authenticator(user)
    log_in(client, user)
    session = client.session
    session[two_factor.PENDING]["since"] -= settings.OPSTART_SECOND_FACTOR_TIMEOUT.total_seconds()
    session.save()
    response = client.post(reverse("signin-code"), {"code": totp_code(device)})
    assert response.url == reverse("login")
    assert not logged_in(client)


def test_the_password_step_gives_a_new_session_key(client, settings):
    user = SupervisorFactory()
    authenticator(user)
    session = client.session  # a session id someone could have planted in this browser
    session.save()
    planted = session.session_key
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == planted
    log_in(client, user)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != planted
    assert two_factor.PENDING in client.session


def test_a_user_deactivated_meanwhile_is_not_logged_in(client):
    user = SupervisorFactory()
    device = authenticator(user)
    log_in(client, user)
    user.is_active = False
    user.save()
    client.post(reverse("signin-code"), {"code": totp_code(device)})
    assert not logged_in(client)


def test_the_wagtail_admin_login_asks_for_the_second_factor_too(client):
    user = SupervisorFactory()
    response = log_in(client, user, url=reverse("wagtailadmin_login"))
    assert response.url == reverse("signin-set-up")
    assert not logged_in(client)
    # Wagtail sends people without a login to the same page.
    assert client.get(reverse("wagtailadmin_home")).url.startswith(reverse("wagtailadmin_login"))


def test_families_are_not_asked_unless_they_turned_it_on(client):
    parent = FosterParentFactory()
    assert log_in(client, parent).url == reverse("start")
    assert logged_in(client)


def test_families_may_turn_two_factor_on_and_are_then_asked(client):
    parent = FosterParentFactory()
    client.force_login(parent)
    assert not client.get(reverse("two-factor")).context["enabled"]
    set_up = client.get(reverse("two-factor-set-up"))
    response = client.post(reverse("two-factor-set-up"), {"code": set_up_code(set_up)})
    assert response.url == reverse("recovery-codes")
    assert client.get(response.url).status_code == 200
    client.logout()

    assert log_in(client, parent).url == reverse("signin-code")
    assert not logged_in(client)
    device = TOTPDevice.objects.get(user=parent)
    assert client.post(reverse("signin-code"), {"code": totp_code(device)}).status_code == 302
    assert logged_in(client)


def test_families_may_turn_it_off_with_a_code_and_staff_may_not(client):
    parent = FosterParentFactory()
    device = authenticator(parent)
    client.force_login(parent)
    refused = client.post(reverse("two-factor"), {"action": "off", "code": "000000"})
    assert "code" in refused.context["form"].errors
    client.post(reverse("two-factor"), {"action": "off", "code": totp_code(device)})
    assert not TOTPDevice.objects.filter(user=parent).exists()

    supervisor = SupervisorFactory()
    device = authenticator(supervisor)
    client.force_login(supervisor)
    client.post(reverse("two-factor"), {"action": "off", "code": totp_code(device)})
    assert TOTPDevice.objects.filter(user=supervisor).exists()


def test_new_recovery_codes_replace_the_old_ones(client):
    supervisor = SupervisorFactory()
    device = authenticator(supervisor)
    old = two_factor.new_recovery_codes(supervisor)
    client.force_login(supervisor)
    response = client.post(reverse("two-factor"), {"action": "codes", "code": totp_code(device)})
    assert response.url == reverse("recovery-codes")
    assert not two_factor.verify(supervisor, old[0])
    assert two_factor.recovery_codes_left(supervisor) == 10


def test_a_new_password_by_e_mail_does_not_log_staff_in(client):
    user = SupervisorFactory()
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/nulstil/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    new_password = "A-fresh-password-2026"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert not logged_in(client)
    assert log_in(client, user, password=new_password).url == reverse("signin-set-up")
