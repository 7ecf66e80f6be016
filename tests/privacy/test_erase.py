"""A coordinator erases a family's personal data; the statistics stay countable."""

import pytest
from django.db.models import Count
from django.urls import reverse

from cms.models import AccessLog
from cms.portal.privacy import erase_family
from courses.models import KnowledgeCheckAnswer, LessonProgress
from logbook.models import Feedback, LogbookEntry
from supervision.models import (
    Attendance,
    CalendarPreferences,
    ChildPlanGoal,
    CoursePlan,
    DevelopmentGoal,
    FosterFamily,
    ModuleCompletion,
    Placement,
    StartupCourse,
)
from tests.factories import CoordinatorFactory, FosterFamilyFactory, SupervisorFactory

pytestmark = pytest.mark.django_db


def erase_url(family):
    return reverse("privacy_erase_family", args=[family.pk])


def test_erasure_removes_the_personal_data(family, coordinator, knowledge_lesson):
    parents = list(family.parents.all())
    erase_family(family, by=coordinator)
    family.refresh_from_db()
    assert family.name == "" and family.is_erased
    assert str(family) == f"Slettet familie {family.pk}"
    assert not LogbookEntry.objects.filter(family=family).exists()
    assert not Feedback.objects.filter(entry__family=family).exists()
    assert not DevelopmentGoal.objects.filter(family=family).exists()
    assert not ChildPlanGoal.objects.filter(placement__family=family).exists()
    placement = Placement.objects.get(family=family)
    assert (placement.child_name, placement.birth_year) == ("", None)
    assert CoursePlan.objects.get(course__placement=placement).practical_notes == ""
    assert not LessonProgress.objects.filter(user__in=parents).exists()
    assert not KnowledgeCheckAnswer.objects.filter(user__in=parents).exists()
    assert not CalendarPreferences.objects.filter(user__in=parents).exists()
    for parent in parents:
        parent.refresh_from_db()
        assert (parent.first_name, parent.last_name) == ("", "")
        assert parent.email == f"erased-{parent.pk}@erased.opstart.invalid"
        assert not parent.is_active and not parent.has_usable_password()


def test_erasure_keeps_the_statistics_countable(family, neighbours, group_session, coordinator):
    def statistics():
        attendance = dict(
            Attendance.objects.values_list("session").annotate(present=Count("pk")).order_by()
        )
        completions = ModuleCompletion.objects.filter(family=family).count()
        return attendance, completions

    before = statistics()
    erase_family(family, by=coordinator)
    assert statistics() == before
    course = StartupCourse.objects.get(placement__family=family)
    assert str(course.finish_deadline) == "2027-03-01"
    assert family in group_session.cohort.families.all()
    assert list(CoursePlan.objects.get(course=course).modules.all())


def test_erasure_leaves_another_family_alone(family, neighbours, coordinator):
    erase_family(family, by=coordinator)
    neighbours.refresh_from_db()
    assert neighbours.name == "Familien Jensen"
    assert LogbookEntry.objects.filter(family=neighbours).count() == 3
    assert neighbours.parents.filter(is_active=True).count() == 2


def test_a_parent_also_in_another_family_keeps_the_login(family, mette, coordinator, vejle):
    FosterFamilyFactory(municipality=vejle, parents=[mette])
    erase_family(family, by=coordinator)
    mette.refresh_from_db()
    assert mette.is_active and mette.first_name == "Mette"


def test_the_confirmation_page_shows_what_goes_and_what_stays(client, family, coordinator):
    client.force_login(coordinator)
    response = client.get(erase_url(family))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Familien Hansen" in page
    assert "3 logbogsindlæg" in page  # Danish by default
    assert "Mette" in page and "Lars" in page
    assert AccessLog.objects.filter(action=AccessLog.Action.READ_FAMILY).count() == 1
    assert FosterFamily.objects.get(pk=family.pk).name == "Familien Hansen"


def test_a_wrong_name_is_refused_next_to_the_field_in_danish(client, family, coordinator):
    client.force_login(coordinator)
    response = client.post(erase_url(family), {"family_name": "Familien Jensen"})
    assert response.status_code == 200
    assert "Navnet passer ikke til denne familie" in response.content.decode()
    assert not FosterFamily.objects.get(pk=family.pk).is_erased
    response = client.post(erase_url(family), {"family_name": ""})
    assert "Skriv familiens navn for at bekræfte" in response.content.decode()


def test_the_right_name_erases(client, family, coordinator):
    client.force_login(coordinator)
    response = client.post(erase_url(family), {"family_name": " familien hansen "})
    assert response.status_code == 302
    assert FosterFamily.objects.get(pk=family.pk).is_erased


def test_another_municipalitys_coordinator_gets_404_by_url_and_by_post(client, family):
    client.force_login(CoordinatorFactory())
    assert client.get(erase_url(family)).status_code == 404
    assert client.post(erase_url(family), {"family_name": "Familien Hansen"}).status_code == 404
    assert not FosterFamily.objects.get(pk=family.pk).is_erased
    assert not AccessLog.objects.exists()


def test_a_supervisor_may_not_erase(client, family):
    client.force_login(SupervisorFactory(municipality=family.municipality))
    response = client.post(erase_url(family), {"family_name": "Familien Hansen"})
    assert response.status_code in (302, 403)
    assert not FosterFamily.objects.get(pk=family.pk).is_erased


def test_the_family_screens_offer_erasure_to_the_coordinator_only(client, family, coordinator):
    client.force_login(coordinator)
    assert erase_url(family) in client.get(reverse("fosterfamily:index")).content.decode()
    assert (
        erase_url(family)
        in client.get(reverse("fosterfamily:edit", args=[family.pk])).content.decode()
    )
    client.force_login(SupervisorFactory(municipality=family.municipality))
    assert erase_url(family) not in client.get(reverse("fosterfamily:index")).content.decode()


def test_an_erased_family_is_not_erased_twice(client, family, coordinator):
    erase_family(family, by=coordinator)
    client.force_login(coordinator)
    assert client.get(erase_url(family)).status_code == 302
    erase_family(family, by=coordinator)
    assert AccessLog.objects.filter(action=AccessLog.Action.ERASE).count() == 1


def test_erasure_deletes_the_parents_invitations(family, coordinator, client):
    from cms import accounts
    from cms.models import Invitation

    parent = family.parents.first()
    parent.set_unusable_password()  # invited, not yet accepted
    parent.save(update_fields=["password"])
    link = accounts.invite(parent)
    erase_family(family, by=coordinator)
    assert not Invitation.objects.filter(user__in=family.parents.all()).exists()
    assert client.get("/" + link.split("/", 3)[3]).status_code == 404
