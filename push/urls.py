from django.urls import path

from push import views

app_name = "push"

urlpatterns = [
    path("subscriptions/", views.subscribe, name="subscribe"),
    path("subscriptions/<uuid:public_id>/remove/", views.remove, name="remove"),
]
