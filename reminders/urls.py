from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("preferences/", views.preferences, name="preferences"),
    path("<uuid:public_id>/", views.row, name="row"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/delete/", views.delete, name="delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
