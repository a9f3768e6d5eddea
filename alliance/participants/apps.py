from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "alliance.participants"
    verbose_name = "Participants and enrollments"
