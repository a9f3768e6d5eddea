from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from alliance.api import reference as views_reference
from alliance.api import settings_views, views
from alliance.api.converters import SignedIntConverter

app_name = "api"

register_converter(SignedIntConverter, "signed_int")

router = SimpleRouter()
router.register("programs", views.ProgramViewSet, basename="program")
router.register("groups", views.GroupViewSet, basename="group")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("participants", views.ParticipantViewSet, basename="participant")
router.register("enrollments", views.EnrollmentViewSet, basename="enrollment")
router.register("attendance", views.AttendanceViewSet, basename="attendance")
router.register("administrations", views.AdministrationViewSet, basename="administration")
router.register("documents", views.SentDocumentViewSet, basename="document")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path(
        "api/v1/fhir/Questionnaire/<str:instrument_id>/",
        views.QuestionnaireView.as_view(),
        name="fhir-questionnaire",
    ),
    path(
        "api/v1/fhir/QuestionnaireResponse/",
        views.QuestionnaireResponseView.as_view(),
        name="fhir-questionnaire-response",
    ),
    # Digits only (see SignedIntConverter): never free text, which could carry a man's code
    # into the request log.
    path(
        "api/v1/administrations/<signed_int:pk>/fhir/",
        views.AdministrationBundleView.as_view(),
        name="administration-fhir",
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/reference/", views_reference.api_reference, name="reference"),
]

# Organization settings, outside the "api" namespace: ordinary staff pages.
settings_urlpatterns = [
    path("settings/integrations/", settings_views.integration_keys, name="api-keys"),
    path(
        "settings/integrations/<int:key_id>/revoke/",
        settings_views.revoke_key,
        name="api-key-revoke",
    ),
]
