"""Wagtail templates we override only to translate what Wagtail left in English (or
printed as Python's "None") stay Wagtail's own templates but for that: after a Wagtail
upgrade this test names the override to copy again from the new template."""

from pathlib import Path

import pytest
import wagtail

ROOT = Path(__file__).resolve().parents[2]
WAGTAIL = Path(wagtail.__file__).parent

PAGE_LABEL = (
    "{% formattedfield field=form.page sr_only_label=True %}",
    '{% translate "Page" as page_label %}'
    "{% formattedfield field=form.page sr_only_label=True label_text=page_label %}",
)
# Override -> the (Wagtail's text, ours) replacements that make it.
OVERRIDES = {
    "wagtailadmin/home.html": [('value="Search"', 'value="{% translate "Search" %}"')],
    "wagtailadmin/shared/header.html": [('value="Search"', 'value="{% translate "Search" %}"')],
    "wagtailadmin/shared/headers/_actions.html": [
        ("{# Actions divider #}\n", "{% load i18n %}{# Actions divider #}\n"),
        ('aria-label="Actions"', 'aria-label="{% translate "Actions" %}"'),
    ],
    # An empty field of an inspected object printed "None".
    "wagtailadmin/generic/inspect.html": [
        ("{{ field.value|localize }}", '{{ field.value|default_if_none:"–"|localize }}')
    ],
    # The page choosers of a workflow and of a group's page permissions were labelled by
    # their field's name, "Page".
    "wagtailadmin/workflows/includes/workflow_pages_form.html": [PAGE_LABEL],
    "wagtailusers/groups/includes/page_permissions_form.html": [PAGE_LABEL],
    # A side panel without a count printed a (hidden) "None".
    "wagtailadmin/shared/side_panel_toggle.html": [
        ("{{ count|intcomma }}", "{% if count %}{{ count|intcomma }}{% endif %}")
    ],
    # A page published by no one (a script, scheduled publishing) read "None".
    "wagtailadmin/shared/user_avatar.html": [
        ("{% load wagtailadmin_tags %}", "{% load i18n wagtailadmin_tags %}"),
        (
            "{% if not username %}{{ user }}{% else %}{{ username }}{% endif %}",
            "{% if username %}{{ username }}{% elif user %}{{ user }}"
            '{% else %}{% translate "system" %}{% endif %}',
        ),
    ],
}


@pytest.mark.parametrize("name", sorted(OVERRIDES))
def test_override_is_wagtails_template_with_only_the_translation_added(name):
    (wagtails_template,) = WAGTAIL.glob(f"*/templates/{name}")
    expected = wagtails_template.read_text()
    for wagtails, ours in OVERRIDES[name]:
        assert expected.count(wagtails) == 1, f"Wagtail changed {name}: copy it again"
        expected = expected.replace(wagtails, ours)
    assert (ROOT / "templates" / name).read_text() == expected
