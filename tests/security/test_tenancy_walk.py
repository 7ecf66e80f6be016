"""Every URL of the site and the Wagtail admin, opened by staff of another municipality,
shows none of municipality A's data and never fails.

The URL patterns are walked from the root resolver; each path parameter is filled with
the id of one of A's objects (chosen by the parameter's name or the viewset's namespace),
so the walk reaches A's family, placement, course, plan, goal, cohort, quarter, sessions,
attendance, entry, feedback, users and access log. Each URL is requested with GET (and
with an empty POST when it only takes POST) by a supervisor and by a coordinator of B.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import timezone

from cms.models import AccessLog
from logbook.models import Feedback, LogbookEntry
from supervision.models import (
    Attendance,
    CalendarPreferences,
    CoursePlan,
    CoursePolicy,
    DevelopmentGoal,
    FosterFamily,
    Quarter,
)
from tests.factories import (
    CohortFactory,
    CoordinatorFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
)
from tests.logbook.factories import LogbookEntryFactory, ReflectionExerciseFactory
from tests.supervision.factories import (
    GroupSupervisionFactory,
    IndividualSupervisionFactory,
    RegisteredPlacementFactory,
)

pytestmark = pytest.mark.django_db

# Words that exist only in municipality A's data; none may appear in a page B's staff get.
MARKERS = [
    "Zebrakant",  # family name, cohort name, goal, plan notes, place
    "Q.X.Zeb",  # the child's initials
    "Ulvesang",  # the logbook entry
    "Traneflugt",  # the feedback
    "@a-zebrakant.example.dk",  # every A user's e-mail address
    "Vejle-Zebrakant",  # the municipality itself
]

# URLs left out on purpose, and why.
SKIP = {
    "logout": "ends the session the walk needs",
    "wagtailadmin_logout": "ends the session the walk needs",
    "calendar-feed": "the secret token is the credential: whoever holds it reads the feed",
    "password_reset_confirm": "needs a signed token for one user; no data without it",
    "wagtailadmin_password_reset_confirm": "needs a signed token for one user",
    "wagtaildocs_serve": "serves a file, not data; documents are national course content",
    "wagtaildocs_authenticate_with_password": "course documents are national content",
    "wagtailimages_serve": "signed image renditions; images are national course content",
    "wagtailadmin_javascript_catalog": "the admin's translations",
    "wagtailadmin_error_test": "Wagtail's deliberate test of the 500 page",
}


@pytest.fixture
def world_a(make_module):
    """Municipality A with one of everything a supervisor works with."""
    a = MunicipalityFactory(name="Vejle-Zebrakant", slug="zebrakant")
    email = "{}@a-zebrakant.example.dk".format
    parent = FosterParentFactory(email=email("mor"), first_name="Zebrakant", municipality=a)
    family = FosterFamilyFactory(name="Familien Zebrakant", municipality=a, parents=[parent])
    placement = RegisteredPlacementFactory(family=family, child_name="Q.X.Zeb")
    course = placement.startup_course
    module = make_module(1)
    plan = CoursePlan.objects.create(course=course, practical_notes="Zebrakant arbejder nat")
    plan.modules.set([module])
    goal = DevelopmentGoal.objects.create(family=family, text="Zebrakant læser hver dag")
    cohort = CohortFactory(municipality=a, name="Hold Zebrakant", families=[family])
    supervisor = SupervisorFactory(email=email("konsulent"), municipality=a)
    group = GroupSupervisionFactory(
        cohort=cohort,
        start=timezone.now() - datetime.timedelta(hours=3),
        place="Zebrakant-huset",
        supervisors=[supervisor],
    )
    quarter = Quarter.objects.get(pk=group.quarter_id)
    individual = IndividualSupervisionFactory(
        municipality=a,
        start=timezone.now() + datetime.timedelta(days=2),
        place="Zebrakant-huset",
        families=[family],
        supervisors=[supervisor],
    )
    attendance = Attendance.objects.create(session=group, parent=parent, present=True)
    exercise = ReflectionExerciseFactory(module=module)
    entry = LogbookEntryFactory(
        family=family,
        author=parent,
        exercise=exercise,
        answers={"prompt_0": "Ulvesang om aftenen", "prompt_1": ""},
        shared_at=timezone.now(),
    )
    feedback = Feedback.objects.create(entry=entry, author=supervisor, text="Traneflugt")
    log = AccessLog.objects.record(
        supervisor, [entry], AccessLog.Action.READ_SHARED_ENTRY, family_of=lambda e: e.family
    )[0]
    policy = CoursePolicy.objects.create(municipality=a)
    CalendarPreferences.of(parent)
    coordinator = CoordinatorFactory(email=email("koordinator"), municipality=a)
    return {
        # by viewset namespace / model name
        "municipality": a.pk,
        "municipalities": a.pk,
        "fosterfamily": family.pk,
        "placement": placement.pk,
        "startupcourse": course.pk,
        "courseplan": plan.pk,
        "developmentgoal": goal.pk,
        "cohort": cohort.pk,
        "quarter": quarter.pk,
        "groupsupervision": group.pk,
        "individualsupervision": individual.pk,
        "session": group.pk,
        "attendance": attendance.pk,
        "coursepolicy": policy.pk,
        "access_log": log.pk,
        "accesslog": log.pk,
        "logbookentry": entry.pk,
        "feedback": feedback.pk,
        "wagtailusers_users": parent.pk,
        "user": parent.pk,
        # by parameter name
        "family_id": family.pk,
        "exercise_id": exercise.pk,
        "entry_id": entry.pk,
        "session_id": group.pk,
        "user_id": parent.pk,
        "lesson_id": module.get_children().first().pk,
        "page_id": module.pk,
        "parent_page_id": module.pk,
        "page_to_move_id": module.pk,
        "object_id": family.pk,
        "_people": [parent, supervisor, coordinator],
    }


def walk(patterns, prefix="", namespace=""):
    """Yield (name with namespace, parameter names, route) for every named URL."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                f"{namespace}{ns}:" if ns else namespace,
            )
        elif isinstance(entry, URLPattern) and entry.name:
            regex = entry.pattern.regex
            params = list(regex.groupindex) or [None] * regex.groups
            yield f"{namespace}{entry.name}", params, prefix + str(entry.pattern)


TENANT_MODELS = [
    ("supervision", "fosterfamily"),
    ("supervision", "placement"),
    ("supervision", "cohort"),
    ("supervision", "groupsupervision"),
    ("cms", "accesslog"),
    ("cms", "user"),
]


def candidate_kwargs(name, params, ids):
    """The ways to fill ``params`` for URL ``name`` with A's ids."""
    namespace = name.split(":")[0] if ":" in name else ""
    base = {}
    for param in params:
        if param in ids:
            base[param] = ids[param]
        elif param in ("pk", "id", "instance_id"):
            base[param] = ids.get(namespace, ids["fosterfamily"])
        elif param == "token":
            base[param] = ids["_people"][0].calendar_preferences.feed_token
        elif param not in ("app_label", "model_name"):
            base[param] = ids["fosterfamily"]
    if "app_label" in params or "model_name" in params:
        return [{**base, "app_label": app, "model_name": model} for app, model in TENANT_MODELS]
    return [base]


def urls_to_visit(ids):
    urls = set()
    for name, params, route in walk(get_resolver().url_patterns):
        short = name.split(":")[-1]
        if name in SKIP or short in SKIP or route.startswith(("static", "media")):
            continue
        if None in params:  # unnamed regex groups: positional ids
            attempts = [([ids["fosterfamily"]] * len(params), {})]
        else:
            attempts = [((), kwargs) for kwargs in candidate_kwargs(name, params, ids)]
        for args, kwargs in attempts:
            try:
                urls.add(reverse(name, args=args, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return sorted(urls)


def leaks(body):
    return [marker for marker in MARKERS if marker in body]


@pytest.mark.parametrize("role", [SupervisorFactory, CoordinatorFactory], ids=["sup", "coord"])
def test_staff_of_another_municipality_see_none_of_its_data_anywhere(client, world_a, role):
    b = MunicipalityFactory(name="Odense", slug="odense")
    client.force_login(role(municipality=b, email="staff@b.example.dk"))
    client.raise_request_exception = False
    urls = urls_to_visit(world_a)
    assert len(urls) > 150  # the walk really reached the admin
    counts_before = (FosterFamily.objects.count(), LogbookEntry.objects.count())

    problems = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
            continue
        if response.status_code == 200 and not response.streaming:
            found = leaks(response.content.decode(errors="replace"))
            if found:
                problems.append(f"{url}: shows {found}")
    assert not problems, "\n".join(problems)
    assert (FosterFamily.objects.count(), LogbookEntry.objects.count()) == counts_before


def test_the_walk_would_see_a_leak(client, world_a):
    """The markers are on A's own pages, so an empty result above means something."""
    a_staff = CoordinatorFactory(municipality_id=world_a["municipality"])
    client.force_login(a_staff)
    body = client.get(reverse("fosterfamily:edit", args=[world_a["fosterfamily"]])).content
    assert leaks(body.decode())
