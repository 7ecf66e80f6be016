"""No page any user can reach answers with a server error.

Each role follows every link from its start page (``tests.crawl``: GET only, so nothing is
changed) on the seeded demo data and on factory data of two municipalities, and every
page must answer below 500. A failing page is reported with its address, where it was
linked from and its traceback.
"""

import logging

import pytest
from django.core.management import call_command

from cms.models import Role, User
from tests.crawl import crawl
from tests.factories import EditorFactory, TrainerFactory, UserFactory

from .test_tenancy_walk import build_world

pytestmark = pytest.mark.django_db

BUDGET = 150  # pages per user; ``per_shape`` keeps it to distinct screens


@pytest.fixture(autouse=True)
def quiet_request_log():
    """The crawl reports a failing page itself; Django's log of it would only repeat it."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def server_errors(user):
    pages = crawl(user, budget=BUDGET, per_shape=1)
    assert len(pages) > 3, f"{user} reached only {[page.url for page in pages]}"
    return [
        f"{page.status} {page.url} (linked from {page.found_on})\n{page.error or ''}"
        for page in pages
        if page.status >= 500
    ]


def demo_users():
    """One of each role in each demo municipality, the national roles and a superuser."""
    users = []
    for role in (Role.FOSTER_PARENT, Role.SUPERVISOR, Role.COORDINATOR):
        for municipality in ("vejle", "odense"):
            users.append(
                User.objects.with_role(role).filter(municipality__slug=municipality).first()
            )
    users += [User.objects.with_role(role).first() for role in (Role.TRAINER, Role.EDITOR)]
    users.append(User.objects.filter(is_superuser=True).first())
    return [user for user in users if user is not None]


def test_no_page_of_the_demo_fails_for_any_role():
    call_command("seed_demo", stdout=None)
    users = demo_users()
    assert len(users) == 9
    errors = {str(user): server_errors(user) for user in users}
    assert not any(errors.values()), errors


def test_no_page_fails_for_any_role_on_factory_data_of_two_municipalities(make_module):
    from tests.supervision.factories import ThemeFactory

    module, theme = make_module(1), ThemeFactory()
    worlds = [
        build_world("Zebrakant", "Q.X.Zeb", module, theme),
        build_world("Kolibrisk", "Q.Y.Kol", module, theme),
    ]
    users = [user for world in worlds for user in world["people"].values()]
    users += [TrainerFactory(), EditorFactory(), UserFactory(is_superuser=True, municipality=None)]
    errors = {str(user): server_errors(user) for user in users}
    assert not any(errors.values()), errors
