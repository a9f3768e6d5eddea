from django.urls import path

from alliance.measures import respond, views

urlpatterns = [
    # A man's own pages: no login, nothing else reachable from them.
    path("r/<str:token>/", respond.link_form, name="measures-link"),
    path("r/<str:token>/save/", respond.link_save, name="measures-link-save"),
    path("kiosk/<str:token>/", respond.kiosk_home, name="kiosk"),
    path("kiosk/<str:token>/man/<int:enrollment_id>/", respond.kiosk_pin, name="kiosk-pin"),
    path("kiosk/<str:token>/checkout/", respond.kiosk_checkout, name="kiosk-checkout"),
    path("kiosk/<str:token>/checkout/save/", respond.kiosk_save, name="kiosk-save"),
    # Staff.
    path("sessions/<int:session_id>/kiosk/", views.open_kiosk_view, name="kiosk-open"),
    path("kiosks/<int:kiosk_id>/close/", views.close_kiosk_view, name="kiosk-close"),
    path("sessions/<int:session_id>/missed/", views.flag_missed_view, name="flag-missed"),
    path(
        "sessions/<int:session_id>/ratings/<int:enrollment_id>/",
        views.rate_view,
        name="rate-man",
    ),
    path("enrollments/<int:enrollment_id>/measures/paper/", views.paper_form, name="paper-form"),
    path(
        "enrollments/<int:enrollment_id>/measures/link/",
        views.create_link_view,
        name="create-link",
    ),
    path("enrollments/<int:enrollment_id>/measures/pin/", views.issue_pin_view, name="issue-pin"),
    path(
        "enrollments/<int:enrollment_id>/releases/",
        views.releases_view,
        name="measure-releases",
    ),
    path("releases/<int:release_id>/revoke/", views.revoke_release_view, name="release-revoke"),
    path("alerts/<int:alert_id>/acknowledge/", views.acknowledge_view, name="alert-acknowledge"),
    path("groups/<int:group_id>/checkouts/", views.group_checkouts, name="group-checkouts"),
    path("programs/<int:program_id>/measures/", views.program_measures, name="program-measures"),
    path(
        "programs/<int:program_id>/measures/settings/",
        views.program_settings_view,
        name="program-measure-settings",
    ),
    path(
        "programs/<int:program_id>/measures/schedule/",
        views.schedule_add_view,
        name="program-schedule-add",
    ),
    path(
        "programs/<int:program_id>/measures/schedule/<int:entry_id>/remove/",
        views.schedule_remove_view,
        name="program-schedule-remove",
    ),
]
