from django.urls import path

from progress import views

app_name = "progress"

urlpatterns = [
    path("patterns/", views.patterns, name="patterns"),
    path("name/", views.set_name, name="name"),
    path("rest-days/", views.rest_days, name="rest_days"),
]
