"""The main menu and footer of the public site, with ``aria-current`` on the current section.

The addresses of the catalogue and of the footer's pages are national content, the same
for every user, and so are municipality names: they are kept in the shared cache so
that no page pays queries for them, and ``cms.portal.signals`` forgets them whenever a page is
published, unpublished, moved or deleted, or the footer settings or a municipality
change.
"""

from django import template
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.models import FooterSettings, Municipality, Role
from courses.models import CourseIndexPage

register = template.Library()

SITE_LINKS_KEY = "opstart:site-links"
MUNICIPALITY_NAMES_KEY = "opstart:municipality-names"
SITE_LINKS_TIMEOUT = 60 * 60  # a safety net; the signals forget the entries at once


def site_links(request):
    """``{"catalogue", "accessibility_statement", "privacy_policy"}`` addresses (or None)."""
    if not hasattr(request, "_opstart_site_links"):
        links = cache.get(SITE_LINKS_KEY)
        if links is None:
            catalogue = CourseIndexPage.objects.live().first()
            footer = FooterSettings.load(request_or_site=request)
            links = {
                "catalogue": catalogue,
                "accessibility_statement": footer.accessibility_statement,
                "privacy_policy": footer.privacy_policy,
            }
            links = {key: page.get_url(request) if page else None for key, page in links.items()}
            cache.set(SITE_LINKS_KEY, links, SITE_LINKS_TIMEOUT)
        request._opstart_site_links = links
    return request._opstart_site_links


@register.simple_tag(takes_context=True)
def catalogue_url(context):
    """The module catalogue's address (menu and page share one lookup)."""
    request = context.get("request")
    return site_links(request)["catalogue"] if request is not None else None


@register.simple_tag(takes_context=True)
def footer_links(context):
    """``(label, url)`` of the footer's pages; the accessibility statement is required by law."""
    request = context.get("request")
    if request is None:
        return []
    links = site_links(request)
    items = [
        (_("Accessibility statement"), links["accessibility_statement"]),
        (_("Privacy"), links["privacy_policy"]),
    ]
    return [(label, url) for label, url in items if url]


@register.simple_tag
def municipality_name(user):
    """The name of the user's municipality for the page header, from the shared cache.

    Municipality names are public (about a hundred), so one cached map serves everyone.
    """
    if not user.municipality_id:
        return ""
    names = cache.get(MUNICIPALITY_NAMES_KEY)
    if names is None:
        names = dict(Municipality.objects.values_list("pk", "name"))
        cache.set(MUNICIPALITY_NAMES_KEY, names, SITE_LINKS_TIMEOUT)
    return names.get(user.municipality_id) or str(user.municipality)


def may_open_admin(user):
    """Staff roles may open the admin; a family's login never queries the permission tables."""
    if not (user.is_superuser or user.roles - {Role.FOSTER_PARENT}):
        return False
    return user.has_perm("wagtailadmin.access_admin")


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
    if may_open_admin(user):
        items.append((_("Staff area"), reverse("wagtailadmin_home")))
    items = [(label, url) for label, url in items if url]
    matches = [url for _label, url in items if request.path.startswith(url) and url != "/"]
    current = max(matches, key=len, default=None)
    return [(label, url, url == current) for label, url in items]
