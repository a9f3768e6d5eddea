from django.urls import path

from alliance.engagement import views

urlpatterns = [
    path("engagement/", views.risk_list, name="engagement-risk"),
    path("engagement/model/", views.model_card, name="engagement-model-card"),
    path(
        "engagement/enrollments/<int:enrollment_id>/outreach/",
        views.start_outreach,
        name="engagement-start-outreach",
    ),
    path("engagement/alerts/<int:alert_id>/", views.alert_page, name="engagement-alert"),
    path(
        "engagement/alerts/<int:alert_id>/acknowledge/",
        views.acknowledge,
        name="engagement-acknowledge",
    ),
    path("engagement/alerts/<int:alert_id>/action/", views.record_action, name="engagement-action"),
    path(
        "engagement/alerts/<int:alert_id>/outcome/", views.record_outcome, name="engagement-outcome"
    ),
]
