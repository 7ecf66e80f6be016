"""Public forms in DKFDS markup: every answer of a scale or a checklist can be seen and
clicked (DKFDS hides the native input and draws it on the label that follows it)."""

import re

from logbook.forms import EntryForm
from logbook.models import ChecklistExercise, ScaleExercise

HIDDEN_BY_DKFDS = re.compile(r'<(\w+)[^>]*class="[^"]*\bform-(?:radio|checkbox)\b')


def rendered(exercise):
    return str(EntryForm(exercise, None, data={"answer_value": "2", "answer_checked": ["1"]}))


def options_followed_by_their_labels(html, kind):
    inputs = re.findall(
        rf'<input type="{kind}"[^>]*id="([^"]+)"[^>]*>\s*<label class="form-label" for="([^"]+)">',
        html,
    )
    return [(input_id, label_for) for input_id, label_for in inputs if input_id == label_for]


def test_scale_answers_are_visible_radios_each_followed_by_its_label():
    exercise = ScaleExercise(question="Hvordan gik det?", minimum=1, maximum=5)
    html = rendered(exercise)
    assert set(HIDDEN_BY_DKFDS.findall(html)) == {"input"}  # never the list around them
    assert len(options_followed_by_their_labels(html, "radio")) == 5
    assert re.search(r"<fieldset>\s*<legend class=\"form-label\">Hvordan gik det\?", html)
    assert re.search(r'<input type="radio"[^>]*value="2"[^>]*checked', html)


def test_checklist_items_are_visible_checkboxes_each_followed_by_its_label():
    exercise = ChecklistExercise(items="Læst bogen\nTalt med skolen\nLavet madplan")
    html = rendered(exercise)
    assert set(HIDDEN_BY_DKFDS.findall(html)) == {"input"}
    assert len(options_followed_by_their_labels(html, "checkbox")) == 3
    assert re.search(r'<input type="checkbox"[^>]*value="1"[^>]*checked', html)
