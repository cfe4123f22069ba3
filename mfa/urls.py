from django.urls import path

from mfa import views

app_name = "mfa"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("authenticator/", views.authenticator_setup, name="authenticator_setup"),
    path("authenticator/remove/", views.authenticator_remove, name="authenticator_remove"),
    path("recovery-codes/", views.recovery_codes_regenerate, name="recovery_codes"),
    path("off/", views.turn_off, name="turn_off"),
    path("passkeys/add/", views.passkey_add, name="passkey_add"),
    path("passkeys/<uuid:public_id>/remove/", views.passkey_remove, name="passkey_remove"),
    path("passkeys/options/<slug:purpose>/", views.passkey_options, name="passkey_options"),
    path("passkeys/sign-in/", views.passkey_sign_in, name="passkey_sign_in"),
    path("second-step/", views.second_step, name="second_step"),
    path("confirm/", views.confirm, name="confirm"),
]
