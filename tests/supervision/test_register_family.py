"""A family and its parents in one form: new parents are invited, an address in use is
refused next to the field or linked on purpose, never duplicated; nobody reaches
another municipality's family or parents."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cms.models import Invitation, Role, User
from supervision import services
from supervision.models import FosterFamily
from tests.factories import (
    CoordinatorFactory,
    FamilyTypeFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor():
    return SupervisorFactory()


@pytest.fixture
def family_type():
    return FamilyTypeFactory()


def family_form(supervisor, family_type, *parents, **fields):
    data = {
        "municipality": supervisor.municipality_id or "",
        "name": "Familien Holm",
        "family_type": family_type.pk,
        "care_form": "full_time",
        "parents-TOTAL_FORMS": str(max(len(parents), 2)),
        "parents-INITIAL_FORMS": "0",
        "parents-MIN_NUM_FORMS": "0",
        "parents-MAX_NUM_FORMS": "6",
        **fields,
    }
    for number in range(int(data["parents-TOTAL_FORMS"])):
        data[f"parents-{number}-language"] = "da"  # the select always posts its choice
    for number, parent in enumerate(parents):
        data.update({f"parents-{number}-{key}": value for key, value in parent.items()})
    return data


MOR = {"first_name": "Lene", "last_name": "Holm", "email": "lene@holm.dk"}
FAR = {"first_name": "Jens", "last_name": "Holm", "email": "Jens@Holm.DK", "language": "en"}


def test_a_family_with_two_new_parents_is_registered_and_both_are_invited(
    client, supervisor, family_type, mailoutbox
):
    client.force_login(supervisor)
    answer = client.post(
        reverse("fosterfamily:add"), family_form(supervisor, family_type, MOR, FAR)
    )
    assert answer.status_code == 302
    family = FosterFamily.objects.get(name="Familien Holm")
    parents = family.parents.order_by("email")
    assert [p.email for p in parents] == ["jens@holm.dk", "lene@holm.dk"]
    for parent in parents:
        assert parent.is_foster_parent and parent.municipality == supervisor.municipality
        assert not parent.has_usable_password()
        assert Invitation.objects.get(user=parent).invited_by == supervisor
    assert sorted(m.to[0] for m in mailoutbox) == ["jens@holm.dk", "lene@holm.dk"]
    for message in mailoutbox:
        assert "Holm" not in message.subject and "Familien" not in message.body
    assert User.objects.get(email="jens@holm.dk").language == "en"


def test_one_parent_is_enough_and_none_is_refused(client, supervisor, family_type):
    client.force_login(supervisor)
    answer = client.post(reverse("fosterfamily:add"), family_form(supervisor, family_type))
    assert answer.status_code == 200
    assert "mindst én forælder" in answer.content.decode()
    assert not FosterFamily.objects.exists()
    client.post(reverse("fosterfamily:add"), family_form(supervisor, family_type, MOR))
    assert FosterFamily.objects.get().parents.count() == 1


def test_an_address_in_use_is_refused_next_to_the_field_and_nothing_is_saved(
    client, supervisor, family_type
):
    FosterParentFactory(municipality=supervisor.municipality, email="lene@holm.dk")
    client.force_login(supervisor)
    answer = client.post(
        reverse("fosterfamily:add"),
        family_form(supervisor, family_type, FAR, {**MOR, "email": "LENE@holm.dk"}),
    )
    assert answer.status_code == 200
    errors = answer.context["parents"].forms[1].errors["email"]
    assert "findes allerede" in str(errors) and "Tilknyt" in str(errors)
    assert 'value="Jens"' in answer.content.decode()  # what was typed is kept
    assert not FosterFamily.objects.exists()
    assert not User.objects.filter(email="jens@holm.dk").exists()


def test_an_existing_foster_parent_is_linked_on_purpose_to_a_second_family(
    client, supervisor, family_type, mailoutbox
):
    lene = FosterParentFactory(municipality=supervisor.municipality, email="lene@holm.dk")
    first = FosterFamilyFactory(municipality=supervisor.municipality, parents=[lene])
    client.force_login(supervisor)
    answer = client.post(
        reverse("fosterfamily:add"),
        family_form(supervisor, family_type, {"email": "Lene@Holm.dk", "link_existing": "on"}, FAR),
    )
    assert answer.status_code == 302
    second = FosterFamily.objects.get(name="Familien Holm")
    assert set(lene.foster_families.all()) == {first, second}
    assert User.objects.filter(email="lene@holm.dk").count() == 1
    assert [m.to for m in mailoutbox] == [["jens@holm.dk"]]  # the linked parent has a login


@pytest.mark.parametrize(
    "account",
    [
        lambda town: SupervisorFactory(municipality=town),
        lambda town: CoordinatorFactory(municipality=town),
        lambda town: FosterParentFactory(),  # another municipality's parent
        lambda town: UserFactory(is_superuser=True, municipality=town),
        lambda town: FosterParentFactory(municipality=town, is_active=False),
    ],
    ids=["supervisor", "coordinator", "other municipality", "superuser", "inactive"],
)
def test_staff_and_other_municipalities_users_are_never_linked_as_parents(
    client, supervisor, family_type, account
):
    other = account(supervisor.municipality)
    client.force_login(supervisor)
    answer = client.post(
        reverse("fosterfamily:add"),
        family_form(supervisor, family_type, {"email": other.email, "link_existing": "on"}),
    )
    assert answer.status_code == 200
    assert answer.context["parents"].forms[0].errors["email"]
    assert not FosterFamily.objects.filter(name="Familien Holm").exists()
    with pytest.raises(ValidationError):
        services.add_parent(FosterFamilyFactory(municipality=supervisor.municipality), other)


def test_linking_an_unknown_address_is_refused(client, supervisor, family_type):
    client.force_login(supervisor)
    answer = client.post(
        reverse("fosterfamily:add"),
        family_form(supervisor, family_type, {**MOR, "link_existing": "on"}),
    )
    assert answer.context["parents"].forms[0].errors["email"]


def test_the_same_address_twice_in_one_form_is_refused(client, supervisor, family_type):
    client.force_login(supervisor)
    answer = client.post(
        reverse("fosterfamily:add"),
        family_form(supervisor, family_type, MOR, {**FAR, "email": "LENE@holm.dk"}),
    )
    assert answer.context["parents"].forms[1].errors["email"]
    assert not User.objects.filter(email="lene@holm.dk").exists()


@pytest.mark.parametrize(
    "parent",
    [
        {**MOR, "email": ""},
        {**MOR, "email": "lene at holm"},
        {**MOR, "email": "l@" + "h" * 260 + ".dk"},
        {**MOR, "first_name": ""},
        {**MOR, "first_name": "L" * 151},
        {**MOR, "language": "klingon"},
    ],
)
def test_bad_parent_input_is_refused_next_to_the_field(client, supervisor, family_type, parent):
    client.force_login(supervisor)
    answer = client.post(reverse("fosterfamily:add"), family_form(supervisor, family_type, parent))
    assert answer.status_code == 200
    assert answer.context["parents"].forms[0].errors
    assert not FosterFamily.objects.exists() and User.objects.count() == 1


@pytest.mark.parametrize(
    "fields", [{"name": ""}, {"name": "x" * 500}, {"family_type": "abc"}, {"care_form": "x"}]
)
def test_bad_family_input_is_refused_next_to_the_field(client, supervisor, family_type, fields):
    client.force_login(supervisor)
    answer = client.post(
        reverse("fosterfamily:add"), {**family_form(supervisor, family_type, MOR), **fields}
    )
    assert answer.status_code == 200
    assert set(answer.context["form"].errors) == set(fields)
    assert not User.objects.filter(email="lene@holm.dk").exists()


def test_a_family_cannot_be_registered_in_another_municipality(client, supervisor, family_type):
    other = MunicipalityFactory()
    client.force_login(supervisor)
    answer = client.post(
        reverse("fosterfamily:add"),
        family_form(supervisor, family_type, MOR, municipality=other.pk),
    )
    assert answer.context["form"].errors["municipality"]
    assert not FosterFamily.objects.exists()


def test_a_parent_is_added_to_an_existing_family(client, supervisor, mailoutbox):
    family = FosterFamilyFactory(municipality=supervisor.municipality)
    client.force_login(supervisor)
    edit = client.get(reverse("fosterfamily:edit", args=[family.pk])).content.decode()
    url = reverse("supervision_add_parent", args=[family.pk])
    assert url in edit
    answer = client.post(url, {**MOR, "language": "da"})
    assert answer.status_code == 302
    assert [p.email for p in family.parents.all()] == ["lene@holm.dk"]
    assert mailoutbox[-1].to == ["lene@holm.dk"]


def test_another_municipalitys_family_gets_no_parent(client, supervisor):
    family = FosterFamilyFactory()
    client.force_login(supervisor)
    url = reverse("supervision_add_parent", args=[family.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {**MOR, "language": "da"}).status_code == 404
    assert not User.objects.filter(email="lene@holm.dk").exists()


def test_trainers_and_parents_cannot_register_families(client, family_type):
    for user in (FosterParentFactory(), UserFactory(role=Role.TRAINER, municipality=None)):
        client.force_login(user)
        client.post(reverse("fosterfamily:add"), family_form(user, family_type, MOR))
    assert not FosterFamily.objects.exists()


def test_the_parent_list_shows_the_municipalitys_parents_with_their_invitation(
    client, supervisor, family_type, django_assert_max_num_queries
):
    client.force_login(supervisor)
    for number in range(10):
        data = family_form(
            supervisor,
            family_type,
            {**MOR, "email": f"p{number}@holm.dk"},
            name=f"Familien {number}",
        )
        client.post(reverse("fosterfamily:add"), data)
    elsewhere = FosterParentFactory(email="fremmed@andet.dk")
    with django_assert_max_num_queries(15):
        page = client.get(reverse("foster_parents:index"), {"invitation": "pending"})
    html = page.content.decode()
    assert html.count("@holm.dk") >= 10 and "Familien 7" in html
    assert elsewhere.email not in html
    assert "Afventer" in html
    parent = User.objects.get(email="p3@holm.dk")
    assert client.post(reverse("foster_parents:invite", args=[parent.pk])).status_code == 302
    for view in ("edit", "invite", "history"):
        url = reverse(f"foster_parents:{view}", args=[elsewhere.pk])
        assert client.get(url).status_code == 404


def test_register_family_service_is_all_or_nothing(supervisor, family_type):
    UserFactory(email="taken@x.dk")
    family = FosterFamily(
        municipality=supervisor.municipality, name="Familien Alt", family_type=family_type
    )
    with pytest.raises(ValidationError):
        services.register_family(
            family,
            [
                {"first_name": "A", "last_name": "B", "email": "ok@x.dk"},
                {"first_name": "C", "last_name": "D", "email": "Taken@x.dk"},
            ],
        )
    assert not FosterFamily.objects.filter(name="Familien Alt").exists()
    assert not User.objects.filter(email="ok@x.dk").exists()


def test_a_parents_name_and_address_are_corrected_in_the_parent_list(client, supervisor):
    parent = FosterParentFactory(municipality=supervisor.municipality, email="lene@holm.dk")
    taken = FosterParentFactory(municipality=supervisor.municipality, email="jens@holm.dk")
    client.force_login(supervisor)
    url = reverse("foster_parents:edit", args=[parent.pk])
    data = {
        "first_name": "Lene",
        "last_name": "Holm-Berg",
        "email": "JENS@holm.dk",
        "language": "da",
    }
    answer = client.post(url, data)
    assert answer.status_code == 200 and answer.context["form"].errors["email"]
    assert client.post(url, {**data, "email": "Lene.HB@holm.dk"}).status_code == 302
    parent.refresh_from_db()
    assert (parent.last_name, parent.email) == ("Holm-Berg", "lene.hb@holm.dk")
    assert taken.email == "jens@holm.dk"
