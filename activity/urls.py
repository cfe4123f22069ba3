from django.urls import path

from activity import views

app_name = "activity"

urlpatterns = [
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<uuid:public_id>/sign-out/", views.sign_out_device, name="sign_out_device"),
    path("sessions/sign-out-others/", views.sign_out_others, name="sign_out_others"),
    path("activity/", views.activity_log, name="activity"),
]
