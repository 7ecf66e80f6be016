"""Each role logs in and lands on its own start page."""

import pytest
from django.urls import reverse

from cms.signin.two_factor import requires_two_factor
from tests.factories import (
    TEST_PASSWORD,
    CoordinatorFactory,
    FosterParentFactory,
    SupervisorFactory,
    TrainerFactory,
    authenticator,
    totp_code,
)

pytestmark = pytest.mark.django_db


def log_in(client, user):
    """Through the login page; staff type their authenticator's code after the password."""
    device = authenticator(user) if requires_two_factor(user) else None
    response = client.post(
        reverse("login"), {"username": user.email, "password": TEST_PASSWORD}, follow=True
    )
    if device:
        response = client.post(reverse("signin-code"), {"code": totp_code(device)}, follow=True)
    assert response.context["user"] == user
    return response


def test_foster_parent_lands_on_family_dashboard(client):
    response = log_in(client, FosterParentFactory())
    assert response.redirect_chain[-1][0] == reverse("family-dashboard")
    assert "cms/family_dashboard.html" in [template.name for template in response.templates]


def test_trainer_lands_on_course_catalogue_in_admin(client, catalogue):
    response = log_in(client, TrainerFactory())
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_explore", args=[catalogue.pk])
    assert response.status_code == 200


@pytest.mark.parametrize("factory", [SupervisorFactory, CoordinatorFactory])
def test_staff_lands_on_admin_dashboard_with_own_municipality(client, factory):
    user = factory()
    response = log_in(client, user)
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert user.municipality.name in response.content.decode()


def test_supervisor_start_page_links_to_families(client):
    response = log_in(client, SupervisorFactory())
    assert reverse("fosterfamily:index") in response.content.decode()


def test_trainer_start_page_has_no_family_links(client, catalogue):
    client.force_login(TrainerFactory())
    response = client.get(reverse("wagtailadmin_home"))
    assert reverse("fosterfamily:index") not in response.content.decode()


def test_anonymous_start_redirects_to_login(client):
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_wrong_password_is_explained_and_keeps_the_email(client):
    response = client.post(
        reverse("login"), {"username": "mette@example.dk", "password": "forkert"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "E-mailadressen eller adgangskoden er forkert" in body
    assert 'value="mette@example.dk"' in body


def test_empty_login_marks_each_field(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    body = response.content.decode()
    assert body.count("form-error-message") == 2
    assert 'aria-invalid="true"' in body
