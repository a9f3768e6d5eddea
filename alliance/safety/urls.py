from django.urls import path

from alliance.safety import views

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
]
