from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "alliance.practice"
    verbose_name = "Compassion practice, homework and accountability"
