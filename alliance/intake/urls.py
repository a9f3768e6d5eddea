from django.urls import path

from alliance.intake import agreement_views, views

urlpatterns = [
    path("intake/", views.intake_home, name="intake-home"),
    path("enrollments/<int:enrollment_id>/intake/", views.intake_record, name="intake-record"),
    path(
        "enrollments/<int:enrollment_id>/intake/appointments/",
        views.add_appointment,
        name="intake-appointment-new",
    ),
    path(
        "intake/appointments/<int:appointment_id>/status/",
        views.appointment_status,
        name="intake-appointment-status",
    ),
    path(
        "enrollments/<int:enrollment_id>/intake/assessment/",
        views.assessment,
        name="intake-assessment",
    ),
    path(
        "enrollments/<int:enrollment_id>/intake/collateral/",
        views.add_collateral,
        name="intake-collateral",
    ),
    path(
        "enrollments/<int:enrollment_id>/intake/risk-scores/",
        views.add_risk_score,
        name="intake-risk-score",
    ),
    path(
        "enrollments/<int:enrollment_id>/intake/placement/",
        views.add_placement,
        name="intake-placement",
    ),
    path(
        "enrollments/<int:enrollment_id>/treatment-plan/",
        views.treatment_plan,
        name="treatment-plan",
    ),
    path(
        "programs/<int:program_id>/agreement/",
        agreement_views.agreement_text,
        name="agreement-text",
    ),
    path(
        "enrollments/<int:enrollment_id>/agreement/sign/",
        agreement_views.sign_on_tablet,
        name="agreement-sign",
    ),
    path(
        "enrollments/<int:enrollment_id>/agreement/link/",
        agreement_views.agreement_link,
        name="agreement-link",
    ),
    path("a/<str:token>/", agreement_views.sign_by_phone, name="agreement-phone"),
    path("agreements/<int:agreement_id>/pdf/", agreement_views.agreement_pdf, name="agreement-pdf"),
    path(
        "participants/<int:participant_id>/documents/",
        agreement_views.add_document,
        name="document-upload",
    ),
    path("documents/<int:document_id>/", agreement_views.download_document, name="document"),
]
