from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "alliance.training"
    verbose_name = "Staff training register and fidelity observations"
