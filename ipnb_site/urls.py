from django.contrib import admin
from django.urls import include, path

from ipnb_site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("crisis/", views.crisis, name="crisis"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/two-step/", include("mfa.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("activity.urls")),
    path("practices/", include("practices.urls")),
    path("journal/", include("journal.urls")),
    path("reminders/", include("reminders.urls")),
    path("push/", include("push.urls")),
    # Your data and the report keep the addresses they had under progress.
    path("progress/", include("portability.urls")),
    path("progress/", include("progress.urls")),
    # A person's share links (/progress/share/) and the shared report (/shared/<token>/).
    path("", include("sharing.urls")),
    path("admin/", admin.site.urls),
    # The manifest, the service worker (at the root: its scope is the whole site) and their pages.
    path("", include("pwa.urls")),
]

handler400 = "ipnb_site.views.bad_request"
handler500 = "ipnb_site.views.server_error"
