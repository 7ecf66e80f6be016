"""A person's calendar: the secret iCal feed and the page to manage it and reminders."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .calendar import build_calendar
from .forms import CalendarPreferencesForm
from .models import CalendarPreferences, Session

FEED_HISTORY = datetime.timedelta(days=90)


@never_cache
def calendar_feed(request, token):
    """The user's sessions as iCalendar; the token in the URL is the only credential."""
    preferences = get_object_or_404(
        CalendarPreferences.objects.select_related("user"), feed_token=token, user__is_active=True
    )
    sessions = (
        Session.objects.of_user(preferences.user)
        .active()
        .filter(end__gte=timezone.now() - FEED_HISTORY)
        .order_by("start")
    )
    return HttpResponse(
        build_calendar(sessions, name="Opstart"), content_type="text/calendar; charset=utf-8"
    )


@login_required
def calendar_settings(request):
    """Choose e-mail reminders; see, replace or revoke the personal feed address."""
    preferences = CalendarPreferences.of(request.user)
    form = CalendarPreferencesForm(
        request.POST if request.method == "POST" else None, instance=preferences
    )
    if request.method == "POST":
        if "new_feed_address" in request.POST:
            preferences.regenerate_feed_token()
            messages.success(request, _("Your calendar has a new address; the old one is closed."))
            return redirect("calendar-settings")
        if form.is_valid():
            form.save()
            messages.success(request, _("Your choice is saved."))
            return redirect("calendar-settings")
    feed_url = request.build_absolute_uri(reverse("calendar-feed", args=[preferences.feed_token]))
    return render(
        request, "supervision/calendar_settings.html", {"form": form, "feed_url": feed_url}
    )
