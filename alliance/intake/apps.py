from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "alliance.intake"
    verbose_name = "Intake, assessment, participant agreement and documents"
