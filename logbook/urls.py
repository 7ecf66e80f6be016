from django.urls import path

from . import views

app_name = "logbook"

urlpatterns = [
    path("", views.logbook_index, name="index"),
    path(
        "familie/<int:family_id>/ovelse/<int:exercise_id>/",
        views.exercise_entry,
        name="exercise",
    ),
    path(
        "familie/<int:family_id>/ovelse/<int:exercise_id>/moede/<int:session_id>/",
        views.entry_edit,
        name="entry",
    ),
    path("indlaeg/<int:entry_id>/del/", views.entry_share, name="share"),
    path("indlaeg/<int:entry_id>/fortryd-deling/", views.entry_unshare, name="unshare"),
]
