from django.urls import path

from alliance.rights import views

urlpatterns = [
    path(
        "participants/<int:participant_id>/export/",
        views.participant_export,
        name="participant-export",
    ),
    path("rights/", views.data_rights, name="data-rights"),
]
