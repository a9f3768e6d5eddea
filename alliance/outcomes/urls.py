from django.urls import path

from alliance.outcomes import views

urlpatterns = [
    path("evaluation/", views.evaluation, name="evaluation"),
    path("evaluation/report.pdf", views.evaluation_pdf, name="evaluation-pdf"),
    path("evaluation/export/", views.research_export_view, name="research-export"),
    path(
        "evaluation/export/<int:export_id>/",
        views.research_export_file,
        name="research-export-file",
    ),
    path(
        "evaluation/export/<int:export_id>/download",
        views.research_export_download,
        name="research-export-download",
    ),
    path("evaluation/follow-up/import/", views.import_follow_up_view, name="follow-up-import"),
]
