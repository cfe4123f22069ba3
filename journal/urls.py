from django.urls import path

from journal import views

app_name = "journal"

urlpatterns = [
    path("", views.index, name="index"),
    path("prompt/", views.prompt, name="prompt"),
    path("new/", views.new_entry, name="new"),
    path("new/autosave/", views.autosave_new, name="autosave_new"),
    path("new/feelings/", views.feeling_rows, name="feeling_rows"),
    path("<uuid:public_id>/", views.entry_detail, name="entry"),
    path("<uuid:public_id>/edit/", views.edit_entry, name="edit"),
    path("<uuid:public_id>/autosave/", views.autosave_entry, name="autosave"),
    path("<uuid:public_id>/delete/", views.delete_entry, name="delete"),
    path("<uuid:public_id>/restore/", views.restore_entry, name="restore"),
    path("feelings/<uuid:public_id>/after/", views.rerate_emotion, name="rerate"),
    path("feel/", views.quick_feeling, name="feel"),
    path("faces/", views.faces, name="faces"),
    path("check-in/", views.check_in, name="check_in"),
    path("check-in/<uuid:public_id>/delete/", views.delete_check_in, name="delete_check_in"),
    path("check-in/<uuid:public_id>/restore/", views.restore_check_in, name="restore_check_in"),
    path("repair/", views.ruptures, name="ruptures"),
    path("repair/new/", views.new_rupture, name="new_rupture"),
    path("repair/<uuid:public_id>/", views.edit_rupture, name="edit_rupture"),
    path("repair/<uuid:public_id>/delete/", views.delete_rupture, name="delete_rupture"),
    path("repair/<uuid:public_id>/restore/", views.restore_rupture, name="restore_rupture"),
    path("search/", views.search, name="search"),
    path("window/", views.window_map, name="window"),
    path("window/now/", views.window_check_in, name="window_check_in"),
    path(
        "window/now/<uuid:public_id>/undo/",
        views.window_check_in_undo,
        name="window_check_in_undo",
    ),
    path("look-back/", views.look_back, name="look_back"),
    path("look-back/plan/", views.look_back_plan, name="look_back_plan"),
]
