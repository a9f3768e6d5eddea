from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "alliance.safety"
    verbose_name = "Partner safety (restricted compartment)"
