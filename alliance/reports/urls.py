from django.urls import path

from alliance.reports import views

urlpatterns = [
    path(
        "enrollments/<int:enrollment_id>/reports/",
        views.enrollment_reports,
        name="enrollment-reports",
    ),
    path(
        "enrollments/<int:enrollment_id>/reports/<slug:kind>/",
        views.enrollment_document,
        name="enrollment-document",
    ),
    path("reports/sent/<int:document_id>.pdf", views.sent_document_pdf, name="sent-document-pdf"),
    path("programs/<int:program_id>/reports/", views.program_reports, name="program-reports"),
    path(
        "programs/<int:program_id>/reports/monthly/",
        views.monthly_report,
        name="monthly-report",
    ),
]
