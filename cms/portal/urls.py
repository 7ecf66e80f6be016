from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.operations.media import media_urlpatterns
from cms.signin import views as signin_views

from . import views

urlpatterns = [
    # The admin's login is the site's: one flow with the second factor, no way around it.
    path("admin/login/", views.LoginView.as_view()),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("log-ind/", views.LoginView.as_view(), name="login"),
    path("log-ind/kode/", signin_views.enter_code, name="signin-code"),
    path("log-ind/to-trins/", signin_views.set_up_at_login, name="signin-set-up"),
    path("log-ind/gendannelseskoder/", signin_views.recovery_codes, name="recovery-codes"),
    path("log-ind/sso/<slug:slug>/", signin_views.sso_start, name="sso-start"),
    path("log-ind/sso/<slug:slug>/svar/", signin_views.sso_callback, name="sso-callback"),
    path("to-trins-login/", signin_views.own_two_factor, name="two-factor"),
    path("to-trins-login/opsaet/", signin_views.set_up, name="two-factor-set-up"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("glemt-adgangskode/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "glemt-adgangskode/sendt/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "nulstil/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "nulstil/faerdig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("adgangskode/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "adgangskode/skiftet/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("sprog/", views.switch_language, name="switch-language"),
    path("start/", views.start, name="start"),
    path("min-side/", views.family_dashboard, name="family-dashboard"),
    path("min-side/mine-data/", views.my_data, name="my-data"),
    path("min-side/mine-data/opstart-data.json", views.my_data_json, name="my-data-json"),
    path("min-side/mine-data/opstart-data.pdf", views.my_data_pdf, name="my-data-pdf"),
    path("logbog/", include("logbook.urls")),
    path("", include("courses.urls")),
]

urlpatterns += media_urlpatterns()  # image files on local disk (cms.operations.media)
urlpatterns += [path("", include("supervision.urls"))]
urlpatterns += [path("", include(wagtail_urls))]
