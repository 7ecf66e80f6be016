"""Entries are private until shared; staff see shared entries of their own municipality only."""

import pytest
from django.urls import reverse

from logbook.models import LogbookEntry
from tests.factories import (
    CoordinatorFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    SupervisorFactory,
    TrainerFactory,
)
from tests.logbook.factories import LogbookEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(family, exercise, mette, module_session):
    return LogbookEntryFactory(
        family=family, exercise=exercise, session=module_session, author=mette
    )


def test_unshared_entry_is_invisible_to_the_consultant(entry):
    consultant = SupervisorFactory(municipality=entry.family.municipality)
    assert not LogbookEntry.objects.visible_to_staff(consultant).exists()


def test_shared_entry_is_visible_to_the_consultant(entry):
    entry.share()
    consultant = SupervisorFactory(municipality=entry.family.municipality)
    assert list(LogbookEntry.objects.visible_to_staff(consultant)) == [entry]


def test_shared_entry_is_invisible_to_another_municipality(entry):
    entry.share()
    assert not LogbookEntry.objects.visible_to_staff(SupervisorFactory()).exists()


def test_trainer_never_sees_entries_even_in_the_same_municipality(entry):
    entry.share()
    trainer = TrainerFactory(municipality=entry.family.municipality)
    assert not LogbookEntry.objects.visible_to_staff(trainer).exists()


def test_other_parent_does_not_read_my_own_entry(entry, lars):
    assert entry not in LogbookEntry.objects.readable_by_parent(lars)


def test_joint_entry_is_read_by_both_parents(entry, lars):
    entry.is_joint = True
    entry.save()
    assert entry in LogbookEntry.objects.readable_by_parent(lars)


def test_another_family_gets_404_on_share_and_entry_page(client, entry):
    outsider = FosterParentFactory()
    FosterFamilyFactory(parents=[outsider])
    client.force_login(outsider)
    assert client.post(reverse("logbook:share", args=[entry.pk])).status_code == 404
    page = entry.get_absolute_url()
    assert client.get(page).status_code == 404
    entry.refresh_from_db()
    assert entry.shared_at is None


def test_parent_shares_and_unshares(client, entry, mette):
    client.force_login(mette)
    client.post(reverse("logbook:share", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.is_shared
    client.post(reverse("logbook:unshare", args=[entry.pk]))
    entry.refresh_from_db()
    assert not entry.is_shared


def test_share_needs_post(client, entry, mette):
    client.force_login(mette)
    assert client.get(reverse("logbook:share", args=[entry.pk])).status_code == 405


def test_logbook_lists_exercises_with_entry_state(client, entry, mette):
    client.force_login(mette)
    body = client.get(reverse("logbook:index")).content.decode()
    assert entry.exercise.title in body
    assert "Privat udkast" in body or "Private draft" in body


@pytest.mark.parametrize("role", [SupervisorFactory, CoordinatorFactory])
def test_staff_linked_to_a_family_as_a_parent_can_neither_read_nor_write_its_logbook(
    client, entry, family, role
):
    """Defence in depth: even if a staff member got onto a family's parents (the old
    picker offered everyone), a staff role is never a parent."""
    entry.is_joint = True
    entry.save()
    staff = role(municipality=family.municipality)
    family.parents.add(staff)
    family.save()
    client.force_login(staff)
    page = entry.get_absolute_url()
    assert client.get(page).status_code == 404
    assert client.post(page, {"joint": "1", "version": "0"}).status_code == 404
    assert entry.exercise.title not in client.get(reverse("logbook:index")).content.decode()
    assert client.post(reverse("logbook:share", args=[entry.pk])).status_code == 404
    assert not LogbookEntry.objects.readable_by_parent(staff).exists()
    entry.refresh_from_db()
    assert entry.version == 1 and not entry.is_shared
