from django.contrib.auth.decorators import login_required
from django.urls import path

from . import views

urlpatterns = [
    path(
        "participants/<int:participant_id>/connection/",
        login_required(views.network),
        name="connection-network",
    ),
    path(
        "participants/<int:participant_id>/connection/people/<int:person_id>/review/",
        login_required(views.review),
        name="connection-review",
    ),
    path("connection/mentors/", login_required(views.mentors), name="connection-mentors"),
    path(
        "connection/mentors/<int:mentor_id>/",
        login_required(views.mentor),
        name="connection-mentor",
    ),
    path(
        "connection/mentors/<int:mentor_id>/match/",
        login_required(views.match_new),
        name="connection-match-new",
    ),
    path(
        "connection/matches/<int:match_id>/", login_required(views.match), name="connection-match"
    ),
    path(
        "connection/matches/<int:match_id>/end/",
        login_required(views.match_end),
        name="connection-match-end",
    ),
    path("connection/holds/", login_required(views.holds), name="connection-holds"),
    path(
        "connection/holds/<int:hold_id>/lift/",
        login_required(views.hold_lift),
        name="connection-hold-lift",
    ),
]
