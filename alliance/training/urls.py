from django.urls import path

from alliance.training import views

urlpatterns = [
    path("training/", views.my_training, name="training-mine"),
    path("training/team/", views.team, name="training-team"),
    path("training/alerts/", views.alerts, name="training-alerts"),
    path("training/people/<int:membership_id>/", views.person_training, name="training-person"),
    path(
        "training/people/<int:membership_id>/entries/",
        views.add_entry,
        name="training-entry-add",
    ),
    path(
        "training/people/<int:membership_id>/credentials/",
        views.add_credential,
        name="training-credential-add",
    ),
    path("training/observations/", views.observations, name="training-observations"),
    path("training/observations/new/", views.observation_new, name="training-observation-new"),
    path(
        "training/observations/<int:observation_id>/",
        views.observation,
        name="training-observation",
    ),
    path(
        "training/observations/<int:observation_id>/acknowledge/",
        views.observation_acknowledge,
        name="training-observation-acknowledge",
    ),
    path(
        "programs/<int:program_id>/training/",
        views.requirement,
        name="training-requirement",
    ),
]
