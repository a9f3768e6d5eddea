from django.urls import path

from alliance.identity import views

urlpatterns = [
    path("identities/", views.identity_list, name="identities"),
    path(
        "participants/<int:participant_id>/identity/",
        views.identity_page,
        name="participant-identity",
    ),
    path(
        "participants/<int:participant_id>/identity/edit/",
        views.identity_edit,
        name="participant-identity-edit",
    ),
]
