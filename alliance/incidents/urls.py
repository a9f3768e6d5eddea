from django.urls import path

from alliance.incidents import views

urlpatterns = [
    path(
        "participants/<int:participant_id>/incidents/flag/",
        views.flag_from_participant,
        name="incident-flag-participant",
    ),
    path(
        "sessions/<int:session_id>/incidents/flag/",
        views.flag_from_session,
        name="incident-flag-session",
    ),
    path("incidents/", views.incident_list, name="incidents"),
    path("incidents/procedure/", views.procedures, name="incident-procedures"),
    path("incidents/<int:incident_id>/", views.incident, name="incident"),
    path("incidents/<int:incident_id>/actions/", views.incident_action, name="incident-action"),
    path("incidents/<int:incident_id>/close/", views.incident_close, name="incident-close"),
    path("incidents/<int:incident_id>/offence/", views.incident_offence, name="incident-offence"),
]
