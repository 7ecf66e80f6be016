"""Danish first: the language is the visitor's explicit choice, else their profile, else Danish.

Django's LocaleMiddleware would fall back to the browser's Accept-Language header; a
Danish public service starts in Danish whatever the browser says.
"""

from django.conf import settings
from django.utils import translation


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
