"""The access log: staff reads of family data are written to it, and nobody can change it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cms.models import AccessLog
from supervision.models import FosterFamily
from tests.factories import CoordinatorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(family, coordinator):
    [row] = AccessLog.objects.record(
        coordinator, [family], AccessLog.Action.READ_FAMILY, family_of=lambda f: f
    )
    return row


@pytest.fixture
def superuser(vejle):
    return UserFactory(is_superuser=True, is_staff=True, municipality=vejle)


def test_opening_a_family_in_the_admin_is_logged(client, family, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("fosterfamily:edit", args=[family.pk])).status_code == 200
    assert client.get(reverse("fosterfamily:inspect", args=[family.pk])).status_code == 200
    rows = AccessLog.objects.filter(user=supervisor, action=AccessLog.Action.READ_FAMILY)
    assert rows.count() == 2
    assert {(r.family_label, r.object_id) for r in rows} == {("Familien Hansen", family.pk)}
    assert rows[0].content_type == ContentType.objects.get_for_model(FosterFamily)


def test_opening_a_placement_course_or_plan_in_the_admin_is_logged_as_a_read_of_the_family(
    client, family, supervisor
):
    placement = family.placements.get()
    course = placement.startup_course
    client.force_login(supervisor)
    for url in (
        reverse("placement:edit", args=[placement.pk]),
        reverse("startupcourse:edit", args=[course.pk]),
        reverse("courseplan:edit", args=[course.plan.pk]),
    ):
        assert client.get(url).status_code == 200
    rows = AccessLog.objects.filter(user=supervisor, action=AccessLog.Action.READ_FAMILY)
    assert sorted(row.content_type.model for row in rows) == [
        "courseplan",
        "placement",
        "startupcourse",
    ]
    assert {row.family_label for row in rows} == {"Familien Hansen"}
    assert {row.municipality_id for row in rows} == {family.municipality_id}


def test_coordinators_read_the_log_of_their_own_municipality(client, log, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("access_log:index"))
    assert response.status_code == 200
    assert "Familien Hansen" in response.content.decode()
    client.force_login(CoordinatorFactory())
    assert "Familien Hansen" not in client.get(reverse("access_log:index")).content.decode()


def test_the_list_offers_no_add_edit_or_delete(client, log, superuser):
    client.force_login(superuser)
    page = client.get(reverse("access_log:index")).content.decode()
    assert reverse("access_log:add") not in page
    assert reverse("access_log:edit", args=[log.pk]) not in page
    assert reverse("access_log:delete", args=[log.pk]) not in page


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_staff_cannot_edit_or_delete_a_row_through_the_admin(client, log, who, request):
    client.force_login(request.getfixturevalue(who))
    for name in ("edit", "delete"):
        url = reverse(f"access_log:{name}", args=[log.pk])
        assert client.get(url).status_code in (302, 403)
        assert client.post(url, {"action": AccessLog.Action.EXPORT}).status_code in (302, 403)
    assert client.post(reverse("access_log:add"), {"action": "export"}).status_code in (302, 403)
    log.refresh_from_db()
    assert log.action == AccessLog.Action.READ_FAMILY
    assert AccessLog.objects.count() == 1


def test_the_model_refuses_changes_and_deletes(log):
    log.action = AccessLog.Action.EXPORT
    with pytest.raises(ValueError):
        log.save()
    with pytest.raises(ValueError):
        log.delete()
    with pytest.raises(TypeError):
        AccessLog.objects.all().delete()
    with pytest.raises(TypeError):
        AccessLog.objects.update(action=AccessLog.Action.EXPORT)
    assert AccessLog.objects.get().action == AccessLog.Action.READ_FAMILY


def test_nobody_holds_a_change_or_delete_permission(coordinator, superuser):
    from cms.viewsets import ReadOnlyPermissionPolicy

    policy = ReadOnlyPermissionPolicy(AccessLog)
    for user in (coordinator, superuser):
        assert policy.user_has_permission(user, "view")
        assert not policy.user_has_any_permission(user, ["add", "change", "delete"])
