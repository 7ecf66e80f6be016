"""*Staff*: coordinators manage their municipality's supervisors and coordinators,
national editors the national trainers and editors; nobody reaches another account,
by URL or by form, and Wagtail's own user screens stay the superusers'."""

import pytest
from django.urls import reverse

from cms.models import Invitation, Role, User
from tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
    TrainerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory()


@pytest.fixture
def coordinator(town):
    return CoordinatorFactory(municipality=town)


@pytest.fixture
def others(town):
    """Accounts a coordinator of ``town`` must never reach."""
    return {
        "supervisor of B": SupervisorFactory(),
        "coordinator of B": CoordinatorFactory(),
        "superuser": UserFactory(is_superuser=True, municipality=town),
        "trainer": TrainerFactory(),
        "editor": EditorFactory(),
        "foster parent": FosterParentFactory(municipality=town),
        "supervisor who is a parent too": SupervisorFactory(
            municipality=town, role=Role.SUPERVISOR
        ),
    }


def new_staff(**fields):
    return {
        "first_name": "Sofie",
        "last_name": "Sørensen",
        "email": "sofie@kommune.dk",
        "language": "da",
        "role": Role.SUPERVISOR.value,
        **fields,
    }


def test_the_list_shows_only_the_municipalitys_staff(client, coordinator, others, town):
    mine = SupervisorFactory(municipality=town)
    client.force_login(coordinator)
    page = client.get(reverse("staff:index")).content.decode()
    assert mine.email in page and coordinator.email in page
    for label, account in others.items():
        if label != "supervisor who is a parent too":
            assert account.email not in page, label


def test_another_role_beside_a_managed_one_keeps_the_account_out(client, coordinator, town):
    both = SupervisorFactory(municipality=town)
    both.groups.add(*FosterParentFactory().groups.all())
    assert both not in User.objects.staff_managed_by(coordinator)


@pytest.mark.parametrize(
    "view", ["edit", "history", "usage", "delete", "invite", "deactivate", "reactivate"]
)
def test_no_other_account_is_reached_by_url(client, coordinator, others, view):
    client.force_login(coordinator)
    assert client.get(f"/admin/staff/copy/{others['supervisor of B'].pk}/").status_code == 404
    for label, account in others.items():
        if label == "supervisor who is a parent too":
            continue
        answer = client.get(reverse(f"staff:{view}", args=[account.pk]))
        assert answer.status_code in (302, 403, 404), (label, view)
        assert account.email not in answer.content.decode()
        answer = client.post(reverse(f"staff:{view}", args=[account.pk]))
        assert answer.status_code in (302, 403, 404)
    for account in others.values():
        account.refresh_from_db()
        assert account.is_active and User.objects.filter(pk=account.pk).exists()


def test_nobody_deletes_an_account_here(client, coordinator, town):
    mine = SupervisorFactory(municipality=town)
    client.force_login(coordinator)
    client.post(reverse("staff:delete", args=[mine.pk]))
    assert User.objects.filter(pk=mine.pk).exists()


def test_a_coordinator_creates_a_supervisor_who_is_invited(client, coordinator, town, mailoutbox):
    client.force_login(coordinator)
    answer = client.post(reverse("staff:add"), new_staff(email="Sofie@Kommune.DK"))
    assert answer.status_code == 302
    sofie = User.objects.get(email="sofie@kommune.dk")
    assert sofie.municipality == town
    assert sofie.roles == {Role.SUPERVISOR}
    assert not sofie.has_usable_password()
    assert Invitation.objects.get(user=sofie).invited_by == coordinator
    assert mailoutbox[-1].to == ["sofie@kommune.dk"]


@pytest.mark.parametrize("role", ["Foster parent", "Trainer", "Editor", "superuser", ""])
def test_a_coordinator_cannot_create_other_roles_by_form(client, coordinator, role):
    client.force_login(coordinator)
    answer = client.post(reverse("staff:add"), new_staff(role=role))
    assert answer.status_code == 200
    assert answer.context["form"].errors["role"]
    assert not User.objects.filter(email="sofie@kommune.dk").exists()


def test_a_posted_municipality_or_superuser_flag_is_ignored(client, coordinator, town):
    other_town = MunicipalityFactory()
    client.force_login(coordinator)
    client.post(
        reverse("staff:add"),
        new_staff(municipality=other_town.pk, is_superuser="on", is_staff="on"),
    )
    sofie = User.objects.get(email="sofie@kommune.dk")
    assert sofie.municipality == town and not sofie.is_superuser


def test_an_address_in_use_is_refused_next_to_the_field_however_typed(client, coordinator, town):
    SupervisorFactory(email="a@x.dk")  # another municipality's: still one account per address
    client.force_login(coordinator)
    answer = client.post(reverse("staff:add"), new_staff(email="A@X.dk", first_name="Kept"))
    assert answer.status_code == 200
    assert "findes allerede" in str(answer.context["form"].errors["email"])
    assert 'value="Kept"' in answer.content.decode()  # what was typed is kept
    assert User.objects.filter(email="a@x.dk").count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"email": ""},
        {"email": "not an address"},
        {"email": "a@" + "x" * 300 + ".dk"},
        {"email": "<script>@x.dk"},
        {"first_name": ""},
        {"first_name": "x" * 151},
        {"last_name": "\x00"},
        {"language": "xx"},
    ],
)
def test_bad_input_is_refused_next_to_the_field(client, coordinator, fields):
    client.force_login(coordinator)
    answer = client.post(reverse("staff:add"), new_staff(**fields))
    assert answer.status_code == 200
    assert set(answer.context["form"].errors) & set(fields)
    assert User.objects.count() == 1


def test_a_coordinator_changes_a_role_and_deactivates_and_reactivates(client, coordinator, town):
    mine = SupervisorFactory(municipality=town)
    client.force_login(coordinator)
    data = new_staff(
        first_name=mine.first_name,
        last_name=mine.last_name,
        email=mine.email,
        role=Role.COORDINATOR.value,
    )
    assert client.post(reverse("staff:edit", args=[mine.pk]), data).status_code == 302
    mine.refresh_from_db()
    assert User.objects.get(pk=mine.pk).roles == {Role.COORDINATOR}
    client.post(reverse("staff:deactivate", args=[mine.pk]))
    mine.refresh_from_db()
    assert not mine.is_active
    client.post(reverse("staff:reactivate", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.is_active


def test_a_coordinator_cannot_lock_themselves_out(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("staff:deactivate", args=[coordinator.pk]))
    data = new_staff(
        first_name="C", last_name="D", email=coordinator.email, role=Role.SUPERVISOR.value
    )
    answer = client.post(reverse("staff:edit", args=[coordinator.pk]), data)
    assert answer.status_code == 200
    coordinator.refresh_from_db()
    assert coordinator.is_active and User.objects.get(pk=coordinator.pk).is_coordinator


def test_resending_sends_a_new_link(client, coordinator, town, mailoutbox):
    client.force_login(coordinator)
    client.post(reverse("staff:add"), new_staff())
    sofie = User.objects.get(email="sofie@kommune.dk")
    assert client.post(reverse("staff:invite", args=[sofie.pk])).status_code == 302
    assert len(mailoutbox) == 2 and mailoutbox[0].body != mailoutbox[1].body


def test_the_invitation_filter(client, coordinator, town):
    client.force_login(coordinator)
    client.post(reverse("staff:add"), new_staff())
    old = SupervisorFactory(municipality=town)
    pending = client.get(reverse("staff:index"), {"invitation": "pending"}).content.decode()
    assert "sofie@kommune.dk" in pending and old.email not in pending
    accepted = client.get(reverse("staff:index"), {"invitation": "accepted"}).content.decode()
    assert "sofie@kommune.dk" not in accepted


def test_the_list_takes_a_fixed_number_of_queries(
    client, coordinator, town, django_assert_max_num_queries
):
    client.force_login(coordinator)
    client.get(reverse("staff:index"))
    for number in range(15):
        client.post(reverse("staff:add"), new_staff(email=f"s{number}@kommune.dk"))
    with django_assert_max_num_queries(15):
        page = client.get(reverse("staff:index"))
    assert page.content.decode().count("@kommune.dk") >= 15


def test_national_editors_manage_trainers_and_editors_without_municipality(client):
    editor = EditorFactory()
    trainer = TrainerFactory()
    municipal = SupervisorFactory()
    client.force_login(editor)
    page = client.get(reverse("staff:index")).content.decode()
    assert trainer.email in page and municipal.email not in page
    answer = client.post(reverse("staff:add"), new_staff(role=Role.TRAINER.value))
    assert answer.status_code == 302, answer.context["form"].errors
    sofie = User.objects.get(email="sofie@kommune.dk")
    assert sofie.municipality is None and sofie.roles == {Role.TRAINER}
    assert client.get(reverse("staff:edit", args=[municipal.pk])).status_code == 404
    answer = client.post(reverse("staff:add"), new_staff(email="x@x.dk", role="Supervisor"))
    assert answer.context["form"].errors["role"]


@pytest.mark.parametrize("factory", [SupervisorFactory, TrainerFactory, FosterParentFactory])
def test_other_roles_have_no_staff_screen(client, factory):
    client.force_login(factory())
    assert client.get(reverse("staff:index")).status_code in (302, 403)
    assert client.post(reverse("staff:add"), new_staff()).status_code in (302, 403)
    assert not User.objects.filter(email="sofie@kommune.dk").exists()


def test_wagtails_user_screens_stay_the_superusers(client, coordinator, town):
    mine = SupervisorFactory(municipality=town)
    client.force_login(coordinator)
    for url in (
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_users:add"),
        reverse("wagtailusers_users:edit", args=[mine.pk]),
        reverse("wagtailusers_users:delete", args=[mine.pk]),
    ):
        assert client.get(url).status_code in (302, 403), url
    client.force_login(UserFactory(is_superuser=True, municipality=None))
    assert client.get(reverse("wagtailusers_users:index")).status_code == 200
    assert client.get(reverse("staff:index")).status_code in (302, 403)


def test_a_superuser_sets_municipality_and_language_in_wagtails_user_form(client, town):
    client.force_login(UserFactory(is_superuser=True, municipality=None))
    form = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="municipality"' in form and 'name="language"' in form
    answer = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "Ny@Kommune.dk",
            "first_name": "Ny",
            "last_name": "Person",
            "municipality": town.pk,
            "language": "en",
            "password1": "Langt-kodeord-2027",
            "password2": "Langt-kodeord-2027",
        },
    )
    assert answer.status_code == 302
    made = User.objects.get(email="ny@kommune.dk")
    assert made.municipality == town and made.language == "en"
    edit = client.get(reverse("wagtailusers_users:edit", args=[made.pk])).content.decode()
    assert 'name="municipality"' in edit
