import pytest
from django.apps import apps
from django.core.management import call_command

from cms.models import Role, User
from courses.models import LessonPage, ModulePage

pytestmark = pytest.mark.django_db


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"cms", "courses", "supervision", "logbook", "wagtailcore", "auth"}
    }


def test_seed_demo_creates_the_catalogue_and_every_role():
    call_command("seed_demo", stdout=None)
    modules = ModulePage.objects.live().order_by("number")
    assert [m.number for m in modules] == list(range(1, 16))
    assert all(LessonPage.objects.child_of(m).live().exists() for m in modules)
    for role in Role:
        assert User.objects.with_role(role).exists(), role


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    before = row_counts()
    call_command("seed_demo")
    assert row_counts() == before


def test_seed_demo_plans_courses_a_cohort_year_and_coming_sessions():
    from supervision.models import CoursePlan, GroupSupervision, Placement, Session

    call_command("seed_demo")
    assert not Placement.objects.filter(startup_course__isnull=True).exists()
    assert CoursePlan.objects.get().modules.count() == 4
    assert GroupSupervision.objects.count() == 4
    assert all(group.participating_families() for group in GroupSupervision.objects.all())
    assert all(group.recipients().count() == 4 for group in GroupSupervision.objects.all())
    assert Session.objects.upcoming().exists()


def test_seed_demo_has_one_pending_invitation_and_no_family_data_in_it(mailoutbox):
    from cms.models import InvitationStatus

    call_command("seed_demo")
    (pending,) = User.objects.with_invitation_status().filter(
        invitation_status=InvitationStatus.PENDING
    )
    assert pending.email == "birgit@familie.example.dk" and not pending.has_usable_password()
    assert pending.foster_families.get().name == "Familien Berg"
    (invitation,) = [m for m in mailoutbox if m.to == [pending.email]]
    assert "Berg" not in invitation.body.replace("Birgit", "")
    assert "/invitation/" in invitation.body


def test_seed_demo_shows_the_childs_plan_quarter_themes_and_an_ended_placement(client):
    from django.urls import reverse
    from django.utils import timezone

    from supervision.models import (
        ChildPlanGoal,
        CourseStatus,
        IndividualSupervision,
        Placement,
        Quarter,
        StartupCourse,
    )

    call_command("seed_demo")
    assert ChildPlanGoal.objects.count() == 4
    [ended] = Placement.objects.filter(end_date__isnull=False)
    assert StartupCourse.objects.with_status().get(placement=ended).status() == CourseStatus.ENDED
    visit = IndividualSupervision.objects.get()
    assert visit.quarter is not None and visit.theme == visit.quarter.theme
    client.force_login(User.objects.get(email="mette@familie.example.dk"))
    page = client.get(reverse("family-dashboard")).content.decode()
    assert "Går i skole hver dag" in page
    today = timezone.localdate()
    current = Quarter.objects.get(cohort__name="Hold A", number=(today.month - 1) // 3 + 1)
    assert current.theme.name in page and current.theme.description in page


def test_seed_demo_shows_a_recurring_exercise_and_parents_progress_that_differs():
    from logbook.completion import family_progress
    from logbook.models import LogbookEntry
    from supervision.models import FosterFamily

    call_command("seed_demo")
    recurring = LogbookEntry.objects.filter(exercise__title="En situation efter undervisningen")
    assert recurring.values("session").distinct().count() == 2
    family = FosterFamily.objects.get(name="Familien Hansen")
    module = ModulePage.objects.get(number=1)
    progress = family_progress([family], [module])[(family.pk, module.pk)]
    done = {
        p.parent.first_name: (p.lessons_completed, p.exercises_completed) for p in progress.parents
    }
    assert done["Mette"] != done["Lars"]
