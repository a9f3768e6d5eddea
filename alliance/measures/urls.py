from django.urls import path

from alliance.measures.administration import respond
from alliance.measures.administration import views as administration
from alliance.measures.alerts import views as alerts
from alliance.measures.configuration import views as configuration
from alliance.measures.releases import views as releases
from alliance.measures.statistics import views as statistics

urlpatterns = [
    # A man's own pages: no login, nothing else reachable from them.
    path("r/<str:token>/", respond.link_form, name="measures-link"),
    path("r/<str:token>/save/", respond.link_save, name="measures-link-save"),
    path("kiosk/<str:token>/", respond.kiosk_home, name="kiosk"),
    path("kiosk/<str:token>/man/<int:enrollment_id>/", respond.kiosk_pin, name="kiosk-pin"),
    path("kiosk/<str:token>/checkout/", respond.kiosk_checkout, name="kiosk-checkout"),
    path("kiosk/<str:token>/checkout/save/", respond.kiosk_save, name="kiosk-save"),
    # Staff.
    path("sessions/<int:session_id>/kiosk/", administration.open_kiosk_view, name="kiosk-open"),
    path("kiosks/<int:kiosk_id>/close/", administration.close_kiosk_view, name="kiosk-close"),
    path("sessions/<int:session_id>/missed/", alerts.flag_missed_view, name="flag-missed"),
    path(
        "sessions/<int:session_id>/ratings/<int:enrollment_id>/",
        administration.rate_view,
        name="rate-man",
    ),
    path(
        "enrollments/<int:enrollment_id>/measures/paper/",
        administration.paper_form,
        name="paper-form",
    ),
    path(
        "enrollments/<int:enrollment_id>/measures/link/",
        administration.create_link_view,
        name="create-link",
    ),
    path(
        "enrollments/<int:enrollment_id>/measures/pin/",
        administration.issue_pin_view,
        name="issue-pin",
    ),
    path(
        "enrollments/<int:enrollment_id>/releases/",
        releases.score_releases_view,
        name="measure-releases",
    ),
    path(
        "releases/<int:release_id>/revoke/",
        releases.revoke_score_release_view,
        name="release-revoke",
    ),
    path("alerts/<int:alert_id>/acknowledge/", alerts.acknowledge_view, name="alert-acknowledge"),
    path("groups/<int:group_id>/checkouts/", statistics.group_checkouts, name="group-checkouts"),
    path("groups/<int:group_id>/zones/", statistics.group_zone_map, name="group-zones"),
    path(
        "programs/<int:program_id>/measures/",
        statistics.program_measures,
        name="program-measures",
    ),
    path(
        "programs/<int:program_id>/measures/fhir-answers.json",
        statistics.program_fhir_answers,
        name="program-fhir-answers",
    ),
    path(
        "programs/<int:program_id>/measures/settings/",
        configuration.program_settings_view,
        name="program-measure-settings",
    ),
    path(
        "programs/<int:program_id>/measures/zones/",
        configuration.zone_settings_view,
        name="program-zone-settings",
    ),
    path(
        "programs/<int:program_id>/measures/schedule/",
        configuration.schedule_add_view,
        name="program-schedule-add",
    ),
    path(
        "programs/<int:program_id>/measures/schedule/<int:entry_id>/remove/",
        configuration.schedule_remove_view,
        name="program-schedule-remove",
    ),
]
