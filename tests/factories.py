"""Factories for every model the tests need; no fixture files."""

import datetime
import time

import factory
from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from cms.models import Municipality, Role, User
from courses.models import FamilyType, ModuleKind
from supervision.models import Cohort, FosterFamily, Placement


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Kommune {n}")
    slug = factory.Sequence(lambda n: f"kommune-{n}")
    contact_email = factory.LazyAttribute(lambda m: f"familiepleje@{m.slug}.example.dk")


TEST_PASSWORD = "Test-password-123"


def role_hook(default=None):
    """Post-generation hook: ``UserFactory(role=Role.SUPERVISOR)`` puts the user in its group."""

    def add_role(user, create, extracted, **kwargs):
        role = extracted or default
        if create and role:
            user.groups.add(Group.objects.get_or_create(name=Role(role).value)[0])

    return factory.PostGeneration(add_role)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.dk")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    municipality = factory.SubFactory(MunicipalityFactory)
    password = factory.django.Password(TEST_PASSWORD)
    role = role_hook()


def authenticator(user):
    """The user's confirmed authenticator app (TOTP), made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def totp_code(device):
    """The code the app shows now, as a person would type it: a code is taken once, so
    after one was used in this 30-second step, the next step's (accepted one step early)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while totp.t() < device.last_t + 1 - device.tolerance:
        time.sleep(1)  # used up to the step after this one: wait for the clock
    totp.time = max(time.time(), device.t0 + (device.last_t + 1 - device.drift) * device.step)
    return f"{totp.token():0{device.digits}d}"


class FosterParentFactory(UserFactory):
    role = role_hook(Role.FOSTER_PARENT)


class TrainerFactory(UserFactory):
    municipality = None
    role = role_hook(Role.TRAINER)


class EditorFactory(UserFactory):
    municipality = None
    role = role_hook(Role.EDITOR)


class SupervisorFactory(UserFactory):
    role = role_hook(Role.SUPERVISOR)


class CoordinatorFactory(UserFactory):
    role = role_hook(Role.COORDINATOR)


class FamilyTypeFactory(DjangoModelFactory):
    class Meta:
        model = FamilyType
        django_get_or_create = ["slug"]

    name = "Almen plejefamilie"
    slug = "almen"


class ModuleKindFactory(DjangoModelFactory):
    class Meta:
        model = ModuleKind
        django_get_or_create = ["slug"]

    name = "Generelt modul"
    slug = "general"


class FosterFamilyFactory(DjangoModelFactory):
    class Meta:
        model = FosterFamily
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Familien {n}")
    family_type = factory.SubFactory(FamilyTypeFactory)

    @factory.post_generation
    def parents(self, create, extracted, **kwargs):
        if create and extracted:
            self.parents.set(extracted)
            self.save()  # parental many-to-many relations are written on save


class PlacementFactory(DjangoModelFactory):
    class Meta:
        model = Placement

    family = factory.SubFactory(FosterFamilyFactory)
    child_name = "A.B."
    birth_year = 2018
    start_date = datetime.date(2026, 9, 1)


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Hold {n}")
    year = 2026

    @factory.post_generation
    def families(self, create, extracted, **kwargs):
        if create and extracted:
            self.families.set(extracted)
            self.save()  # parental many-to-many relations are written on save
