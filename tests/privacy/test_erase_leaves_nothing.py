"""After erasure no copy of a name is left: not in the admin's history, the access log or
the login records, and the family's courses stop asking for attention."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginRecord
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, RevisionMixin

from cms.models import AccessLog, LinkedIdentity, TenantLogEntry
from cms.portal.panels import CoursesAtRiskPanel
from cms.portal.privacy import erase_family, family_rows
from cms.signin.two_factor import new_recovery_codes
from logbook.models import LogbookEntry
from supervision.models import CourseStatus, Placement, Session, StartupCourse
from tests.factories import FosterFamilyFactory, authenticator
from tests.supervision.factories import IndividualSupervisionFactory, RegisteredPlacementFactory

pytestmark = pytest.mark.django_db


def names_in(*texts):
    return [text for text in texts if "Hansen" in text or "Mette" in text or "E. (" in text]


def test_erasure_rewrites_the_admin_history_of_every_row_that_named_the_family(
    family, neighbours, coordinator, mette
):
    placement = Placement.objects.get(family=family)
    logged = [
        family,
        placement,
        placement.startup_course,
        placement.startup_course.plan,
        family.development_goals.get(),
        placement.plan_goals.get(),
        LogbookEntry.objects.filter(family=family).first(),
        mette,
    ]
    for instance in logged:
        log(instance, "wagtail.edit", user=coordinator, data={"old": str(instance)})
    log(neighbours, "wagtail.edit", user=coordinator)
    neighbours_entries = set(
        TenantLogEntry.objects.for_instance(neighbours).values_list("pk", flat=True)
    )
    erase_family(family, by=coordinator)
    # Tenant models log to TenantLogEntry, the rest (entries, users) to Wagtail's log.
    history = [
        *ModelLogEntry.objects.all(),
        *TenantLogEntry.objects.exclude(pk__in=neighbours_entries),
    ]
    assert len(history) == len(logged)
    for entry in history:
        assert (entry.label, entry.data) == (f"Slettet familie {family.pk}", {})
        assert (entry.action, entry.user_id) == ("wagtail.edit", coordinator.pk)
    assert TenantLogEntry.objects.filter(pk__in=neighbours_entries).exclude(
        label=f"Slettet familie {family.pk}"
    ).count() == len(neighbours_entries)


def login_records(address):
    common = {"username": address, "ip_address": "10.0.0.1", "user_agent": "Firefox"}
    AccessAttempt.objects.create(
        **common, get_data="", post_data="", failures_since_start=2, http_accept="*/*"
    )
    AccessFailureLog.objects.create(**common, http_accept="*/*", path_info="/log-ind/")
    LoginRecord.objects.create(**common, http_accept="*/*", path_info="/log-ind/")


def test_erasure_forgets_the_parents_login_records(family, neighbours, coordinator, mette):
    login_records(mette.email)
    login_records(mette.email.upper())
    other = neighbours.parents.first()
    login_records(other.email)
    erase_family(family, by=coordinator)
    for model in (AccessAttempt, AccessFailureLog, LoginRecord):
        assert list(model.objects.values_list("username", flat=True)) == [other.email]


def test_erasure_takes_the_names_out_of_the_access_log_and_keeps_the_rows(
    family, neighbours, coordinator, supervisor, mette
):
    entries = list(LogbookEntry.objects.filter(family__in=[family, neighbours]))
    courses = list(StartupCourse.objects.all())
    AccessLog.objects.record(
        supervisor, entries, AccessLog.Action.READ_SHARED_ENTRY, lambda e: e.family
    )
    AccessLog.objects.record(
        coordinator, courses, AccessLog.Action.EXPORT, lambda c: c.placement.family
    )
    AccessLog.objects.record(mette, [family], AccessLog.Action.EXPORT, lambda f: f)
    before = list(AccessLog.objects.values_list("user", "action", "object_id", "at"))
    erase_family(family, by=coordinator)
    after = AccessLog.objects.exclude(action=AccessLog.Action.ERASE)
    assert sorted(after.values_list("user", "action", "object_id", "at")) == sorted(before)
    erased = after.exclude(family_label="Familien Jensen")
    assert erased.count() == 3 + 1 + 1
    for row in erased:
        assert row.family_label == f"Slettet familie {family.pk}"
        assert not names_in(row.object_label), row.object_label
    assert {row.object_label.rsplit(" ", 1)[0] for row in erased} == {
        "Logbogsindlæg",
        "Opstartsforløb",
        "Plejefamilie",
    }
    assert after.filter(family_label="Familien Jensen").count() == 3 + 1


def test_the_erasure_row_names_no_one(family, coordinator):
    erase_family(family, by=coordinator)
    row = AccessLog.objects.get(action=AccessLog.Action.ERASE)
    assert (row.user, row.object_id) == (coordinator, family.pk)
    assert row.family_label == row.object_label == f"Slettet familie {family.pk}"


def test_erasure_blanks_the_place_of_sessions_the_family_had_alone(
    family, neighbours, group_session, coordinator
):
    alone = IndividualSupervisionFactory(
        municipality=family.municipality, families=[family], place="Hjemme hos Hansen, Bøgevej 3"
    )
    shared = IndividualSupervisionFactory(
        municipality=family.municipality, families=[family, neighbours], place="Rådhuset"
    )
    erase_family(family, by=coordinator)
    places = dict(Session.objects.values_list("pk", "place"))
    assert places[alone.pk] == ""
    assert places[shared.pk] == "Rådhuset"
    assert places[group_session.pk] == group_session.place


def test_erasure_cancels_the_familys_own_coming_sessions_and_tells_the_supervisors(
    family, neighbours, coordinator, supervisor, mailoutbox
):
    now = timezone.now()
    coming = IndividualSupervisionFactory(
        municipality=family.municipality, families=[family], supervisors=[supervisor],
        start=now + datetime.timedelta(days=3),
    )  # fmt: skip
    held = IndividualSupervisionFactory(
        municipality=family.municipality, families=[family], supervisors=[supervisor],
        start=now - datetime.timedelta(days=3),
    )  # fmt: skip
    shared = IndividualSupervisionFactory(
        municipality=family.municipality, families=[family, neighbours],
        supervisors=[supervisor], start=now + datetime.timedelta(days=4),
    )  # fmt: skip
    mailoutbox.clear()
    erase_family(family, by=coordinator)
    cancelled = set(Session.objects.filter(cancelled_at__isnull=False).values_list("pk", flat=True))
    assert cancelled == {coming.pk}
    assert held.pk not in cancelled and shared.pk not in cancelled
    assert [message.to for message in mailoutbox] == [[supervisor.email]]


def test_no_model_erasure_rewrites_keeps_revisions(family):
    """Revisions would hold old field values; erasure does not look for any."""
    for model in family_rows(family, []):
        assert not issubclass(model, RevisionMixin), model


@pytest.fixture
def late_family(vejle):
    """A family whose course is late: placed two years ago, no session ever held."""
    family = FosterFamilyFactory(municipality=vejle, name="Familien Sen")
    start = timezone.localdate() - datetime.timedelta(days=730)
    RegisteredPlacementFactory(family=family, child_name="Emma", start_date=start)
    return family


def test_an_erased_familys_course_is_never_late_or_at_risk(client, late_family, coordinator):
    course = StartupCourse.objects.get(placement__family=late_family)
    assert course.status() == CourseStatus.LATE
    erase_family(late_family, by=coordinator)
    assert not StartupCourse.objects.late_or_at_risk().exists()
    assert StartupCourse.objects.get(pk=course.pk).status() == CourseStatus.CLOSED
    assert CoursesAtRiskPanel(coordinator).get_context_data()["count"] == 0
    client.force_login(coordinator)
    report = client.get(reverse("supervision_report_late_courses"))
    assert list(report.context["object_list"]) == []


def test_an_erased_familys_running_course_ended_the_day_it_was_erased(vejle, coordinator):
    family = FosterFamilyFactory(municipality=vejle, name="Familien Ny")
    start = timezone.localdate() - datetime.timedelta(days=100)
    RegisteredPlacementFactory(family=family, child_name="Emma", start_date=start)

    def course():
        courses = StartupCourse.objects.with_status().with_last_completion().with_policy()
        return courses.get(placement__family=family)

    assert course().ended_on() is None
    erase_family(family, by=coordinator)
    assert course().ended_on() == timezone.localdate()


def test_erasure_forgets_the_parents_sign_in_links_and_two_factor(
    family, neighbours, coordinator, mette
):
    neighbour = neighbours.parents.first()
    for parent in (mette, neighbour):
        LinkedIdentity.objects.create(user=parent, issuer="https://mitid", subject=f"s{parent.pk}")
        authenticator(parent)
        new_recovery_codes(parent)
    erase_family(family, by=coordinator)
    for model in (LinkedIdentity, TOTPDevice):
        assert list(model.objects.values_list("user", flat=True)) == [neighbour.pk]
    assert set(StaticToken.objects.values_list("device__user", flat=True)) == {neighbour.pk}
