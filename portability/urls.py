from django.urls import path

from portability import views

app_name = "portability"

urlpatterns = [
    path("data/", views.your_data, name="data"),
    path("data/riverwise.json", views.download_json, name="download_json"),
    path("data/riverwise-csv.zip", views.download_csv, name="download_csv"),
    path("data/import/", views.import_upload, name="import_upload"),
    path("data/import/<uuid:public_id>/", views.import_preview, name="import_preview"),
    path("data/import/<uuid:public_id>/cancel/", views.import_cancel, name="import_cancel"),
    path("data/import-history/", views.history_upload, name="history_upload"),
    path("data/import-history/<uuid:public_id>/", views.history_preview, name="history_preview"),
    path("report/", views.report, name="report"),
    path("report/pdf/", views.report_pdf, name="report_pdf"),
]
