"""The municipality most supervision tests work in, and its coordinator logged in."""

import pytest

from cms.roles import sync_role_groups
from tests.factories import CoordinatorFactory, MunicipalityFactory


@pytest.fixture
def home(db):
    sync_role_groups()
    return MunicipalityFactory(name="Vejle Kommune", slug="vejle")


@pytest.fixture
def staff(client, home):
    user = CoordinatorFactory(municipality=home)
    client.force_login(user)
    return user
