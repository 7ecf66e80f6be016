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
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = log_in(client, email, "wrong-password", **kwargs)
    return response


def test_wrong_passwords_below_the_limit_show_the_ordinary_error(client, parent, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
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
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
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


# Behind proxies: the client's own address, not the proxy's and not one the client wrote.

PROXY = "10.0.0.254"  # the proxy nearest the site: every request's connection comes from it


def through_proxies(client, email, password, client_ip, forged="", hops=(), url=None):
    """Log in as the proxies would pass it on: each appends the address it was reached
    from to X-Forwarded-For; the client may have written its own entries in front."""
    forwarded = ", ".join(filter(None, [forged, client_ip, *hops]))
    return client.post(
        url or reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_failures_from_one_client_behind_the_proxy_lock_only_that_client(client, parent, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = through_proxies(client, parent.email, "wrong-password", "203.0.113.7")
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    # The owner, through the same proxy from home, is not locked out by someone else.
    assert through_proxies(client, parent.email, TEST_PASSWORD, "198.51.100.9").status_code == 302


@pytest.mark.parametrize("proxies", [1, 2, 3])
def test_a_forged_left_most_address_is_not_believed_behind_any_number_of_proxies(
    client, parent, settings, proxies
):
    settings.TRUSTED_PROXY_COUNT = proxies
    hops = [f"10.0.0.{n}" for n in range(1, proxies)]  # what the proxies further out saw
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        response = through_proxies(
            client, parent.email, "wrong", "203.0.113.7", forged=f"192.0.2.{attempt}", hops=hops
        )
    assert response.status_code == 429  # a new forged address each time did not help
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    locked = through_proxies(
        client, parent.email, TEST_PASSWORD, "203.0.113.7", forged="192.0.2.200", hops=hops
    )
    assert locked.status_code == 429


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, parent, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        through_proxies(client, parent.email, "wrong", f"203.0.113.{attempt}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


def test_an_ipv6_client_counts_as_its_64_block(client, parent, settings):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        response = log_in(client, parent.email, "wrong", ip=f"2001:db8:1:2::{attempt + 1}")
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "2001:db8:1:2::"


def test_an_account_guessed_at_from_many_addresses_gives_one_try_per_address(
    client, parent, settings
):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 6
    for ip, failures in [("203.0.113.1", 3), ("203.0.113.2", 2)]:
        for _ in range(failures):
            assert log_in(client, parent.email, "wrong", ip=ip).status_code == 200
    # Past the account's limit a new address is paused after its first wrong password...
    assert log_in(client, parent.email, "wrong", ip="203.0.113.3").status_code == 429
    assert log_in(client, parent.email, TEST_PASSWORD, ip="203.0.113.3").status_code == 429
    # ...while the owner, from an address of their own, still gets in.
    assert log_in(client, parent.email, TEST_PASSWORD, ip="198.51.100.9").status_code == 302


def test_mixed_case_address_logs_in_and_is_counted_as_one(client, settings):
    FosterParentFactory(email="mette@familie.example.dk")
    response = log_in(client, "Mette@Familie.example.dk", TEST_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
    client.logout()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, " METTE@familie.EXAMPLE.dk", "wrong")
    assert AccessAttempt.objects.get().username == "mette@familie.example.dk"


def test_an_address_saved_in_the_admin_is_stored_in_lower_case():
    user = FosterParentFactory.build(email=" Lars@Familie.Example.DK ")
    user.clean()
    assert user.email == "lars@familie.example.dk"


def test_addresses_stored_in_mixed_case_are_lowered_by_the_migration(django_user_model):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("cms.migrations.0006_lowercase_user_emails")
    mixed = FosterParentFactory(email="mette@familie.example.dk")
    django_user_model.objects.filter(pk=mixed.pk).update(email="Mette@Familie.example.dk")
    twin = FosterParentFactory(email="lars@familie.example.dk")
    other = FosterParentFactory(email="x@familie.example.dk")
    django_user_model.objects.filter(pk=other.pk).update(email="LARS@familie.example.dk")
    migration.lowercase_emails(apps, None)
    assert set(django_user_model.objects.values_list("email", flat=True)) >= {
        "mette@familie.example.dk",
        "lars@familie.example.dk",
        "LARS@familie.example.dk",  # a twin of another account: left for a person to decide
    }
    assert twin.email == "lars@familie.example.dk"
