from django.urls import path

from . import views

urlpatterns = [
    path("kalender/", views.calendar_settings, name="calendar-settings"),
    path("kalender/<slug:token>.ics", views.calendar_feed, name="calendar-feed"),
]
