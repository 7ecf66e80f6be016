"""The admin's create and edit of placements and sessions, through ``services``.

Wagtail saves an object through its registered action (validation, saving, the audit
log); these actions keep all of that and only replace the saving with the service, so
the admin, the family views, tasks, seeding and tests change state the same way.
"""

from wagtail.actions.create import CreateAction
from wagtail.actions.edit import EditAction

from . import services


def participants(form):
    """The chosen supervisors and families (None where the form has no such field)."""
    return form.cleaned_data.get("supervisors"), form.cleaned_data.get("families")


def with_inline_changes(action):
    """The instance with its form's inline rows (the child's plan) put on it in memory;
    the service's save writes them with the placement (a cluster saves its children)."""
    if action.form is not None:
        action.instance = action.form.save(commit=False)
    return action.instance


class RegisterPlacementAction(CreateAction):
    def _save_instance(self):
        services.register_placement(with_inline_changes(self))


class ChangePlacementAction(EditAction):
    def _save_instance(self):
        services.change_placement(with_inline_changes(self))


class ScheduleSessionAction(CreateAction):
    def _save_instance(self):
        supervisors, families = participants(self.form)
        services.schedule_session(self.instance, supervisors, families or ())


class ChangeSessionAction(EditAction):
    def _save_instance(self):
        supervisors, families = participants(self.form)
        services.change_session(self.instance, supervisors, families)
