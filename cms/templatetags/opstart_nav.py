"""The main menu of the public site, with ``aria-current`` on the section the page is in."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from courses.models import CourseIndexPage

register = template.Library()


@register.simple_tag(takes_context=True)
def catalogue_url(context):
    """The module catalogue's address, looked up once per request (menu and page share it)."""
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_opstart_catalogue_url"):
        catalogue = CourseIndexPage.objects.live().first()
        request._opstart_catalogue_url = catalogue.get_url(request) if catalogue else None
    return request._opstart_catalogue_url


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Menu items ``(label, url, current)``: a foster parent's four sections, staff's admin.

    The current item is the one whose address the page's path starts with (the longest
    match wins), so a lesson page marks "Modules" current.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not user.is_authenticated:
        return []
    items = []
    if user.is_foster_parent:
        items += [
            (_("My page"), reverse("family-dashboard")),
            (_("Modules"), catalogue_url(context)),
            (_("Logbook"), reverse("logbook:index")),
            (_("Search"), reverse("courses:search")),
        ]
    if user.has_perm("wagtailadmin.access_admin"):
        items.append((_("Staff area"), reverse("wagtailadmin_home")))
    items = [(label, url) for label, url in items if url]
    matches = [url for _label, url in items if request.path.startswith(url) and url != "/"]
    current = max(matches, key=len, default=None)
    return [(label, url, url == current) for label, url in items]
