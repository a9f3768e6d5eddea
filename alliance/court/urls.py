from django.urls import path

from alliance.court import views

urlpatterns = [
    path("enrollments/<int:enrollment_id>/court-order/", views.court_order, name="court-order"),
    path("enrollments/<int:enrollment_id>/letter/", views.letter, name="breach-letter"),
    path("settings/agencies/", views.agencies, name="settings-agencies"),
    path("settings/agencies/default-clock/", views.default_clock, name="settings-default-clock"),
    path("settings/agencies/<int:agency_id>/", views.agency_edit, name="settings-agency"),
    path(
        "settings/agencies/<int:agency_id>/active/",
        views.agency_active,
        name="settings-agency-active",
    ),
]
