"""A chooser's posted value that is no id at all is refused next to the field; the form
comes back instead of a server error (Wagtail's choosers look the value up to show it)."""

import pytest
from django.urls import reverse

from cms.roles import sync_role_groups
from tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("namespace", "field"),
    [
        ("fosterfamily", "family_type"),  # a snippet chooser
        ("modulesession", "module"),  # a page chooser
        ("themesupervision", "theme"),
    ],
)
def test_a_chooser_given_text_is_refused_next_to_the_field(client, namespace, field):
    sync_role_groups()
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    data = {"municipality": coordinator.municipality_id, field: "<script>alert(1)</script>"}
    response = client.post(reverse(f"{namespace}:add"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
