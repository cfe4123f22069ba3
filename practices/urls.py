from django.urls import path

from practices import views

app_name = "practices"

session = "sessions/<uuid:public_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("history/", views.history, name="history"),
    path("log/", views.log_practice, name="log"),
    path(session, views.session, name="session"),
    path(session + "before/", views.check_in_before, name="check_in_before"),
    path(session + "next/", views.next_step, name="next_step"),
    path(session + "pause/", views.pause, name="pause"),
    path(session + "resume/", views.resume, name="resume"),
    path(session + "finish/", views.finish, name="finish"),
    path(session + "after/", views.check_in_after, name="check_in_after"),
    path(session + "keep-alive/", views.keep_alive, name="keep_alive"),
    path(session + "note/", views.edit_note, name="edit_note"),
    path(session + "close/", views.close_session, name="close_session"),
    path(session + "delete/", views.delete_session, name="delete_session"),
    # Last, so the fixed pages above win (their names are reserved slugs).
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/begin/", views.begin, name="begin"),
    path("<slug:slug>/on-this-device/", views.on_this_device, name="on_this_device"),
]
