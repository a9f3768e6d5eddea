from django.urls import path

from alliance.fees import views

app_name = "fees"

urlpatterns = [
    path("fees/", views.aging_report, name="aging"),
    path("fees/payers/", views.payer_report, name="payers"),
    path("fees/export.csv", views.export_csv, name="export"),
    path("fees/settings/", views.settings_page, name="settings"),
    path("fees/agencies/<int:agency_id>/", views.agency_policy, name="agency_policy"),
    path("fees/programs/<int:program_id>/", views.schedule_page, name="schedule"),
    path("fees/programs/<int:program_id>/scale/", views.load_scale, name="load_scale"),
    path("fees/programs/<int:program_id>/charge-sessions/", views.generate, name="generate"),
    path("fees/enrollments/<int:enrollment_id>/", views.account_page, name="account"),
    path("fees/enrollments/<int:enrollment_id>/assess/", views.assess, name="assess"),
    path("fees/enrollments/<int:enrollment_id>/charge/", views.charge, name="charge"),
    path("fees/enrollments/<int:enrollment_id>/payment/", views.payment, name="payment"),
    path("fees/enrollments/<int:enrollment_id>/refund/", views.refund, name="refund"),
    path("fees/enrollments/<int:enrollment_id>/waiver/", views.request_waiver, name="waiver"),
    path(
        "fees/enrollments/<int:enrollment_id>/statement.pdf",
        views.statement_pdf,
        name="statement",
    ),
    path("fees/entries/<int:entry_id>/receipt.pdf", views.receipt, name="receipt"),
    path("fees/entries/<int:entry_id>/reverse/", views.reverse, name="reverse"),
    path("fees/waivers/<int:waiver_id>/decide/", views.decide_waiver, name="decide_waiver"),
]
