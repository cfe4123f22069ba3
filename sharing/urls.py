from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("progress/share/", views.links, name="links"),
    path("progress/share/<uuid:public_id>/stop/", views.revoke, name="revoke"),
    # Opened by the person's therapist, with no session: the token is the key.
    path("shared/<str:token>/", views.shared_report, name="shared_report"),
    path("shared/<str:token>/report.pdf", views.shared_report_pdf, name="shared_report_pdf"),
]
