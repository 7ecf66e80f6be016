"""The child's plan: short goals recorded on the placement by supervisors, seen by the
family on Min side, and followed up in the logbook beside the development goals."""

import datetime

import pytest
from django.urls import reverse

from cms.models import TenantLogEntry
from logbook.models import GoalFollowUpExercise, LogbookEntry, Timing
from supervision.models import ChildPlanGoal, DevelopmentGoal, GoalStatus
from tests.factories import (
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
)
from tests.supervision.factories import (
    RegisteredPlacementFactory,
    module_session_next_week,
    plan_goals_formset,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(client, home):
    user = SupervisorFactory(municipality=home)
    client.force_login(user)
    return user


@pytest.fixture
def parent(home):
    return FosterParentFactory(municipality=home)


@pytest.fixture
def placement(home, parent):
    family = FosterFamilyFactory(municipality=home, parents=[parent])
    return RegisteredPlacementFactory(
        family=family, child_name="Emil", birth_year=2018, start_date=datetime.date(2026, 3, 1)
    )


def placement_post(placement, *goals):
    return {
        "family": placement.family_id,
        "child_name": placement.child_name,
        "birth_year": placement.birth_year,
        "start_date": placement.start_date.isoformat(),
        **plan_goals_formset(*goals),
    }


def test_a_supervisor_records_goals_inline_on_the_placement_logged_by_number(
    client, supervisor, placement
):
    url = reverse("placement:edit", args=[placement.pk])
    page = client.get(url).content.decode()
    assert "Barnets plan" in page and "diagnoser" in page  # the warning in the help text
    goal = {"text": "Går i skole hver dag", "review_date": "2026-09-01", "status": "active"}
    assert client.post(url, placement_post(placement, goal)).status_code == 302
    [saved] = ChildPlanGoal.objects.filter(placement=placement)
    assert (saved.text, saved.review_date) == ("Går i skole hver dag", datetime.date(2026, 9, 1))
    [entry] = TenantLogEntry.objects.filter(action="wagtail.edit")
    assert entry.municipality_id == placement.family.municipality_id
    assert "Emil" not in entry.label


@pytest.mark.parametrize(
    ("text", "review_date"),
    [("x" * 201, "2026-09-01"), ("Går i skole", "2019-01-01"), ("Går i skole", "9999-12-31")],
)
def test_a_long_goal_or_an_absurd_review_date_is_refused_keeping_what_was_typed(
    client, supervisor, placement, text, review_date
):
    goal = {"text": text, "review_date": review_date, "status": "active"}
    response = client.post(
        reverse("placement:edit", args=[placement.pk]), placement_post(placement, goal)
    )
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not ChildPlanGoal.objects.exists()


def test_another_municipalitys_placement_and_goals_stay_out_of_reach(client, supervisor):
    foreign = RegisteredPlacementFactory(family__municipality=MunicipalityFactory())
    goal = ChildPlanGoal.objects.create(placement=foreign, text="Fremmed mål")
    url = reverse("placement:edit", args=[foreign.pk])
    assert client.get(url).status_code == 404
    edit = {"id": goal.pk, "text": "Overskrevet", "status": "active"}
    assert client.post(url, placement_post(foreign, edit)).status_code == 404
    assert ChildPlanGoal.objects.get(pk=goal.pk).text == "Fremmed mål"


def test_a_goal_of_another_placement_cannot_be_changed_through_this_one(
    client, supervisor, placement
):
    other = RegisteredPlacementFactory(family=placement.family, child_name="Ida")
    goal = ChildPlanGoal.objects.create(placement=other, text="Idas mål")
    edit = {"id": goal.pk, "text": "Overskrevet", "status": "active"}
    client.post(reverse("placement:edit", args=[placement.pk]), placement_post(placement, edit))
    assert ChildPlanGoal.objects.get(pk=goal.pk).text == "Idas mål"


def test_the_family_sees_the_goals_per_child_on_min_side(client, parent, placement):
    ChildPlanGoal.objects.create(placement=placement, text="Går i skole hver dag")
    ChildPlanGoal.objects.create(
        placement=placement, text="Sover i egen seng", status=GoalStatus.ACHIEVED
    )
    ChildPlanGoal.objects.create(placement=placement, text="Opgivet mål", status=GoalStatus.DROPPED)
    other = RegisteredPlacementFactory(family=placement.family, child_name="Ida")
    client.force_login(parent)
    page = client.get(reverse("family-dashboard")).content.decode()
    assert "Går i skole hver dag" in page and "Sover i egen seng" in page
    assert "Opgivet mål" not in page
    assert "Mål i barnets plan (Emil)" in page and "Mål i barnets plan (Ida)" in page
    assert other.child_name in page


def test_another_familys_plan_goals_stay_off_min_side(client, parent, placement, home):
    stranger = RegisteredPlacementFactory(family__municipality=home)
    ChildPlanGoal.objects.create(placement=stranger, text="Naboens mål")
    client.force_login(parent)
    assert "Naboens mål" not in client.get(reverse("family-dashboard")).content.decode()


def test_a_goal_follow_up_offers_development_and_plan_goals_grouped(placement, parent, make_module):
    family = placement.family
    development = DevelopmentGoal.objects.create(family=family, text="Læse en bog hver dag")
    plan = ChildPlanGoal.objects.create(placement=placement, text="Går i skole hver dag")
    ChildPlanGoal.objects.create(
        placement=RegisteredPlacementFactory(family__municipality=family.municipality),
        text="Naboens mål",
    )
    exercise = GoalFollowUpExercise.objects.create(
        module=make_module(), title="Opfølgning", timing=Timing.AFTER
    )
    field = exercise.answer_fields(family)["goal"]
    groups = dict(field.choices[1:])
    assert groups == {
        "Jeres udviklingsmål": [(str(development.pk), "Læse en bog hver dag")],
        "Mål i barnets plan": [(f"plan-{plan.pk}", "Går i skole hver dag")],
    }
    assert field.clean(f"plan-{plan.pk}") == f"plan-{plan.pk}"
    entry = LogbookEntry(
        family=family, exercise=exercise, author=parent, answers={"goal": f"plan-{plan.pk}"}
    )
    assert ("Målet", "Går i skole hver dag") in [(str(k), v) for k, v in entry.summary()]


def test_a_parent_follows_up_a_goal_of_the_childs_plan_in_the_logbook(
    client, parent, placement, make_module
):
    module = make_module()
    exercise = GoalFollowUpExercise.objects.create(
        module=module, title="Opfølgning", timing=Timing.BEFORE
    )
    session = module_session_next_week(placement.family, module)
    goal = ChildPlanGoal.objects.create(placement=placement, text="Går i skole hver dag")
    client.force_login(parent)
    url = reverse("logbook:entry", args=[placement.family_id, exercise.pk, session.pk])
    page = client.get(url).content.decode()
    assert '<optgroup label="Mål i barnets plan">' in page
    data = {"version": 0, "answer_goal": f"plan-{goal.pk}", "answer_progress": "Det går godt"}
    assert client.post(url, data).status_code in (200, 302)
    assert LogbookEntry.objects.get(exercise=exercise).answers["goal"] == f"plan-{goal.pk}"
    foreign = ChildPlanGoal.objects.create(
        placement=RegisteredPlacementFactory(family__municipality=placement.family.municipality),
        text="Naboens mål",
    )
    refused = client.post(url, {**data, "version": 1, "answer_goal": f"plan-{foreign.pk}"})
    assert refused.status_code == 400 or "answer_goal" in refused.context["form"].errors
    assert LogbookEntry.objects.get(exercise=exercise).answers["goal"] == f"plan-{goal.pk}"
