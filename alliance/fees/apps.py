from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "alliance.fees"
    verbose_name = "Fees"
