from django.contrib.auth import views as auth_views
from django.urls import include, path

from alliance.api.urls import settings_urlpatterns as api_settings_urls
from alliance.dashboard import views as dashboard
from alliance.organizations import views as organizations
from alliance.participants import competency_views as participant_competencies
from alliance.participants import import_views as caseload
from alliance.participants import views as participants
from alliance.programs import views as programs

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("", include("alliance.measures.urls")),
    path("", include("alliance.outcomes.urls")),
    path("", include("alliance.engagement.urls")),
    path("", include("alliance.practice.urls")),
    path("", include("alliance.reports.urls")),
    path("", include("alliance.portal.urls")),
    path("", include("alliance.rights.urls")),
    path("", include("alliance.organizations.urls")),
    path("", include("alliance.safety.urls")),
    path("", include("alliance.identity.urls")),
    path("", include("alliance.sms.urls")),
    path("", include("alliance.court.urls")),
    path("", include("alliance.incidents.urls")),
    path("", include("alliance.connection.urls")),
    path("", include("alliance.intake.urls")),
    path("", include("alliance.audit.urls")),
    path("", include("alliance.fees.urls")),
    path("", include("alliance.training.urls")),
    path("", include("alliance.programs.urls")),
    path("", include("alliance.api.urls")),
    path("", include(api_settings_urls)),
    path("login/", organizations.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("groups/<int:group_id>/", programs.group_roster, name="group"),
    path("groups/<int:group_id>/schedule/", programs.schedule_sessions, name="group-schedule"),
    path("sessions/<int:session_id>/", programs.session_page, name="session"),
    path("sessions/<int:session_id>/edit/", programs.edit_session, name="session-edit"),
    path(
        "sessions/<int:session_id>/attendance/<int:enrollment_id>/",
        programs.mark_attendance,
        name="mark-attendance",
    ),
    path(
        "sessions/<int:session_id>/attendance/everyone-present/",
        programs.mark_all_present,
        name="attendance-all-present",
    ),
    path("participants/", participants.participant_list, name="participants"),
    path("", include("alliance.participants.urls")),
    path("participants/new/", participants.new_referral, name="referral-new"),
    path("participants/import/", caseload.caseload_import, name="caseload-import"),
    path(
        "participants/import/template.csv",
        caseload.caseload_template_csv,
        name="caseload-template-csv",
    ),
    path(
        "participants/import/template.xlsx",
        caseload.caseload_template_xlsx,
        name="caseload-template-xlsx",
    ),
    path("participants/<int:participant_id>/", participants.participant_page, name="participant"),
    path(
        "participants/<int:participant_id>/history/",
        participants.participant_history,
        name="participant-history",
    ),
    path(
        "enrollments/<int:enrollment_id>/competencies/sign-off/",
        participant_competencies.sign_off,
        name="competency-sign-off",
    ),
    path(
        "competency-sign-offs/<int:sign_off_id>/review/",
        participant_competencies.review,
        name="competency-review",
    ),
    path(
        "enrollments/<int:enrollment_id>/leave/",
        participant_competencies.leave,
        name="enrollment-leave",
    ),
    path(
        "sessions/<int:session_id>/attendance/<int:enrollment_id>/details/",
        programs.attendance_details,
        name="attendance-details",
    ),
    path("sessions/<int:session_id>/times/", programs.session_times, name="session-times"),
    path(
        "enrollments/<int:enrollment_id>/<slug:action>/",
        participants.change_status,
        name="enrollment-action",
    ),
]
