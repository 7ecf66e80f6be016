"""Login throttling (django-axes): too many wrong passwords pause one address from one IP."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD, FosterParentFactory, SupervisorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent():
    return FosterParentFactory(email="mette@familie.example.dk")


def log_in(client, email, password, url=None, ip="10.0.0.1"):
    return client.post(
        url or reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def fail_until_locked(client, email, settings, **kwargs):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, email, "wrong-password", **kwargs)
    return response


def test_wrong_passwords_below_the_limit_show_the_ordinary_error(client, parent, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, parent.email, "wrong-password")
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert log_in(client, parent.email, TEST_PASSWORD).status_code == 302


def test_too_many_wrong_passwords_lock_the_address_with_a_clear_message(client, parent, settings):
    response = fail_until_locked(client, parent.email, settings)
    assert response.status_code == 429
    body = response.content.decode()
    assert 'id="login-locked-out"' in body
    assert "15 minutter" in body
    assert reverse("password_reset") in body
    assert response.context["form"]["username"].value() == parent.email

    # Even the right password is refused while the lock lasts.
    locked = log_in(client, parent.email, TEST_PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_message_in_english(client, parent, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = fail_until_locked(client, parent.email, settings)
    assert "paused for 15 minutes" in response.content.decode()


def test_lock_is_per_address_and_ip(client, parent, settings):
    fail_until_locked(client, parent.email, settings)
    assert log_in(client, parent.email, TEST_PASSWORD, ip="10.0.0.2").status_code == 302
    other = FosterParentFactory()
    client.logout()
    assert log_in(client, other.email, TEST_PASSWORD).status_code == 302


def test_lock_ends_after_the_cool_off(client, parent, settings):
    fail_until_locked(client, parent.email, settings)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME
    )
    assert log_in(client, parent.email, TEST_PASSWORD).status_code == 302


def test_changing_the_case_of_the_address_does_not_dodge_the_lock(client, parent, settings):
    fail_until_locked(client, parent.email.upper(), settings)
    assert log_in(client, f" {parent.email} ", TEST_PASSWORD).status_code == 429


def test_successful_login_resets_the_count(client, parent, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, parent.email, "wrong-password")
    log_in(client, parent.email, TEST_PASSWORD)
    client.logout()
    response = log_in(client, parent.email, "wrong-password")
    assert response.status_code == 200


def test_wagtail_admin_login_is_throttled_too(client, settings):
    supervisor = SupervisorFactory()
    response = fail_until_locked(
        client, supervisor.email, settings, url=reverse("wagtailadmin_login")
    )
    assert response.status_code == 429
    assert 'id="login-locked-out"' in response.content.decode()
    assert (
        log_in(
            client, supervisor.email, TEST_PASSWORD, url=reverse("wagtailadmin_login")
        ).status_code
        == 429
    )


def test_password_reset_works_while_locked_and_lifts_the_lock(client, parent, settings):
    fail_until_locked(client, parent.email, settings)
    response = client.post(
        reverse("password_reset"), {"email": parent.email}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302
    link = re.search(r"https?://[^/]+(/nulstil/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, REMOTE_ADDR="10.0.0.1").url
    new_password = "A-fresh-password-2026"
    response = client.post(
        form_url,
        {"new_password1": new_password, "new_password2": new_password},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=parent.email).exists()
    assert log_in(client, parent.email, new_password).status_code == 302


def test_force_login_is_not_counted(client, parent):
    client.force_login(parent)
    assert client.get(reverse("family-dashboard")).status_code == 200
    assert not AccessAttempt.objects.exists()
