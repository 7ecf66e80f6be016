"""Each parent's progress in a module, for the module page (a course page, which cannot
import the logbook: the composition lends it this tag)."""

from django import template

from logbook.completion import family_progress
from supervision.models import FosterFamily

register = template.Library()


@register.simple_tag(takes_context=True)
def families_progress(context, module):
    """The reader's families' progress in ``module``, parent by parent (none for staff)."""
    user = context["request"].user
    if not user.is_authenticated or not user.is_foster_parent:
        return []
    families = list(FosterFamily.objects.of_parent(user))
    progress = family_progress(families, [module])
    return [progress[(family.pk, module.pk)] for family in families]
