from django.urls import path

from alliance.safety import report_views, views

urlpatterns = [
    path("safety/", views.home, name="safety-home"),
    path("safety/partners/new/", views.partner_new, name="safety-partner-new"),
    path("safety/partners/<int:partner_id>/", views.partner, name="safety-partner"),
    path(
        "safety/partners/<int:partner_id>/history/",
        views.partner_history,
        name="safety-partner-history",
    ),
    path("safety/partners/<int:partner_id>/edit/", views.partner_edit, name="safety-partner-edit"),
    path(
        "safety/partners/<int:partner_id>/releases/", views.release_add, name="safety-release-add"
    ),
    path(
        "safety/releases/<int:release_id>/revoke/",
        views.release_revoke,
        name="safety-release-revoke",
    ),
    path(
        "safety/partners/<int:partner_id>/concerns/", views.concern_add, name="safety-concern-add"
    ),
    path(
        "safety/concerns/<int:concern_id>/resolve/",
        views.concern_resolve,
        name="safety-concern-resolve",
    ),
    path(
        "safety/partners/<int:partner_id>/contacts/", views.contact_add, name="safety-contact-add"
    ),
    path(
        "safety/notifications/<int:notification_id>/",
        views.notification,
        name="safety-notification",
    ),
    path(
        "safety/notifications/<int:notification_id>/cancel/",
        views.notification_cancel,
        name="safety-notification-cancel",
    ),
    path("safety/break-glass/", views.break_glass, name="safety-break-glass"),
    # Partner reports (her consent, her reports, her release of the flag) and the signal.
    path(
        "safety/partners/<int:partner_id>/report-consent/",
        report_views.consent_add,
        name="safety-report-consent-add",
    ),
    path(
        "safety/report-consents/<int:consent_id>/withdraw/",
        report_views.consent_withdraw,
        name="safety-report-consent-withdraw",
    ),
    path(
        "safety/partners/<int:partner_id>/reports/",
        report_views.report_add,
        name="safety-report-add",
    ),
    path(
        "safety/partners/<int:partner_id>/flag-releases/",
        report_views.flag_release_add,
        name="safety-flag-release-add",
    ),
    path(
        "safety/flag-releases/<int:flag_release_id>/withdraw/",
        report_views.flag_release_withdraw,
        name="safety-flag-release-withdraw",
    ),
    path("safety/discrepancies/", report_views.signals, name="safety-signals"),
    path(
        "safety/discrepancies/<int:participant_id>/",
        report_views.man_signal,
        name="safety-man-signal",
    ),
]
