from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("soeg/", views.search, name="search"),
    path("forloeb/fortsaet/", views.continue_learning, name="continue"),
    path(
        "forloeb/lektion/<int:lesson_id>/svar/",
        views.answer_knowledge_check,
        name="answer-knowledge-check",
    ),
    path(
        "forloeb/lektion/<int:lesson_id>/faerdig/",
        views.complete_lesson,
        name="complete-lesson",
    ),
]
