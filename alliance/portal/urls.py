from django.urls import path

from alliance.portal import views

urlpatterns = [
    # Staff: where a sent document went, and sending it by e-mail or through the portal.
    path(
        "reports/sent/<int:document_id>/deliveries/",
        views.document_deliveries,
        name="document-deliveries",
    ),
    path(
        "settings/agencies/<int:agency_id>/officers/",
        views.agency_officers,
        name="agency-officers",
    ),
    # Any staff member: the credentials printed after his name on documents he sends.
    path("profile/credentials/", views.profile_credentials, name="profile-credentials"),
    # The officer, before he has an account.
    path("portal/invitation/<str:token>/", views.accept_invitation, name="portal-invitation"),
    # The officer's portal.
    path("portal/", views.portal_home, name="portal-home"),
    path("portal/documents/<int:delivery_id>/", views.portal_document, name="portal-document"),
    path(
        "portal/documents/<int:delivery_id>/pdf/",
        views.portal_document_pdf,
        name="portal-document-pdf",
    ),
    path(
        "portal/documents/<int:delivery_id>/acknowledge/",
        views.portal_acknowledge,
        name="portal-acknowledge",
    ),
]
