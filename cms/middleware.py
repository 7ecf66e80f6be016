"""Middleware of the site: the chosen language, the Wagtail site of a request, and a
refused delete answered with its reason.

Danish first: the language is the visitor's explicit choice, else their profile, else
Danish. Django's LocaleMiddleware would fall back to the browser's Accept-Language
header; a Danish public service starts in Danish whatever the browser says.
"""

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import redirect
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.models import Site

SITES_KEY = "opstart:sites"
SITES_TIMEOUT = 60 * 60  # a safety net; cms.signals forgets the entry when a site changes


def chosen_language(request):
    choice = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if choice in dict(settings.LANGUAGES):
        return choice
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.language
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.setdefault("Vary", "Cookie")
        return response


class SiteMiddleware:
    """Find the request's Wagtail site in the shared cache instead of one query per request.

    Wagtail looks the site up by host and port on every page and every page link, and
    then its root page to route from; the answers only change when a site or a page
    does. Wagtail keeps the site it finds on the request (``request._wagtail_site``), so
    filling that in is all it takes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # get_host() refuses a host outside ALLOWED_HOSTS (a 400), so the cached map
        # only ever holds the site's own names, whatever Host headers arrive.
        host = (request.get_host(), request.get_port())
        sites = cache.get(SITES_KEY) or {}
        if host not in sites:
            site = Site._find_for_request(request)
            if site is not None:
                site.root_page = site.root_page.specific  # where Wagtail's routing starts
            sites[host] = site
            cache.set(SITES_KEY, sites, SITES_TIMEOUT)
        request._wagtail_site = sites[host]
        return self.get_response(request)


class ProtectedDeletionMiddleware:
    """A delete the database refuses (``PROTECT``, ``RESTRICT``) is answered with the
    reason, never a server error: the user is sent back to the page they posted from
    with what still uses the object, counted by kind (names could be another
    municipality's). The delete was rolled back with its transaction.

    The safety net behind the checks that refuse such deletes up front (the exercise
    delete view, ``cms.portal.deletion``), for any path they do not cover.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "POST" or not isinstance(exception, ProtectedError | RestrictedError):
            return None
        objects = getattr(exception, "protected_objects", None) or exception.restricted_objects
        kinds = Counter(str(capfirst(obj._meta.verbose_name_plural)) for obj in objects)
        messages.error(
            request,
            _("This cannot be deleted while other records use it: %(uses)s.")
            % {"uses": ", ".join(f"{kind}: {count}" for kind, count in sorted(kinds.items()))},
        )
        return redirect(request.get_full_path())
