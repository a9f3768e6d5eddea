from django.urls import path

from alliance.sms import views

urlpatterns = [
    path(
        "participants/<int:participant_id>/texts/",
        views.participant_texts,
        name="participant-texts",
    ),
    path("enrollments/<int:enrollment_id>/text-link/", views.text_link, name="text-link"),
    path("sms/twilio/inbound/", views.twilio_inbound, name="sms-twilio-inbound"),
    path("sms/twilio/status/", views.twilio_status, name="sms-twilio-status"),
]
