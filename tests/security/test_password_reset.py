"""Asking for a new password: one answer and one path for known and unknown addresses, the
e-mail sent by a task, limits per e-mail address and per client, and no way round them
through the Wagtail admin."""

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from cms.tasks import send_password_reset
from tests.factories import FosterParentFactory, SupervisorFactory
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
KNOWN = "mette@familie.example.dk"
UNKNOWN = "ingen@familie.example.dk"


@pytest.fixture
def mette():
    return FosterParentFactory(email=KNOWN)


def ask(client, email, ip="10.0.0.1", **headers):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip, **headers)


def statements(queries):
    """What the database was asked, without the values: the path a request took."""
    return [query["sql"].split(" WHERE ")[0].split(" VALUES ")[0] for query in queries]


@override_settings(TASKS=DB_TASKS)
def test_known_and_unknown_addresses_take_one_path_and_no_mail_is_sent_in_the_request(
    client, mette
):
    client.get(reverse("password_reset"))  # the site and its pages are cached from here on
    taken = {}
    for email in [KNOWN, UNKNOWN]:
        with CaptureQueriesContext(connection) as queries:
            response = ask(client, email)
        taken[email] = (response.status_code, response.url, statements(queries))
    assert taken[KNOWN] == taken[UNKNOWN]
    assert taken[KNOWN][:2] == (302, reverse("password_reset_done"))
    assert mail.outbox == []

    queued = DBTaskResult.objects.filter(task_path=send_password_reset.module_path)
    assert queued.count() == 2
    run_queued_tasks()  # the reset tasks, then the e-mail they wrote to the outbox
    assert [message.to for message in mail.outbox] == [[KNOWN]]
    assert "/nulstil/" in mail.outbox[0].body


def test_the_link_is_written_in_the_recipients_language(client):
    FosterParentFactory(email=KNOWN, language="en")
    ask(client, KNOWN)
    assert mail.outbox[0].subject == "Choose a new password for Opstart"
    assert mail.outbox[0].body.startswith("Hello")
    assert "http://testserver/nulstil/" in mail.outbox[0].body


def test_inactive_and_erased_accounts_get_no_link(client):
    FosterParentFactory(email="inaktiv@familie.example.dk", is_active=False)
    erased = FosterParentFactory(email="slettet@familie.example.dk", is_active=False)
    erased.set_unusable_password()
    erased.save()
    for email in ["inaktiv@familie.example.dk", "slettet@familie.example.dk"]:
        assert ask(client, email).status_code == 302
    assert mail.outbox == []


def test_asking_too_often_for_one_address_is_refused_alike_for_known_and_unknown(
    client, mette, settings
):
    bodies = {}
    for email in [KNOWN, UNKNOWN]:
        for _ in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL):
            assert ask(client, email).status_code == 302
        response = ask(client, email.upper())  # another spelling is the same address
        assert response.status_code == 429
        bodies[email] = response.content.decode().replace(email.upper(), "")
    assert 'id="password-reset-limited"' in bodies[KNOWN]
    assert "vi sender ikke flere links" in bodies[KNOWN]
    csrf = 'name="csrfmiddlewaretoken" value="'
    assert [b.split(csrf)[0] for b in bodies.values()] == [bodies[KNOWN].split(csrf)[0]] * 2
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_EMAIL


def test_asking_too_often_from_one_client_is_refused(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 3
    for n in range(3):
        assert ask(client, f"forsoeg{n}@familie.example.dk").status_code == 302
    assert ask(client, "forsoeg3@familie.example.dk").status_code == 429
    assert ask(client, "forsoeg3@familie.example.dk", ip="10.0.0.2").status_code == 302


def test_the_client_limit_counts_the_client_behind_the_proxy(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 3
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(3):
        ask(
            client,
            f"forsoeg{n}@familie.example.dk",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7",
        )
    forged = ask(client, "ny@familie.example.dk", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7")
    assert forged.status_code == 429
    neighbour = ask(client, "ny@familie.example.dk", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert neighbour.status_code == 302


def test_a_malformed_address_is_answered_next_to_the_field_and_not_counted(client, settings):
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL + 1):
        response = ask(client, "ikke en adresse")
        assert response.status_code == 200
        assert "email" in response.context["form"].errors


def test_the_wagtail_admin_has_no_reset_of_its_own_and_its_login_links_ours(client):
    SupervisorFactory()
    assert client.get("/admin/password_reset/").status_code == 404
    login = client.get(reverse("wagtailadmin_login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in login
